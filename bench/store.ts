/**
 * npm run bench:store — the embedded store alone, as the server reaches it (DynamoDB's JSON
 * protocol over the worker's message port) and through the lean SDK client (what the tools use):
 * GetItem and the latest-month Query at 10 requests in flight, on the same 120,000 records as
 * bench:graphql. It measures the ceiling under the GraphQL figures.
 */
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/contract/project-paths';
import { createEmbeddedStoreClient } from '../src/store/client';
import { demoScores } from '../src/store/demo-data';
import { seedDemoData } from '../src/store/demo-seed';
import { type DynamoDBApi, embeddedStoreApi, sdkDynamoDBApi } from '../src/store/dynamodb-api';
import { startEmbeddedStore } from '../src/store/embedded-store';
import { ensureScoresTable } from '../src/store/table';

const DRIVERS = 20_000;
const MONTHS = 6;
const TABLE = 'scoredrive-dev-scores';
const IN_FLIGHT = 10;
const SECONDS = 10;
const DATA_DIR = path.join(PROJECT_ROOT, 'build', 'bench-data', `graphql-${DRIVERS}x${MONTHS}`);

async function measure(label: string, call: (driverId: string) => Promise<unknown>, driverIds: string[]) {
  const latencies: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  const loop = async () => {
    while (Date.now() < deadline) {
      const started = process.hrtime.bigint();
      await call(driverIds[Math.floor(Math.random() * driverIds.length)]);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))].toFixed(2);
  console.log(
    `${label}: ${Math.round(latencies.length / SECONDS)} ops/s · p50 ${at(0.5)} ms · p99 ${at(0.99)} ms · p99.9 ${at(0.999)} ms`,
  );
}

const store = await startEmbeddedStore(DATA_DIR);
const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
try {
  await ensureScoresTable(client, TABLE, true);
  await seedDemoData({
    client,
    api: embeddedStoreApi(store.requestHandler),
    tableName: TABLE,
    dataDir: DATA_DIR,
    size: { drivers: DRIVERS, months: MONTHS },
    progress: { written: 0, total: 0 },
  });
  const driverIds = [
    ...new Set([...demoScores({ drivers: DRIVERS, months: 1, lastPeriod: '2000-01' })].map((r) => r.driverId)),
  ];
  const cpu = os.cpus();
  console.log(
    `${IN_FLIGHT} requests in flight, ${SECONDS} s each · ${cpu.length} × ${cpu[0]?.model}, Node ${process.version}`,
  );
  const apis = {
    'direct protocol (the server)': embeddedStoreApi(store.requestHandler),
    'lean SDK client': sdkDynamoDBApi(client),
  };
  const latest = (api: DynamoDBApi, driverId: string) =>
    api.call('Query', {
      TableName: TABLE,
      KeyConditionExpression: '#d = :d',
      ExpressionAttributeNames: { '#d': 'driverId' },
      ExpressionAttributeValues: { ':d': { S: driverId } },
      ScanIndexForward: false,
      Limit: 1,
    });
  // The newest month the data holds (it was seeded when it was first made, maybe months ago).
  const period = (await latest(apis['lean SDK client'], driverIds[0])).Items?.[0]?.period?.S as string;
  await measure('warm-up', (id) => latest(apis['lean SDK client'], id), driverIds);
  for (const [name, api] of Object.entries(apis)) {
    await measure(`Query (latest month), ${name}`, (id) => latest(api, id), driverIds);
    await measure(
      `GetItem (${period}), ${name}`,
      (id) => api.call('GetItem', { TableName: TABLE, Key: { driverId: { S: id }, period: { S: period } } }),
      driverIds,
    );
  }
} finally {
  client.destroy();
  await store.close();
}
