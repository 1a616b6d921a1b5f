/**
 * Our dynalite patch reads query pages of up to 100 items through pooled LevelDB iterators moved
 * with seek(), instead of a new iterator per query (patches/dynalite+4.0.0.patch, "Query pages
 * of a few items"). These tests hold it to DynamoDB's answers, on the in-memory store and on
 * LevelDB on disk (what `scoredrive serve` runs):
 * - every key condition, both directions, pages of 1 to 3 items followed to the end, against a
 *   model that orders range keys by their UTF-8 bytes, as DynamoDB stores them (API Reference,
 *   Query, ScanIndexForward: "For type String, the results are stored in order of UTF-8 bytes"),
 *   over partitions whose keys are prefixes of one another and range keys where UTF-16 order
 *   differs from UTF-8's. Filters compare strings by character code (API Reference, Condition:
 *   "based on ASCII character code values"), which is the UTF-8 byte order too; JavaScript's <
 *   compares UTF-16 code units, which is not;
 * - a pooled iterator reads the snapshot it was made with, so every kind of write must be seen by
 *   the next query.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import { ensureScoresTable } from '../../src/store/table';
import { startRawDynalite } from '../helpers/dynalite-raw';

const TABLE = 'range-read-scores';
// 'AA' is a prefix of 'AAA'; '~' and '/' are the characters dynalite builds its keys with.
const DRIVERS = ['AA', 'AAA', 'AAB', 'A~', 'A/'];
// U+E000 sorts after a surrogate pair in UTF-16 but before it in UTF-8 (4-byte F0 … > EE …).
const PERIODS = ['2024-01', '2024-01~', '2024-01/x', '2024-02', '2024-10', 'a', 'ab', '\uE000', '😀', '\uFFFD'];

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const SORTED = [...PERIODS].sort(utf8Order);

interface Condition {
  readonly name: string;
  readonly expression?: string;
  readonly values: Record<string, string>;
  readonly holds: (period: string) => boolean;
}

const after = (a: string, b: string) => utf8Order(a, b) > 0;
const CONDITIONS: Condition[] = [
  { name: 'none', values: {}, holds: () => true },
  ...SORTED.flatMap((v): Condition[] => [
    { name: `= ${v}`, expression: 'period = :a', values: { ':a': v }, holds: (p) => p === v },
    { name: `< ${v}`, expression: 'period < :a', values: { ':a': v }, holds: (p) => after(v, p) },
    { name: `<= ${v}`, expression: 'period <= :a', values: { ':a': v }, holds: (p) => !after(p, v) },
    { name: `> ${v}`, expression: 'period > :a', values: { ':a': v }, holds: (p) => after(p, v) },
    { name: `>= ${v}`, expression: 'period >= :a', values: { ':a': v }, holds: (p) => !after(v, p) },
  ]),
  ...['2024', '2024-01', 'a', '\uE000', 'zzz'].map(
    (v): Condition => ({
      name: `begins_with ${v}`,
      expression: 'begins_with(period, :a)',
      values: { ':a': v },
      holds: (p) => p.startsWith(v),
    }),
  ),
  ...[
    ['2024-01', '2024-02'],
    ['2024-01~', 'ab'],
    ['a', '😀'],
    ['\uE000', '\uFFFD'],
  ].map(
    ([low, high]): Condition => ({
      name: `between ${low} and ${high}`,
      expression: 'period BETWEEN :a AND :b',
      values: { ':a': low, ':b': high },
      holds: (p) => !after(low, p) && !after(p, high),
    }),
  ),
];

interface Store {
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

async function startStore(options: { path?: string }): Promise<Store> {
  const raw = await startRawDynalite(options);
  const client = createDynamoDBClient({ endpoint: raw.endpoint });
  await ensureScoresTable(client, TABLE, true);
  return {
    client,
    close: async () => {
      client.destroy();
      await raw.close();
    },
  };
}

const scoreOf = (driver: number, period: string) => String(driver * 100 + PERIODS.indexOf(period));

async function seed(client: DynamoDBClient): Promise<void> {
  const puts = DRIVERS.flatMap((driverId, d) =>
    PERIODS.map((period) => ({
      PutRequest: { Item: { driverId: { S: driverId }, period: { S: period }, score: { N: scoreOf(d, period) } } },
    })),
  );
  for (let i = 0; i < puts.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: puts.slice(i, i + 25) } }));
  }
}

/** Every item of the query, page by page: the periods in order, and each page's LastEvaluatedKey. */
async function readAll(
  client: DynamoDBClient,
  driverId: string,
  condition: Condition,
  forward: boolean,
  limit: number,
) {
  const periods: string[] = [];
  const pageKeys: (Record<string, AttributeValue> | undefined)[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const values: Record<string, AttributeValue> = { ':d': { S: driverId } };
    for (const [name, value] of Object.entries(condition.values)) values[name] = { S: value };
    const page = await client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: `driverId = :d${condition.expression ? ` AND ${condition.expression}` : ''}`,
        ExpressionAttributeValues: values,
        ScanIndexForward: forward,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      periods.push(item.period.S as string);
      expect(item.score.N).toBe(scoreOf(DRIVERS.indexOf(driverId), item.period.S as string));
    }
    pageKeys.push(page.LastEvaluatedKey);
    start = page.LastEvaluatedKey;
  } while (start && pageKeys.length <= PERIODS.length + 1);
  return { periods, pageKeys };
}

