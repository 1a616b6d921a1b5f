/** The SLA report built from a fixture access log has the right numbers. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessLogReport, ReportInputError } from '../../src/sla/access-log-source';
import { FIXTURE_FROM, FIXTURE_TO, writeFixtureLog } from '../helpers/access-log-fixture';
import { tempDir } from '../helpers/service';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir('scoredrive-report-'));
});
afterEach(async () => remove());

const range = { from: new Date(FIXTURE_FROM), to: new Date(FIXTURE_TO) };

function exact(values: number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((percent / 100) * sorted.length) - 1];
}

function expectClose(got: number | null, want: number) {
  expect(got).not.toBeNull();
  expect(Math.abs((got as number) - want) / want).toBeLessThanOrEqual(0.001);
}

describe('accessLogReport', () => {
  it('counts calls, 4xx and 5xx per API and in total, for the stage and range asked', async () => {
    await writeFixtureLog(dir);
    const report = await accessLogReport({ dir, stage: 'prod', ...range });
    const counts = (api: 'graphql' | 'rest' | 'total') => {
      const { calls, errors4xx, errors5xx, positive, positiveWithinThreshold } = report.summary[api];
      return { calls, errors4xx, errors5xx, positive, positiveWithinThreshold };
    };
    expect(counts('graphql')).toEqual({
      calls: 1003,
      errors4xx: 2,
      errors5xx: 1,
      positive: 1000,
      positiveWithinThreshold: 1000,
    });
    expect(counts('rest')).toEqual({
      calls: 500,
      errors4xx: 5,
      errors5xx: 3,
      positive: 492,
      positiveWithinThreshold: 490,
    });
    expect(counts('total')).toEqual({
      calls: 1503,
      errors4xx: 7,
      errors5xx: 4,
      positive: 1492,
      positiveWithinThreshold: 1490,
    });
    expect(report.stage).toBe('prod');
    expect(report.source).toBe('access-log');
    expect(report.from).toBe('2026-11-01T00:00:00.000Z');
    expect(report.to).toBe('2026-11-01T01:00:00.000Z');
    // The torn line is skipped and said to be.
    expect(report.notes.join(' ')).toContain('1 log lines were not API calls');
  });

  it('gives latency percentiles of every call, to within 0.1%', async () => {
    const { graphqlLatencies, restLatencies } = await writeFixtureLog(dir);
    const report = await accessLogReport({ dir, stage: 'prod', ...range });
    const all = [...graphqlLatencies, ...restLatencies];
    for (const [api, values] of [
      ['graphql', graphqlLatencies],
      ['rest', restLatencies],
      ['total', all],
    ] as const) {
      const s = report.summary[api];
      expectClose(s.p50, exact(values, 50));
      expectClose(s.p90, exact(values, 90));
      expectClose(s.p99, exact(values, 99));
      expectClose(s.p99_8, exact(values, 99.8));
      expect(s.max).toBe(Math.max(...values));
    }
    expect(report.summary.rest.p99_8).toBe(1500);
  });

  it('judges the SLA on positive answers: met with 2 slow of 1492, broken with 4', async () => {
    await writeFixtureLog(dir, 2);
    const met = await accessLogReport({ dir, stage: 'prod', ...range });
    expect(met.verdict).toEqual({ thresholdMs: 1000, target: 0.998, share: 1490 / 1492, met: true });

    await remove();
    ({ dir, remove } = await tempDir('scoredrive-report-'));
    await writeFixtureLog(dir, 4);
    const broken = await accessLogReport({ dir, stage: 'prod', ...range });
    expect(broken.verdict.share).toBeCloseTo(1490 / 1494, 10);
    expect(broken.verdict.met).toBe(false);
  });

  it('puts each call in its time bucket', async () => {
    await writeFixtureLog(dir);
    const report = await accessLogReport({ dir, stage: 'prod', ...range });
    // One hour in 10 s buckets: 360 points.
    expect(report.bucketSeconds).toBe(10);
    expect(report.bucketStarts).toHaveLength(360);
    expect(report.bucketStarts[0]).toBe('2026-11-01T00:00:00.000Z');
    const graphql = report.series.graphql;
    // GraphQL calls every 3.6 s: 0, 3.6 and 7.2 s fall in the first bucket, and its latencies are 1-3 ms.
    expect(graphql[0]).toMatchObject({ start: '2026-11-01T00:00:00.000Z', calls: 3, errors4xx: 0, errors5xx: 0 });
    expect(graphql[0].p50).toBeGreaterThanOrEqual(2);
    expect(graphql[0].p50).toBeLessThanOrEqual(2.02);
    // The errors all arrive at 00:30:00.
    const half = report.bucketStarts.indexOf('2026-11-01T00:30:00.000Z');
    expect(graphql[half]).toMatchObject({ errors4xx: 2, errors5xx: 1 });
    expect(report.series.rest[half]).toMatchObject({ errors4xx: 5, errors5xx: 3 });
    expect(report.series.rest[half].p99_8).toBe(1500);
    for (const api of ['graphql', 'rest'] as const) {
      expect(report.series[api].reduce((n, b) => n + b.calls, 0)).toBe(report.summary[api].calls);
    }
    // A bucket without calls has no latency, not a latency of 0.
    const empty = report.series.rest.find((b) => b.calls === 0);
    expect(empty?.p50).toBeNull();
  });

  it('takes the range from the log when none is given, and refuses to mix stages', async () => {
    await writeFixtureLog(dir);
    await expect(accessLogReport({ dir })).rejects.toThrow(/several stages \(prod, test\)/);
    const report = await accessLogReport({ dir, stage: 'prod' });
    // From the first prod call (1 ms before the fixture range) to just after the last.
    expect(report.from).toBe('2026-10-31T23:59:59.999Z');
    expect(report.to).toBe('2026-11-01T01:00:00.001Z');
    expect(report.summary.total.calls).toBe(1505);
  });

  it('reads only the rotated files of days around the range (a month, not the 60 days kept)', async () => {
    await writeFixtureLog(dir);
    const late = (id: string, time: string) =>
      `${JSON.stringify({ time, requestId: id, stage: 'prod', api: 'rest', method: 'GET', resource: '/drivers/{driverId}/score', sourceIp: '203.0.113.9', status: 200, latencyMs: 10, responseBytes: 280 })}\n`;
    const gzip = promisify(gzipCallback);
    // Written the evening before, its last batch stamped just after midnight: within the margin, read.
    await writeFile(
      path.join(dir, 'access-20261031-0001.log.gz'),
      await gzip(late('from-oct-31', '2026-11-01T00:00:05.000Z')),
    );
    // A file of another month cannot hold calls of the range: not opened (so its line is not counted).
    await writeFile(
      path.join(dir, 'access-20260101-0001.log.gz'),
      await gzip(late('from-january', '2026-11-01T00:00:06.000Z')),
    );
    const report = await accessLogReport({ dir, stage: 'prod', ...range });
    expect(report.summary.rest.calls).toBe(501);
    expect(report.sourceDetail).toContain('(3 files)');
  });

  it('says clearly when there is nothing to report', async () => {
    await expect(accessLogReport({ dir })).rejects.toThrow(ReportInputError);
    await writeFixtureLog(dir);
    const empty = await accessLogReport({
      dir,
      stage: 'prod',
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(empty.summary.total.calls).toBe(0);
    expect(empty.verdict.met).toBeNull();
    await expect(accessLogReport({ dir, stage: 'prod', from: range.to, to: range.from })).rejects.toThrow(
      /range is empty/,
    );
  });
});
