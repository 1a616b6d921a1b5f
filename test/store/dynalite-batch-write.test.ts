/**
 * BatchWriteItem as our patch to dynalite 4.0.0 (patches/dynalite+4.0.0.patch,
 * actions/batchWriteItem.js) runs it: one LevelDB batch per request, across the item and index
 * sub-databases, instead of a putItem or deleteItem per request item (each a lock, a LevelDB
 * `get` of the old item and a separate `put`). The old item is read only where the answer needs
 * it (tables with secondary indexes, ReturnConsumedCapacity). DynamoDB's semantics are held
 * through the AWS SDK against dynalite on LevelDB: validation before any write, the same error
 * messages, locks on every key, indexes kept right, the same ConsumedCapacity, UnprocessedItems {}.
 * Also `levelOptions`, which the patch adds to dynalite's store options (passed to LevelDB's open).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type WriteRequest,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';

const require = createRequire(import.meta.url);

const SCORES = 'bw-scores';
/** Hash `group`, range `id`; a global index on `owner` (ALL) and a local one on `rank` (KEYS_ONLY). */
const INDEXED = 'bw-indexed';

type Item = Record<string, AttributeValue>;
type Store = { db: Record<string, any> };

interface Dynalite {
  client: DynamoDBClient;
  store: Store;
  dir: string;
  close(): Promise<void>;
}