describe.each([
  ['in memory', () => ({})],
  ['LevelDB on disk', (dir: string) => ({ path: dir })],
])('dynalite query pages through pooled iterators (%s)', (_name, optionsFor) => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'range-reads-'));
    store = await startStore(optionsFor(dir));
    await seed(store.client);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every key condition, both ways, in pages of 1 to 3, what DynamoDB gives', async () => {
    let compared = 0;
    for (const driverId of DRIVERS) {
      for (const condition of CONDITIONS) {
        const matching = SORTED.filter(condition.holds);
        for (const forward of [true, false]) {
          const expected = forward ? matching : [...matching].reverse();
          for (const limit of [1, 2, 3]) {
            const { periods, pageKeys } = await readAll(store.client, driverId, condition, forward, limit);
            const label = `${driverId} ${condition.name} ${forward ? 'forward' : 'reverse'} Limit ${limit}`;
            expect(periods, label).toEqual(expected);
            // A full page names its last item as where to go on; a short page ends the query.
            pageKeys.forEach((key, page) => {
              const items = expected.slice(page * limit, (page + 1) * limit);
              if (items.length === limit) expect(key?.period.S, label).toBe(items[limit - 1]);
              else expect(key, label).toBeUndefined();
            });
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(DRIVERS.length * CONDITIONS.length * 6);
  }, 120_000);

  it('pages through items larger than what LevelDB hands over in one read', async () => {
    // classic-level's nextv() stops at 16 KiB, so each read of these gives one entry, and a read
    // may hold nothing but an exclusive bound's own key.
    const periods = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
    const puts = periods.map((period) => ({
      PutRequest: { Item: { driverId: { S: 'BIG' }, period: { S: period }, pad: { S: 'x'.repeat(20_000) } } },
    }));
    await store.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: puts } }));
    const read = async (condition: string, value: string, forward: boolean, limit: number) => {
      const page = await store.client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: `driverId = :d AND ${condition}`,
          ExpressionAttributeValues: { ':d': { S: 'BIG' }, ':a': { S: value } },
          ProjectionExpression: 'period',
          ScanIndexForward: forward,
          Limit: limit,
        }),
      );
      return page.Items?.map((item) => item.period.S);
    };
    expect(await read('period > :a', '2025-01', true, 3)).toEqual(['2025-02', '2025-03', '2025-04']);
    expect(await read('period < :a', '2025-06', false, 3)).toEqual(['2025-05', '2025-04', '2025-03']);
    expect(await read('period >= :a', '2025-04', true, 5)).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(await read('period <= :a', '2025-02', false, 5)).toEqual(['2025-02', '2025-01']);
    expect(await read('period > :a', '2025-06', true, 2)).toEqual([]);
  });

  it('compares strings in filters by their UTF-8 bytes too', async () => {
    // '😀' is F0 9F 98 80 in UTF-8, above U+E000's EE 80 80; in UTF-16 it is D83D DE00, below E000.
    for (const [period, tag] of [
      ['2025-01', '\uE000'],
      ['2025-02', '😀'],
    ]) {
      await store.client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { driverId: { S: 'F1' }, period: { S: period }, score: { N: '1' }, tag: { S: tag } },
        }),
      );
    }
    const filtered = async (filter: string) => {
      const page = await store.client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'driverId = :d',
          FilterExpression: filter,
          ExpressionAttributeValues: { ':d': { S: 'F1' }, ':t': { S: '\uE000' } },
        }),
      );
      return page.Items?.map((item) => item.tag.S);
    };
    expect(await filtered('tag > :t')).toEqual(['😀']);
    expect(await filtered('tag <= :t')).toEqual(['\uE000']);
    expect(await filtered('tag BETWEEN :t AND :t')).toEqual(['\uE000']);
  });

  describe('sees every write in the next query', () => {
    const newest = async (driverId: string) => {
      const page = await store.client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'driverId = :d',
          ExpressionAttributeValues: { ':d': { S: driverId } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      return page.Items?.[0] ? `${page.Items[0].period.S} ${page.Items[0].score.N}` : undefined;
    };
    const item = (driverId: string, period: string, score: string) => ({
      driverId: { S: driverId },
      period: { S: period },
      score: { N: score },
    });

    it('PutItem, UpdateItem and DeleteItem', async () => {
      expect(await newest('W1')).toBeUndefined();
      await store.client.send(new PutItemCommand({ TableName: TABLE, Item: item('W1', '2025-01', '1') }));
      expect(await newest('W1')).toBe('2025-01 1');
      await store.client.send(new PutItemCommand({ TableName: TABLE, Item: item('W1', '2025-02', '2') }));
      expect(await newest('W1')).toBe('2025-02 2');
      await store.client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { driverId: { S: 'W1' }, period: { S: '2025-02' } },
          UpdateExpression: 'SET score = :s',
          ExpressionAttributeValues: { ':s': { N: '3' } },
        }),
      );
      expect(await newest('W1')).toBe('2025-02 3');
      await store.client.send(
        new DeleteItemCommand({ TableName: TABLE, Key: { driverId: { S: 'W1' }, period: { S: '2025-02' } } }),
      );
      expect(await newest('W1')).toBe('2025-01 1');
    });

    it('BatchWriteItem and TransactWriteItems', async () => {
      expect(await newest('W2')).toBeUndefined();
      await store.client.send(
        new BatchWriteItemCommand({
          RequestItems: { [TABLE]: [{ PutRequest: { Item: item('W2', '2025-03', '4') } }] },
        }),
      );
      expect(await newest('W2')).toBe('2025-03 4');
      await store.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: TABLE, Item: item('W2', '2025-04', '5') } }],
        }),
      );
      expect(await newest('W2')).toBe('2025-04 5');
      await store.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: [{ DeleteRequest: { Key: { driverId: { S: 'W2' }, period: { S: '2025-04' } } } }],
          },
        }),
      );
      expect(await newest('W2')).toBe('2025-03 4');
    });

    it('a write made while queries are reading', async () => {
      await store.client.send(new PutItemCommand({ TableName: TABLE, Item: item('W3', '2025-01', '1') }));
      const reads = Array.from({ length: 20 }, () => newest('W3'));
      await store.client.send(new PutItemCommand({ TableName: TABLE, Item: item('W3', '2025-05', '9') }));
      // Reads racing the write may give either; every read after it must give the new item.
      for (const seen of await Promise.all(reads)) expect(['2025-01 1', '2025-05 9']).toContain(seen);
      const later = await Promise.all(Array.from({ length: 20 }, () => newest('W3')));
      expect(later).toEqual(Array(20).fill('2025-05 9'));
    });
  });
});
