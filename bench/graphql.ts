/**
 * npm run bench:graphql — throughput and latency of `score(driverId)` on the offline server.
 *
 * Starts `scoredrive serve` as a separate process on a data directory holding at least
 * 100,000 records (seeded once, reused by later runs), then drives it with autocannon:
 * 10 connections, a random existing driverId per request, a warm-up, then 20 s measured.
 * One response in 50 is checked against the demo generator's record for the driver it names
 * (score, band, factors); any mismatch, unknown driver or non-200 fails the run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lastCompletedPeriod } from '../src/store/demo-data';
import { benchmark, DATA_DIR, type ScoreLike } from './harness';

/**
 * BENCH_WITH_PERIOD=1 asks for the latest month by name: score(driverId, period), a GetItem,
 * instead of the default score(driverId), a newest-first Query. Compare the two to see what the
 * embedded store's Query costs.
 */
const WITH_PERIOD = process.env.BENCH_WITH_PERIOD === '1';
const QUERY = WITH_PERIOD
  ? 'query Score($id: ID!, $period: String) { score(driverId: $id, period: $period) { driverId period score band factors { braking speeding } } }'
  : 'query Score($id: ID!) { score(driverId: $id) { driverId period score band factors { braking speeding } } }';

/** The newest month the data directory was seeded with (its demo-data journal), else last month. */
function seededLastPeriod(): string {
  try {
    return (JSON.parse(readFileSync(path.join(DATA_DIR, 'demo-data.json'), 'utf8')) as { lastPeriod: string })
      .lastPeriod;
  } catch {
    return lastCompletedPeriod();
  }
}
const PERIOD = seededLastPeriod();

await benchmark(
  WITH_PERIOD ? 'score(driverId, period)' : 'score(driverId)',
  (id) => ({
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({ query: QUERY, variables: WITH_PERIOD ? { id, period: PERIOD } : { id } }),
  }),
  (body) => (JSON.parse(body) as { data?: { score?: ScoreLike } }).data?.score,
);
