/**
 * The bench against the real offline service (resolver bundles, embedded store, REST mapping
 * templates) on a loopback port: both APIs answer every request right, made-up drivers included,
 * and no driverId reaches the print-out or the result file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCommand } from '../../src/cli/bench';
import { demoDriverIds, SERVE_DEMO } from '../../src/loadtest/ids';
import type { BenchResult } from '../../src/loadtest/result';
import type { Service } from '../../src/server/service';
import { startTestService, TEST_API_KEY } from '../helpers/service';
import { captureIo } from './fake-server';

let service: Service;
let stop: () => Promise<void>;
let dataDir: string;
let url: string;

beforeAll(async () => {
  // 40 drivers × 4 months, seeded with serve's seed; the data directory records it.
  ({ service, stop, dataDir } = await startTestService());
  url = await service.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => stop?.());

const seededIds = () => demoDriverIds({ drivers: 40, months: 4, seed: SERVE_DEMO.seed });

describe('scoredrive bench against the offline service', () => {
  it.each(['graphql', 'rest'] as const)('finds every answer right over %s, known and unknown drivers', async (api) => {
    const { io, out, err } = captureIo();
    const outFile = path.join(dataDir, `bench-${api}.json`);

    const code = await benchCommand(
      {
        url,
        api,
        apiKey: TEST_API_KEY,
        // The data directory tells the bench which demo drivers were seeded.
        dataDir,
        rate: '50/s',
        duration: '2s',
        warmup: '500ms',
        timeout: '5s',
        unknownShare: '0.2',
        slo: ['errors<=0', 'p99.8<1000'],
        out: outFile,
      },
      io,
    );
    const json = await readFile(outFile, 'utf8');
    const result = JSON.parse(json) as BenchResult;

    expect(result.errors).toEqual({});
    expect(code).toBe(0);
    expect(result).toMatchObject({
      api,
      count: 100,
      ok: 100,
      driverIds: { source: 'demo', count: 40, demo: { drivers: 40, months: 4 }, unknownShare: 0.2 },
    });
    expect(out()).toMatch(/SLOs\s+all met/);
    for (const id of seededIds()) {
      expect(out() + err()).not.toContain(id);
      expect(json).not.toContain(id);
    }
    expect(out() + err() + json).not.toMatch(/zz-bench-unknown|da2-testkey/);
  });

  it('finds wrong answers when asked about drivers the data does not hold', async () => {
    const { io } = captureIo();
    const outFile = path.join(dataDir, 'bench-wrong.json');
    // 400 drivers where 40 were seeded: 9 in 10 picks are drivers the service does not know.
    const code = await benchCommand(
      {
        url,
        api: 'graphql',
        apiKey: TEST_API_KEY,
        dataDir,
        demoDrivers: 400,
        rate: '40/s',
        duration: '500ms',
        warmup: '0',
        timeout: '5s',
        unknownShare: '0',
        slo: ['errors<0.1%'],
        out: outFile,
      },
      io,
    );
    const result = JSON.parse(await readFile(outFile, 'utf8')) as BenchResult;
    expect(code).toBe(1);
    expect(result.driverIds.demo).toMatchObject({ drivers: 400, months: 4 });
    expect(result.errors.wrong_body).toBeGreaterThanOrEqual(10);
    expect(result.ok + result.errors.wrong_body).toBe(20);
    expect(result.errorSamples.wrong_body).toMatch(/null for a driver that should exist/);
  });
});
