/**
 * npm run bench:rest — throughput and latency of `GET /drivers/{driverId}/score` on the offline
 * server: the REST facade's mapping templates and the same embedded store, measured exactly as
 * bench:graphql measures GraphQL (120,000 records, 10 connections, random existing drivers,
 * 5 s warm-up then 20 s, one body in 50 checked against the generator, then a paced run).
 */
import { benchmark, type ScoreLike } from './harness';

await benchmark(
  'GET /drivers/{driverId}/score',
  (id) => ({ method: 'GET', path: `/drivers/${id}/score` }),
  (body) => JSON.parse(body) as ScoreLike,
);
