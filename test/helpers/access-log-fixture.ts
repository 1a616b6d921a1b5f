/** A hand-made access log with known numbers, for the report's tests. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ApiCall } from '../../src/observability/api-call';

export const FIXTURE_FROM = Date.parse('2026-11-01T00:00:00Z');
export const FIXTURE_TO = Date.parse('2026-11-01T01:00:00Z');

function call(api: 'graphql' | 'rest', at: number, latencyMs: number, extra: Partial<ApiCall> = {}): ApiCall {
  return {
    time: new Date(at).toISOString(),
    requestId: `r-${api}-${at}-${latencyMs}`,
    stage: 'prod',
    api,
    method: api === 'rest' ? 'GET' : 'POST',
    resource: api === 'rest' ? '/drivers/{driverId}/score' : 'Query.score',
    sourceIp: '203.0.113.9',
    status: 200,
    latencyMs,
    responseBytes: 280,
    ...extra,
  };
}

/**
 * Within 00:00-01:00 UTC on 2026-11-01, stage prod:
 * - GraphQL: 1000 positive answers taking 1, 2, …, 1000 ms, call i at i × 3.6 s; 2 ValidationErrors
 *   (4xx) and 1 DynamoDB error (5xx) taking 5 ms each, at 30 min;
 * - REST: 490 positive answers of 10 ms and `slowRest` of 1500 ms, 5 × 404 and 3 × 500 (10 ms);
 * plus calls the report must leave out: another stage, one just before and one at the end of
 * the range, and a torn line.
 */
export function fixtureCalls(slowRest = 2): { calls: ApiCall[]; graphqlLatencies: number[]; restLatencies: number[] } {
  const calls: ApiCall[] = [];
  const graphqlLatencies: number[] = [];
  const restLatencies: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    calls.push(call('graphql', FIXTURE_FROM + i * 3600, i + 1));
    graphqlLatencies.push(i + 1);
  }
  const half = FIXTURE_FROM + 1_800_000;
  for (const errorType of ['ValidationError', 'ValidationError', 'DynamoDB:ProvisionedThroughputExceededException']) {
    calls.push(call('graphql', half, 5, { errorType }));
    graphqlLatencies.push(5);
  }
  for (let i = 0; i < 490; i += 1) {
    calls.push(call('rest', FIXTURE_FROM + i * 7000, 10));
    restLatencies.push(10);
  }
  for (let i = 0; i < slowRest; i += 1) {
    calls.push(call('rest', half + i, 1500));
    restLatencies.push(1500);
  }
  for (let i = 0; i < 5; i += 1) {
    calls.push(call('rest', half + 100 + i, 10, { status: 404, errorType: 'NotFound' }));
    restLatencies.push(10);
  }
  for (let i = 0; i < 3; i += 1) {
    calls.push(call('rest', half + 200 + i, 10, { status: 500, errorType: 'InternalServerError' }));
    restLatencies.push(10);
  }
  return { calls, graphqlLatencies, restLatencies };
}

/** Writes the fixture as a rotated (gzipped) file and the current file, with the noise around it. */
export async function writeFixtureLog(dir: string, slowRest = 2): Promise<ReturnType<typeof fixtureCalls>> {
  const fixture = fixtureCalls(slowRest);
  const lines = fixture.calls.map((c) => JSON.stringify(c));
  const cut = Math.floor(lines.length / 2);
  const noise = [
    JSON.stringify(call('rest', FIXTURE_FROM + 60_000, 9000, { stage: 'test' })),
    JSON.stringify(call('rest', FIXTURE_FROM - 1, 9000)),
    JSON.stringify(call('rest', FIXTURE_TO, 9000)),
    '{"time":"2026-11-01T00:30:00.000Z","api":"rest","sta',
  ];
  await writeFile(
    path.join(dir, 'access-20261101-0001.log.gz'),
    await promisify(gzip)(`${lines.slice(0, cut).join('\n')}\n`),
  );
  await writeFile(path.join(dir, 'access.log'), `${[...lines.slice(cut), ...noise].join('\n')}\n`);
  return fixture;
}
