/**
 * `scoredrive bench` as a user runs it, against local servers: every answer checked and failures
 * counted by kind, the exit code the SLOs give, the JSON result, driverIds kept out of both.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BenchCommandOptions, benchCommand } from '../../src/cli/bench';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import type { BenchResult } from '../../src/loadtest/result';
import { tempDir } from '../helpers/service';
import { captureIo, type FakeServer, goodScore, startFakeServer } from './fake-server';

const IDS = ['RSSMRA80A01H501U', 'BNCLRA85B41F205X', 'VRDGPP90C12L219K'];
let dir: string;
let removeDir: () => Promise<void>;
let server: FakeServer | undefined;

beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-bench-'));
  await writeFile(path.join(dir, 'ids.txt'), `${IDS.join('\n')}\n`);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeDir();
});

function options(url: string, overrides: Partial<BenchCommandOptions> = {}): BenchCommandOptions {
  return {
    url,
    api: 'graphql',
    dataDir: path.join(dir, 'no-data-dir'),
    rate: '40/s',
    duration: '1s',
    warmup: '0',
    timeout: '2s',
    ids: path.join(dir, 'ids.txt'),
    unknownShare: '0',
    slo: [],
    out: path.join(dir, 'result.json'),
    ...overrides,
  };
}

const readResult = async (): Promise<BenchResult> => JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'));

describe('scoredrive bench: checking answers', () => {
  it('counts each kind of wrong answer, timeouts included, and keeps driverIds out of the details', async () => {
    const behaviours = [
      (id: string) => ({ body: { data: { score: goodScore(id) } } }),
      (_id: string) => ({ body: { data: { score: goodScore(IDS[0] === _id ? IDS[1] : IDS[0]) } } }),
      (id: string) => ({ body: { data: { score: { ...goodScore(id), score: 140, band: 'A' } } } }),
      (id: string) => ({ body: { data: { score: { ...goodScore(id, 30), band: 'B' } } } }),
      (id: string) => ({
        body: {
          data: { score: null },
          errors: [{ errorType: 'DynamoDB:ConditionalCheckFailedException', message: `no item for ${id}` }],
        },
      }),
      (_id: string) => ({ status: 503, body: { errors: [{ errorType: 'ServiceUnavailable', message: 'busy' }] } }),
      (_id: string) => ({ hang: true }),
    ];
    server = await startFakeServer((request, index) =>
      behaviours[index % behaviours.length](request.driverId as string),
    );
    const { io, out, err } = captureIo();

    const code = await benchCommand(options(server.url, { rate: '70/s', timeout: '300ms' }), io);
    const result = await readResult();

    expect(code).toBe(0); // no SLO asked for, and some answers succeeded
    expect(result.count).toBe(70);
    expect(result.ok).toBe(10);
    expect(result.errors).toEqual({
      'graphql_error:DynamoDB:ConditionalCheckFailedException': 10,
      http_5xx: 10,
      timeout: 10,
      wrong_body: 30,
    });
    expect(result.answered).toBe(60);
    // Time-outs stay in the latency sample, at 300 ms or more: a stalled server cannot hide.
    expect(result.timed).toBe(70);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(300);
    expect(result.errorSamples.timeout).toMatch(/300 ms/);
    expect(result.errorSamples['graphql_error:DynamoDB:ConditionalCheckFailedException']).toBe(
      'no item for <driverId>',
    );
    expect(out()).toMatch(/wrong_body\s+30/);
    for (const id of IDS) {
      expect(out() + err()).not.toContain(id);
      expect(JSON.stringify(result)).not.toContain(id);
    }
  });

  it('reports network errors, and fails a run where nothing succeeded', async () => {
    server = await startFakeServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const { io, out } = captureIo();

    expect(await benchCommand(options(url, { rate: '10/s', duration: '500ms' }), io)).toBe(1);
    const result = await readResult();
    expect(result.errors).toEqual({ network: 5 });
    expect(result.errorSamples.network).toMatch(/ECONNREFUSED/);
    expect(out()).toMatch(/FAILED: no successful answer/);
  });
});

describe('scoredrive bench: SLOs and exit codes', () => {
  it('misses a latency SLO when requests time out, however fast the answers were', async () => {
    // One request in 20 never answers: 5% timed out at 300 ms, the rest in a few ms.
    server = await startFakeServer((request, index) =>
      index % 20 === 19 ? { hang: true } : { body: { data: { score: goodScore(request.driverId as string) } } },
    );
    const { io, out } = captureIo();
    const code = await benchCommand(
      options(server.url, { rate: '100/s', duration: '1s', timeout: '300ms', slo: ['p99<250', 'over1s<1%'] }),
      io,
    );
    const result = await readResult();
    expect(result.errors).toEqual({ timeout: 5 });
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(300);
    expect(result.slo.map((v) => [v.slo, v.met])).toEqual([
      ['p99<250', false],
      ['over1s<1%', true],
    ]);
    expect(code).toBe(1);
    expect(out()).toMatch(/5 given up on at 300 ms or more/);
  });

  it('exits 0 when every SLO holds', async () => {
    server = await startFakeServer();
    const { io, out } = captureIo();
    const code = await benchCommand(options(server.url, { slo: ['p99.8<1000,errors<0.1%', 'over1s<0.2%'] }), io);
    expect(code).toBe(0);
    expect(out()).toMatch(/SLOs\s+all met/);
  });

  it('exits 1 and says by how much when an SLO is missed', async () => {
    server = await startFakeServer((request) => ({
      delayMs: 30,
      body: { data: { score: goodScore(request.driverId as string) } },
    }));
    const { io, out } = captureIo();
    const code = await benchCommand(options(server.url, { slo: ['p50<10', 'errors<1%'] }), io);
    expect(code).toBe(1);
    expect(out()).toMatch(/1 of 2 MISSED/);
    expect(out()).toMatch(/FAIL p50<10\s+MISSED: \d+(\.\d+)? ms, \d+(\.\d+)? ms over the limit of 10(\.0+)? ms/);
    expect(out()).toMatch(/ok {3}errors<1%\s+met/);
    const result = await readResult();
    expect(result.passed).toBe(false);
    expect(result.slo[0]).toMatchObject({ slo: 'p50<10', met: false, limit: 10, unit: 'ms' });
  });

  it('fails every latency SLO when no answer succeeded', async () => {
    server = await startFakeServer(() => ({ status: 500, body: { message: 'Internal server error' } }));
    const { io } = captureIo();
    expect(await benchCommand(options(server.url, { slo: ['p99<1000'] }), io)).toBe(1);
    expect((await readResult()).slo[0]).toMatchObject({ met: false, actual: null });
  });

  it.each([
    [{ slo: ['p99.8<<1000'] }, /invalid SLO "p99.8<<1000"/],
    [{ rate: '5/fortnight' }, /invalid rate "5\/fortnight"/],
    [{ rate: '5/s', connections: 3 }, /exclude each other/],
    [{ duration: '10' }, /invalid --duration "10"/],
    [{ unknownShare: '2' }, /invalid --unknown-share/],
    [{ url: 'ftp://example.com' }, /only http and https/],
    [{ ids: '/nonexistent/ids.txt' }, /cannot read --ids/],
    [{ iam: true, region: undefined }, /--iam needs a region/],
  ])('exits 2 on a usage error: %j', async (overrides, message) => {
    const { io, err } = captureIo();
    const opts = options('http://127.0.0.1:9', overrides as Partial<BenchCommandOptions>);
    expect(await benchCommand(opts, io)).toBe(2);
    expect(err()).toMatch(message);
  });

  it('exits 2 from the command line too, for its own and commander’s usage errors', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/scoredrive.js'), 'bench', ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (chunk) => {
          stderr += chunk;
        });
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const [slo, connections] = await Promise.all([
      run(['http://127.0.0.1:9', '--slo', 'p99.8<1000,p99<fast']),
      run(['http://127.0.0.1:9', '--connections', 'many']),
    ]);
    expect(slo).toMatchObject({ code: 2, stderr: expect.stringMatching(/invalid SLO "p99<fast"/) });
    expect(connections).toMatchObject({ code: 2, stderr: expect.stringMatching(/--connections/) });
  });
});

describe('scoredrive bench: the result file', () => {
  it('holds the run’s settings, counts, latency figures, machine and times', async () => {
    server = await startFakeServer();
    const { io } = captureIo();
    await benchCommand(options(`${server.url}/`, { slo: ['p99<1000'] }), io);
    const result = await readResult();

    expect(result).toMatchObject({
      url: `${server.url}/graphql`,
      api: 'graphql',
      auth: 'none',
      mode: 'rate',
      rate: { perSecond: 40, text: '40/s' },
      connections: null,
      durationSeconds: 1,
      warmupSeconds: 0,
      timeoutMs: 2000,
      count: 40,
      ok: 40,
      errors: {},
      driverIds: { source: 'file', count: 3, unknownShare: 0 },
      over1000ms: { count: 0, share: 0 },
      passed: true,
      machine: { cores: expect.any(Number), cpu: expect.any(String), node: process.version },
    });
    for (const key of ['p50', 'p90', 'p99', 'p99_8', 'p99_9', 'max', 'mean'] as const) {
      expect(result.latencyMs[key]).toBeGreaterThan(0);
    }
    expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99 as number);
    expect(result.requestsPerSecond).toBeGreaterThan(35);
    expect(result.measuredSeconds).toBeGreaterThanOrEqual(1);
    expect(result.measuredSeconds).toBeLessThan(1.5);
    // The last request is due at 975 ms.
    expect(Date.parse(result.ended) - Date.parse(result.started)).toBeGreaterThanOrEqual(950);
  });

  it('never holds the API key or the url’s credentials', async () => {
    server = await startFakeServer((request) => ({
      status: request.headers['x-api-key'] === 'da2-secretsecretsecretsecret1' ? 200 : 401,
      body: { data: { score: goodScore(request.driverId as string) } },
    }));
    const { io, out, err } = captureIo();
    const withUser = server.url.replace('http://', 'http://user:hunter2@');
    await benchCommand(options(`${withUser}?token=abc`, { apiKey: 'da2-secretsecretsecretsecret1' }), io);
    const text = `${await readFile(path.join(dir, 'result.json'), 'utf8')}${out()}${err()}`;
    expect((await readResult()).ok).toBe(40);
    expect(text).not.toMatch(/da2-secret|hunter2|token=abc/);
  });
});
