/** Sample access-log calls for tests of the log: call `i` is a millisecond after call `i - 1`. */
import type { ApiCall } from '../../src/observability/api-call';

/** Odd calls are REST, even ones GraphQL; latency `i` ms. */
export function sampleApiCall(i: number): ApiCall {
  return {
    time: new Date(Date.UTC(2026, 10, 27, 10, 0, 0, i)).toISOString(),
    requestId: `request-${i}`,
    stage: 'offline',
    api: i % 2 ? 'rest' : 'graphql',
    method: i % 2 ? 'GET' : 'POST',
    resource: i % 2 ? '/drivers/{driverId}/score' : 'Query.score',
    sourceIp: '127.0.0.1',
    status: 200,
    latencyMs: i,
    responseBytes: 300,
  };
}
