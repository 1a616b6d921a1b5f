/**
 * npm run bench:resolve — what the APPSYNC_JS runtime itself costs per field: Query.score's
 * bundles run by ResolverRuntime.resolve on a data source that answers at once. Query.score is
 * a pipeline (before step, the authorize function over NONE, the read over scores, after
 * step): each step's realm, ctx copy and handler, the stash and ctx.prev carried between them,
 * the membrane's util and module calls. Five rounds of
 * 100,000 resolves after 20,000 of warm-up; the figures are microseconds per resolve.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildResolverBundles } from '../src/contract/resolver-bundles';
import { NoneDataSource } from '../src/runtime/datasources/none';
import { ResolverRuntime } from '../src/runtime/resolver-runtime';

const ROUNDS = 5;
const PER_ROUND = 100_000;

const item = {
  driverId: 'D1',
  period: '2024-05',
  score: 80,
  band: 'B',
  factors: { braking: 1, speeding: 2, acceleration: 3, cornering: 4, nightDriving: 5 },
  kmDriven: 100,
  trips: 3,
  modelVersion: 'v1',
  updatedAt: '2024-06-01T00:00:00Z',
};
const dataSource = { invoke: async () => ({ result: { items: [item], nextToken: null, scannedCount: 1 } }) };
const runtime = new ResolverRuntime({
  dataSource,
  dataSources: { none: new NoneDataSource() },
  env: { SCORES_TABLE: 'scoredrive-dev-scores' },
});
runtime.loadBundles(await buildResolverBundles({ outDir: await mkdtemp(path.join(os.tmpdir(), 'bench-resolve-')) }));
const invocation = {
  parentTypeName: 'Query',
  fieldName: 'score',
  args: { driverId: 'D1' },
  headers: { 'x-api-key': 'k', 'content-type': 'application/json', 'user-agent': 'bench' },
  variables: { id: 'D1' },
  selectionSetList: ['driverId', 'period', 'score', 'band', 'factors', 'factors/braking', 'factors/speeding'],
  selectionSetGraphQL: '{ driverId period score band factors { braking speeding } }',
};

// A bench of an error path would measure the wrong thing: the answer is checked first.
const first = await runtime.resolve(invocation);
if (first.errors.length > 0 || JSON.stringify(first.value) !== JSON.stringify(item)) {
  throw new Error(`Query.score did not answer the item: ${JSON.stringify(first)}`);
}
for (let i = 0; i < 20_000; i += 1) await runtime.resolve(invocation);
const rounds: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i += 1) await runtime.resolve(invocation);
  rounds.push(Number(process.hrtime.bigint() - started) / PER_ROUND / 1000);
}
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`${os.cpus().length} × ${cpu}, Node ${process.version}`);
console.log(
  `Query.score resolve: ${rounds.map((r) => r.toFixed(1)).join(' / ')} µs (min ${Math.min(...rounds).toFixed(1)})`,
);
