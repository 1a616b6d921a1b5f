/**
 * Our patch to dynalite 4.0.0 (patches/dynalite+4.0.0.patch, applied by patch-package on
 * install): its streams closed abstract-level iterators with a `return()` those iterators do not
 * have, so every Query and Scan left an iterator (and its LevelDB snapshot) open until the
 * database closed, and a long-running server grew without bound. Queries now read with `nextv()`
 * and always close the iterator. The patch also keeps table descriptions in memory (every request
 * read one from LevelDB). These tests pin the fixes and the unchanged semantics. BatchWriteItem as
 * one LevelDB batch per request, and the store's `levelOptions`, are tested in
 * dynalite-batch-write.test.ts; transactions in dynalite-transactions.test.ts.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateTableCommand,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import { ensureScoresTable } from '../../src/store/table';

const require = createRequire(import.meta.url);
const TABLE = 'patch-test-scores';
const DRIVERS = ['AAA', 'BBB', 'CCC'];
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];

interface Iterator {
  close(): Promise<void>;
}
let opened = 0;
let closed = 0;
let server: {
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  address(): unknown;
};
let client: DynamoDBClient;

beforeAll(async () => {
  // dynalite does not expose its LevelDB; catch it as dynalite's store module creates it.
  const storeModule = require('dynalite/db') as { create: (options: object) => { db: Record<string, any> } };
  const create = storeModule.create;
  storeModule.create = (options) => {
    const store = create(options);
    for (const method of ['values', 'keys', 'iterator']) {
      const open = store.db[method].bind(store.db);
      store.db[method] = (rangeOptions: object) => {
        const iterator: Iterator = open(rangeOptions);
        opened += 1;
        const close = iterator.close.bind(iterator);
        iterator.close = () => {
          closed += 1;
          return close();
        };
        return iterator;
      };
    }
    return store;
  };
  try {
    server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  } finally {
    storeModule.create = create;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = createDynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  await ensureScoresTable(client, TABLE, true);
  await client.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [TABLE]: DRIVERS.flatMap((driverId, d) =>
          PERIODS.map((period, p) => ({
            PutRequest: {
              Item: { driverId: { S: driverId }, period: { S: period }, score: { N: String(d * 10 + p) } },
            },
          })),
        ),
      },
    }),
  );
});
afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

function query(input: Partial<QueryCommandInput>) {
  return client.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'driverId = :d',
      ExpressionAttributeValues: { ':d': { S: 'BBB' } },
      ...input,
    }),
  );
}

/** Lets the closes that follow an answer settle before counting. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('dynalite with our patch', () => {
  it('closes the iterator of every query and scan, however it ends', async () => {
    await settled();
    const before = { opened, closed };
    for (let i = 0; i < 5; i += 1) await query({});
    await client.send(new ScanCommand({ TableName: TABLE, Limit: 4 }));
    await client.send(new ScanCommand({ TableName: TABLE }));
    await settled();
    expect(opened - before.opened).toBe(7);
    expect(closed - before.closed).toBe(7);
  });

  it('reads pages of up to 100 items through a few pooled iterators, all closed by the next write', async () => {
    await settled();
    const before = { opened, closed };
    for (let i = 0; i < 20; i += 1) await query({ ScanIndexForward: false, Limit: 1 });
    await Promise.all(Array.from({ length: 10 }, () => query({ Limit: 2 })));
    await settled();
    // One reverse iterator for the sequential reads; forward ones for at most the ten at once.
    expect(opened - before.opened).toBeGreaterThanOrEqual(2);
    expect(opened - before.opened).toBeLessThanOrEqual(11);
    expect(closed).toBe(before.closed);
    // A write closes every idle one: their snapshots predate it.
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { driverId: { S: 'WWW' }, period: { S: '2024-01' }, score: { N: '1' } },
      }),
    );
    await settled();
    expect(closed - before.closed).toBe(opened - before.opened);
  });

  it('answers the latest month newest-first with Limit 1, and where to go on', async () => {
    const out = await query({ ScanIndexForward: false, Limit: 1 });
    expect(out.Items?.map((item) => item.period.S)).toEqual(['2024-05']);
    expect(out.Count).toBe(1);
    expect(out.ScannedCount).toBe(1);
    expect(out.LastEvaluatedKey).toEqual({ driverId: { S: 'BBB' }, period: { S: '2024-05' } });
  });

  it('pages through a partition and stops without a key after the last item', async () => {
    const first = await query({ Limit: 3 });
    expect(first.Items?.map((item) => item.period.S)).toEqual(PERIODS.slice(0, 3));
    const second = await query({ Limit: 3, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(second.Items?.map((item) => item.period.S)).toEqual(PERIODS.slice(3));
    expect(second.LastEvaluatedKey).toBeUndefined();
    const exact = await query({ Limit: 5 });
    expect(exact.Count).toBe(5);
    expect(exact.LastEvaluatedKey).toEqual({ driverId: { S: 'BBB' }, period: { S: '2024-05' } });
  });

  it('applies range conditions, filters (counted as scanned) and projections as before', async () => {
    const range = await query({
      KeyConditionExpression: 'driverId = :d AND period BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':d': { S: 'BBB' }, ':a': { S: '2024-02' }, ':b': { S: '2024-04' } },
      ScanIndexForward: false,
    });
    expect(range.Items?.map((item) => item.period.S)).toEqual(['2024-04', '2024-03', '2024-02']);

    const filtered = await query({
      FilterExpression: 'score >= :min',
      ExpressionAttributeValues: { ':d': { S: 'BBB' }, ':min': { N: '13' } },
      ProjectionExpression: 'period',
    });
    expect(filtered.Items).toEqual([{ period: { S: '2024-04' } }, { period: { S: '2024-05' } }]);
    expect(filtered.ScannedCount).toBe(5);
    expect(filtered.Count).toBe(2);
  });

  it('never serves a stale table description from its cache', async () => {
    const TableName = 'cache-test';
    const describe = async () => (await client.send(new DescribeTableCommand({ TableName }))).Table;
    await ensureScoresTable(client, TableName, true);
    await client.send(new PutItemCommand({ TableName, Item: { driverId: { S: 'X' }, period: { S: '2024-01' } } }));
    expect((await describe())?.TableStatus).toBe('ACTIVE');
    await client.send(
      new UpdateTableCommand({
        TableName,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      }),
    );
    expect((await describe())?.ProvisionedThroughput?.ReadCapacityUnits).toBe(7);
    await client.send(new DeleteTableCommand({ TableName }));
    await waitUntilTableNotExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName });
    await expect(
      client.send(new GetItemCommand({ TableName, Key: { driverId: { S: 'X' }, period: { S: '2024-01' } } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await ensureScoresTable(client, TableName, true);
    const fresh = await client.send(
      new GetItemCommand({ TableName, Key: { driverId: { S: 'X' }, period: { S: '2024-01' } } }),
    );
    expect(fresh.Item).toBeUndefined();
    expect((await describe())?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('finds nothing for an unknown partition', async () => {
    const out = await query({ ExpressionAttributeValues: { ':d': { S: 'ZZZ' } }, ScanIndexForward: false, Limit: 1 });
    expect(out.Items).toEqual([]);
    expect(out.Count).toBe(0);
    expect(out.LastEvaluatedKey).toBeUndefined();
  });
});
