import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAll } from '../../src/store/batch-writer';
import { createEmbeddedStoreClient } from '../../src/store/client';
import { demoScores } from '../../src/store/demo-data';
import { demoDriverId, seedDemoData } from '../../src/store/demo-seed';
import { type DynamoDBApi, embeddedStoreApi } from '../../src/store/dynamodb-api';
import { type EmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';
import { countItems } from '../helpers/tables';

const TABLE = 'seed-test-scores';
let store: EmbeddedStore;
let client: DynamoDBClient;
let api: DynamoDBApi;
let dataDir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: dataDir, remove: removeDir } = await tempDir());
  store = await startEmbeddedStore(dataDir);
  client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
  api = embeddedStoreApi(store.requestHandler);
  await ensureScoresTable(client, TABLE, true);
});
afterEach(async () => {
  client.destroy();
  await store.close();
  await removeDir();
});

const seed = () =>
  seedDemoData({
    client,
    api,
    tableName: TABLE,
    dataDir,
    size: { drivers: 50, months: 3 },
    progress: { written: 0, total: 0 },
  });

describe('seedDemoData', () => {
  it('fills an empty table once, and leaves it alone afterwards', async () => {
    expect(await seed()).toBe(true);
    expect(await countItems(client, TABLE)).toBe(150);
    expect(JSON.parse(await readFile(path.join(dataDir, 'demo-data.json'), 'utf8')).state).toBe('complete');
    expect(await seed()).toBe(false);
  });

  it('finishes a seeding that a crash interrupted, with the same records', async () => {
    const plan = { drivers: 50, months: 3, lastPeriod: '2025-06', seed: 20_160_122 };
    // What a killed process leaves: the journal says "seeding", a third of the records are in.
    await writeFile(path.join(dataDir, 'demo-data.json'), JSON.stringify({ ...plan, state: 'seeding' }));
    await writeAll(api, TABLE, [...demoScores(plan)].slice(0, 50));
    expect(await seed()).toBe(true);
    expect(await countItems(client, TABLE)).toBe(150);
  });

  it('names a seeded driver from the generator, and none when the table was not seeded', async () => {
    expect(await demoDriverId(dataDir)).toBeUndefined();
    await seed();
    const id = await demoDriverId(dataDir);
    const answer = await api.call('Query', {
      TableName: TABLE,
      KeyConditionExpression: 'driverId = :id',
      ExpressionAttributeValues: { ':id': { S: id as string } },
    });
    expect(answer.Count).toBe(3);
  });

  it('does not touch a table that already holds data it did not seed', async () => {
    await writeAll(api, TABLE, [{ driverId: 'SOMEONE', period: '2024-01', score: 50 }]);
    expect(await seed()).toBe(false);
    expect(await countItems(client, TABLE)).toBe(1);
  });
});