/** dynalite in this process on LevelDB in a temporary directory, its store caught as it is made. */
async function startDynalite(options: object = {}): Promise<Dynalite> {
  const { dir, remove } = await tempDir('scoredrive-dynalite-');
  const storeModule = require('dynalite/db') as { create: (options: object) => Store };
  const create = storeModule.create;
  let store: Store | undefined;
  storeModule.create = (storeOptions) => {
    store = create(storeOptions);
    return store;
  };
  let server: {
    listen(port: number, host: string, cb: () => void): void;
    close(cb: () => void): void;
    address(): unknown;
  };
  try {
    server = require('dynalite')({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  } finally {
    storeModule.create = create;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createDynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return {
    client,
    store: store as Store,
    dir,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await remove();
    },
  };
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const score = (driverId: string, period = '2024-01'): Item => ({ driverId: s(driverId), period: s(period) });
const put = (Item: Item): WriteRequest => ({ PutRequest: { Item } });
const del = (Key: Item): WriteRequest => ({ DeleteRequest: { Key } });

let dynalite: Dynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = dynalite.client;
  await ensureScoresTable(client, SCORES, true);
  await client.send(
    new CreateTableCommand({
      TableName: INDEXED,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'group', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'group', AttributeType: 'S' },
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'rank', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-rank',
          KeySchema: [
            { AttributeName: 'group', KeyType: 'HASH' },
            { AttributeName: 'rank', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: INDEXED });
});
afterAll(async () => {
  await dynalite?.close();
});

const batchWrite = (input: BatchWriteItemCommandInput) => client.send(new BatchWriteItemCommand(input));
const getItem = async (TableName: string, Key: Item) =>
  (await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
const putItem = (TableName: string, Item: Item) => client.send(new PutItemCommand({ TableName, Item }));
const queryIndex = async (input: Partial<QueryCommandInput>) =>
  (await client.send(new QueryCommand({ TableName: INDEXED, ...input }))).Items ?? [];
const owned = async (owner: string) =>
  (
    await queryIndex({
      IndexName: 'by-owner',
      KeyConditionExpression: '#o = :o',
      ExpressionAttributeNames: { '#o': 'owner' },
      ExpressionAttributeValues: { ':o': s(owner) },
    })
  ).map((item) => item.id.S);

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

/**
 * Counts the LevelDB calls made while `run` runs: batches, and reads of items (keys under an
 * `item-` prefix; the table descriptions are read too, but served from the patch's cache).
 */
async function countLevelCalls(run: () => Promise<unknown>) {
  const db = dynalite.store.db;
  const counts = { batch: 0, batchOps: 0, put: 0, del: 0, itemReads: 0 };
  const isItemKey = (key: unknown) => typeof key === 'string' && key.startsWith('item-');
  const original = { batch: db.batch, put: db.put, del: db.del, get: db.get, getMany: db.getMany };
  db.batch = (ops: unknown[], ...rest: unknown[]) => {
    counts.batch += 1;
    counts.batchOps += ops.length;
    return original.batch.call(db, ops, ...rest);
  };
  db.put = (...args: unknown[]) => {
    counts.put += 1;
    return original.put.apply(db, args);
  };
  db.del = (...args: unknown[]) => {
    counts.del += 1;
    return original.del.apply(db, args);
  };
  db.get = (key: unknown, ...rest: unknown[]) => {
    if (isItemKey(key)) counts.itemReads += 1;
    return original.get.call(db, key, ...rest);
  };
  db.getMany = (keys: unknown[], ...rest: unknown[]) => {
    counts.itemReads += keys.filter(isItemKey).length;
    return original.getMany.call(db, keys, ...rest);
  };
  try {
    await run();
  } finally {
    Object.assign(db, original);
  }
  return counts;
}

describe('BatchWriteItem', () => {
  it('writes 25 puts as one LevelDB batch, without reading the old items, and reads them all back', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `P${i}`);
    const items = ids.map((id, i) => ({ ...score(id), score: n(i) }));
    // An item already there is overwritten whole.
    await putItem(SCORES, { ...score('P3'), score: n(-1), extra: s('gone') });
    let out: Awaited<ReturnType<typeof batchWrite>> | undefined;
    const counts = await countLevelCalls(async () => {
      out = await batchWrite({ RequestItems: { [SCORES]: items.map(put) } });
    });
    expect(out?.UnprocessedItems).toEqual({});
    expect(out?.ConsumedCapacity).toBeUndefined();
    expect(counts).toEqual({ batch: 1, batchOps: 25, put: 0, del: 0, itemReads: 0 });
    for (const [i, id] of ids.entries()) expect(await getItem(SCORES, score(id))).toEqual(items[i]);
  });

  it('applies puts and deletes together, across tables, in one LevelDB batch', async () => {
    await putItem(SCORES, { ...score('M1'), score: n(1) });
    await putItem(SCORES, { ...score('M2'), score: n(2) });
    let out: Awaited<ReturnType<typeof batchWrite>> | undefined;
    const counts = await countLevelCalls(async () => {
      out = await batchWrite({
        RequestItems: {
          [SCORES]: [
            del(score('M1')),
            put({ ...score('M2'), score: n(22) }),
            put({ ...score('M3'), score: n(3) }),
            // Deleting an item that is not there is no error.
            del(score('M-missing')),
          ],
          [INDEXED]: [put({ group: s('m'), id: s('1'), owner: s('mia') })],
        },
      });
    });
    expect(out?.UnprocessedItems).toEqual({});
    expect(counts.batch).toBe(1);
    expect(counts.put + counts.del).toBe(0);
    expect(await getItem(SCORES, score('M1'))).toBeUndefined();
    expect(await getItem(SCORES, score('M2'))).toEqual({ ...score('M2'), score: n(22) });
    expect(await getItem(SCORES, score('M3'))).toEqual({ ...score('M3'), score: n(3) });
    expect(await getItem(SCORES, score('M-missing'))).toBeUndefined();
    expect(await owned('mia')).toEqual(['1']);
  });

  it('refuses duplicate keys with DynamoDB message and writes nothing', async () => {
    const fresh = Array.from({ length: 24 }, (_, i) => put({ ...score(`D${i}`), score: n(i) }));
    for (const duplicate of [put({ ...score('D0'), score: n(99) }), del(score('D5'))]) {
      const error = await failure(batchWrite({ RequestItems: { [SCORES]: [...fresh, duplicate] } }));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Provided list of item keys contains duplicates');
    }
    // The same key in two tables is no duplicate... but another table's refusal refuses it all.
    const error = await failure(
      batchWrite({
        RequestItems: {
          [INDEXED]: [put({ group: s('d'), id: s('1'), owner: s('dan') })],
          [SCORES]: [put(score('D-other')), put(score('D-other'))],
        },
      }),
    );
    expect(error.message).toBe('Provided list of item keys contains duplicates');
    for (let i = 0; i < 24; i += 1) expect(await getItem(SCORES, score(`D${i}`))).toBeUndefined();
    expect(await getItem(SCORES, score('D-other'))).toBeUndefined();
    expect(await getItem(INDEXED, { group: s('d'), id: s('1') })).toBeUndefined();
    expect(await owned('dan')).toEqual([]);
  });

  it('refuses a key that does not fit the table and writes nothing of the batch', async () => {
    await putItem(SCORES, { ...score('K-kept'), score: n(1) });
    const fresh = Array.from({ length: 12 }, (_, i) => put({ ...score(`K${i}`), score: n(i) }));
    const wrongKeys: WriteRequest[] = [
      put({ driverId: s('K-no-period') }),
      put({ ...score('K-number'), period: n(202401) }),
      del({ driverId: s('K-kept') }),
      del({ ...score('K-kept'), score: n(1) }),
    ];
    for (const wrong of wrongKeys) {
      const error = await failure(batchWrite({ RequestItems: { [SCORES]: [...fresh, wrong, del(score('K-kept'))] } }));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('The provided key element does not match the schema');
    }
    // A wrong key in another table, or a table that does not exist, refuses every table's items.
    const other = await failure(batchWrite({ RequestItems: { [SCORES]: fresh, [INDEXED]: [put({ group: s('k') })] } }));
    expect(other.message).toBe('The provided key element does not match the schema');
    const missing = await failure(batchWrite({ RequestItems: { [SCORES]: fresh, 'bw-no-such-table': fresh } }));
    expect(missing.name).toBe('ResourceNotFoundException');
    for (let i = 0; i < 12; i += 1) expect(await getItem(SCORES, score(`K${i}`))).toBeUndefined();
    expect(await getItem(SCORES, score('K-kept'))).toEqual({ ...score('K-kept'), score: n(1) });
  });

  it('keeps global and local secondary indexes right when it overwrites and deletes', async () => {
    const key = (id: string) => ({ group: s('g'), id: s(id) });
    await putItem(INDEXED, { ...key('1'), owner: s('amy'), rank: n(5) });
    await putItem(INDEXED, { ...key('3'), owner: s('carl'), rank: n(9) });
    await putItem(INDEXED, { ...key('4'), owner: s('dave'), rank: n(4) });
    let out: Awaited<ReturnType<typeof batchWrite>> | undefined;
    const counts = await countLevelCalls(async () => {
      out = await batchWrite({
        RequestItems: {
          [INDEXED]: [
            // New index keys for both indexes: the old entries must go.
            put({ ...key('1'), owner: s('bob'), rank: n(7) }),
            put({ ...key('2'), owner: s('amy'), rank: n(1) }),
            del(key('3')),
            // No owner any more: out of the (sparse) global index, still in the local one.
            put({ ...key('4'), rank: n(4) }),
          ],
        },
      });
    });
    expect(out?.UnprocessedItems).toEqual({});
    expect(counts.batch).toBe(1);
    expect(counts.put + counts.del).toBe(0);
    // The old items are read, once each: their index entries depend on them.
    expect(counts.itemReads).toBe(4);
    expect(await owned('amy')).toEqual(['2']);
    expect(await owned('bob')).toEqual(['1']);
    expect(await owned('carl')).toEqual([]);
    expect(await owned('dave')).toEqual([]);
    const byRank = await queryIndex({
      IndexName: 'by-rank',
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': 'group' },
      ExpressionAttributeValues: { ':g': s('g') },
    });
    expect(byRank).toEqual([
      { ...key('2'), rank: n(1) },
      { ...key('4'), rank: n(4) },
      { ...key('1'), rank: n(7) },
    ]);
  });

  it('answers ConsumedCapacity with the same numbers as before the patch', async () => {
    // Item sizes as DynamoDB counts them: attribute names plus values (UTF-8 bytes for S).
    // driverId 'Cn' (8 + 2) + period '2024-01' (6 + 7) + pad (3 + length).
    const padded = (driverId: string, length: number) => ({ ...score(driverId), pad: s('x'.repeat(length)) });
    await putItem(SCORES, padded('C1', 3000)); // 3,026 bytes: 3 units
    await putItem(SCORES, padded('C2', 2000)); // 2,026 bytes: 2 units
    await putItem(INDEXED, { group: s('c'), id: s('2'), pad: s('x'.repeat(1200)) }); // 1,215 bytes
    const request: BatchWriteItemCommandInput = {
      RequestItems: {
        [SCORES]: [
          put(score('C1')), // the larger of new (1) and old (3): 3
          del(score('C2')), // the deleted item: 2
          del(score('C3')), // nothing to delete: 1
          put(padded('C4', 1500)), // 1,526 bytes, nothing before: 2
          put(score('C5')), // 1
        ],
        [INDEXED]: [
          put({ group: s('c'), id: s('1') }), // 1
          put({ group: s('c'), id: s('2') }), // old 1,215 bytes: 2
        ],
      },
    };
    // DynamoDB's rule (a write costs one unit per KB, rounded up, of the larger of the old and
    // new item; a delete of nothing costs 1): recorded from dynalite 4.0.0's own batchWriteItem
    // (a putItem/deleteItem per item) before the patch changed it, and it gave these numbers.
    // dynalite counts no index writes (DynamoDB would add them); the patch keeps that as it was.
    const expected = [
      { TableName: INDEXED, CapacityUnits: 3 },
      { TableName: SCORES, CapacityUnits: 9 },
    ];
    const byName = (a: { TableName?: string }, b: { TableName?: string }) =>
      String(a.TableName).localeCompare(String(b.TableName));
    const total = await batchWrite({ ...request, ReturnConsumedCapacity: 'TOTAL' });
    expect(total.UnprocessedItems).toEqual({});
    expect(total.ConsumedCapacity?.sort(byName)).toEqual(expected);
    // Run again (every put now overwrites its own item): INDEXES adds the table's share.
    await putItem(SCORES, padded('C1', 3000));
    await putItem(SCORES, padded('C2', 2000));
    await putItem(INDEXED, { group: s('c'), id: s('2'), pad: s('x'.repeat(1200)) });
    const indexes = await batchWrite({ ...request, ReturnConsumedCapacity: 'INDEXES' });
    expect(indexes.ConsumedCapacity?.sort(byName)).toEqual(
      expected.map((entry) => ({ ...entry, Table: { CapacityUnits: entry.CapacityUnits } })),
    );
    const none = await batchWrite({ ...request, ReturnConsumedCapacity: 'NONE' });
    expect(none.ConsumedCapacity).toBeUndefined();
  });

  it('serialises with a concurrent UpdateItem on the same key: no update is lost', async () => {
    // One lane of batches, one after another, each putting the key (counter reset to 0, `put` its
    // number) and 24 other items; lanes of UpdateItem ADD 1 on the key, answering the new item.
    // In any serial order consistent with real time, the updates after put j answer
    // (j, 1), (j, 2), ... with no gap or repeat, an update begun after put j ended answers j or
    // later, one ended before put j began answers less, and the final item is (last put, its count).
    const key = score('RACE');
    const PUTS = 40;
    const LANES = 4;
    const UPDATES = 50;
    await putItem(SCORES, { ...key, count: n(0), put: n(0) });
    let clock = 0;
    const puts: { j: number; start: number; end: number }[] = [];
    const updates: { start: number; end: number; put: number; count: number }[] = [];
    const batchLane = async () => {
      for (let j = 1; j <= PUTS; j += 1) {
        const others = Array.from({ length: 24 }, (_, i) => put({ ...score(`RACE-${i}`), put: n(j) }));
        const start = ++clock;
        await batchWrite({ RequestItems: { [SCORES]: [put({ ...key, count: n(0), put: n(j) }), ...others] } });
        puts.push({ j, start, end: ++clock });
      }
    };
    const updateLane = async () => {
      for (let i = 0; i < UPDATES; i += 1) {
        const start = ++clock;
        const out = await client.send(
          new UpdateItemCommand({
            TableName: SCORES,
            Key: key,
            UpdateExpression: 'ADD #c :one',
            ExpressionAttributeNames: { '#c': 'count' },
            ExpressionAttributeValues: { ':one': n(1) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const end = ++clock;
        updates.push({ start, end, put: Number(out.Attributes?.put?.N), count: Number(out.Attributes?.count?.N) });
      }
    };
    await Promise.all([batchLane(), ...Array.from({ length: LANES }, updateLane)]);

    const counts = new Map<number, number[]>();
    for (const update of updates) counts.set(update.put, [...(counts.get(update.put) ?? []), update.count]);
    for (const [, seen] of counts) {
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    }
    for (const update of updates) {
      for (const p of puts) {
        if (update.start > p.end) expect(update.put).toBeGreaterThanOrEqual(p.j);
        if (update.end < p.start) expect(update.put).toBeLessThan(p.j);
      }
    }
    const final = await getItem(SCORES, key);
    expect(final?.put).toEqual(n(PUTS));
    expect(final?.count).toEqual(n(counts.get(PUTS)?.length ?? 0));
    // The race did race: updates landed between puts.
    expect(counts.size).toBeGreaterThan(5);
  });
});

describe('levelOptions', () => {
  const getItemFrom = async (storeClient: DynamoDBClient, Key: Item) =>
    (await storeClient.send(new GetItemCommand({ TableName: SCORES, Key, ConsistentRead: true }))).Item;

  /**
   * Writes 10 MB (100 items of 100 KB) and answers the LevelDB table files (.ldb) made meanwhile,
   * waiting up to `waitMs` for the first one (a flush runs in the background).
   */
  async function tableFilesAfterWriting(options: object, waitMs: number) {
    const store = await startDynalite(options);
    try {
      await ensureScoresTable(store.client, SCORES, true);
      for (let b = 0; b < 5; b += 1) {
        const items = Array.from({ length: 20 }, (_, i) =>
          put({ ...score(`L${b}-${i}`), pad: s('x'.repeat(100_000)) }),
        );
        await store.client.send(new BatchWriteItemCommand({ RequestItems: { [SCORES]: items } }));
      }
      // A full write buffer is flushed to a table file in the background: give it time.
      const tableFiles = async () => (await readdir(store.dir)).filter((file) => path.extname(file) === '.ldb');
      for (let waited = 0; waited < waitMs && (await tableFiles()).length === 0; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const files = await tableFiles();
      expect((await getItemFrom(store.client, score('L4-19')))?.pad?.S?.length).toBe(100_000);
      return files;
    } finally {
      await store.close();
    }
  }
  it('opens LevelDB with them: a 64 MiB write buffer holds 10 MB that the default 4 MiB one flushes', async () => {
    // Generous for the flush that must come (a busy machine), short for the one that must not.
    expect((await tableFilesAfterWriting({}, 10_000)).length).toBeGreaterThan(0);
    const large = { writeBufferSize: 64 * 1024 * 1024, maxFileSize: 32 * 1024 * 1024, cacheSize: 64 * 1024 * 1024 };
    expect(await tableFilesAfterWriting({ levelOptions: large }, 2000)).toEqual([]);
  });
});
