/**
 * The DynamoDB data source against a real DynamoDB API (embedded dynalite): the request
 * objects of AWS's JavaScript resolver reference in, AppSync's ctx.result shapes out.
 * https://docs.aws.amazon.com/appsync/latest/devguide/js-resolver-reference-dynamodb.html
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDataSource } from '../../src/runtime/datasources/dynamodb';
import { Deferred } from '../../src/runtime/deferred';
import {
  batchDelete,
  batchGet,
  batchPut,
  get,
  operations,
  put,
  query,
  remove,
  scan,
  update,
} from '../../src/runtime/modules/dynamodb';
import { toMapValues } from '../../src/runtime/util/dynamodb-values';
import { createDynamoDBClient, createEmbeddedStoreClient } from '../../src/store/client';
import { embeddedStoreApi, sdkDynamoDBApi } from '../../src/store/dynamodb-api';
import { type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';

const TABLE = 'ds-test-scores';
let store: ListeningEmbeddedStore;
let client: DynamoDBClient;
let removeDir: () => Promise<void>;
let ds: DynamoDBDataSource;

beforeAll(async () => {
  const dir = await tempDir();
  removeDir = dir.remove;
  store = await startEmbeddedStore(dir.dir, { listen: true });
  client = createDynamoDBClient({ endpoint: store.endpoint, credentials: store.credentials });
  await ensureScoresTable(client, TABLE, true);
  ds = new DynamoDBDataSource({ api: sdkDynamoDBApi(client), tableName: TABLE });
  for (const period of ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05']) {
    await ds.invoke(
      put({ key: { driverId: 'D1', period }, item: { score: Number(period.slice(-1)) * 10, tags: ['a'] } }),
    );
  }
});
afterAll(async () => {
  client.destroy();
  await store.close();
  await removeDir();
});

describe('GetItem', () => {
  it('returns the item as plain JSON, numbers as numbers', async () => {
    expect(await ds.invoke(get({ key: { driverId: 'D1', period: '2024-02' } }))).toEqual({
      result: { driverId: 'D1', period: '2024-02', score: 20, tags: ['a'] },
    });
  });

  it('returns null for a missing item', async () => {
    expect(await ds.invoke(get({ key: { driverId: 'D1', period: '1999-01' } }))).toEqual({ result: null });
  });

  it('accepts the raw request object of the reference (key through util.dynamodb.toMapValues)', async () => {
    const out = await ds.invoke({
      operation: 'GetItem',
      key: toMapValues({ driverId: 'D1', period: '2024-03' }),
      consistentRead: true,
    });
    expect(out.result).toMatchObject({ score: 30 });
  });

  it('applies a projection', async () => {
    const out = await ds.invoke(get({ key: { driverId: 'D1', period: '2024-03' }, projection: ['score'] }));
    expect(out.result).toEqual({ score: 30 });
  });
});

describe('Query', () => {
  it('returns { items, nextToken, scannedCount }, paging with an opaque token', async () => {
    const first = (await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, scanIndexForward: false, limit: 2 })))
      .result as {
      items: { period: string }[];
      nextToken: string;
      scannedCount: number;
    };
    expect(first.items.map((i) => i.period)).toEqual(['2024-05', '2024-04']);
    expect(first.scannedCount).toBe(2);
    expect(typeof first.nextToken).toBe('string');
    const second = (
      await ds.invoke(
        query({ query: { driverId: { eq: 'D1' } }, scanIndexForward: false, limit: 10, nextToken: first.nextToken }),
      )
    ).result as { items: { period: string }[]; nextToken: string | null };
    expect(second.items.map((i) => i.period)).toEqual(['2024-03', '2024-02', '2024-01']);
    expect(second.nextToken).toBeNull();
  });

  it('applies sort-key conditions and filters', async () => {
    const out = (
      await ds.invoke(
        query({
          query: { driverId: { eq: 'D1' }, period: { between: ['2024-02', '2024-04'] } },
          filter: { score: { gt: 20 } },
        }),
      )
    ).result as { items: { period: string }[]; scannedCount: number };
    expect(out.items.map((i) => i.period)).toEqual(['2024-03', '2024-04']);
    expect(out.scannedCount).toBe(3);
  });

  it('reports a DynamoDB error as ctx.error with type DynamoDB:<Exception>', async () => {
    const out = await ds.invoke({
      operation: 'Query',
      query: { expression: 'nonsense ==== :x', expressionValues: { ':x': { S: 'a' } } },
    });
    expect(out.result).toBeNull();
    expect(out.error?.type).toBe('DynamoDB:ValidationException');
    expect(out.error?.message).toContain('(Service: DynamoDb, Status Code: 400');
  });
});

describe('Scan', () => {
  it('returns every item page by page', async () => {
    const out = (await ds.invoke(scan({ limit: 100 }))).result as { items: unknown[] };
    expect(out.items.length).toBeGreaterThanOrEqual(5);
  });
});

describe('PutItem, UpdateItem, DeleteItem', () => {
  it('PutItem returns the item written; a failed condition reports ConditionalCheckFailedException', async () => {
    const written = await ds.invoke(
      put({ key: { driverId: 'P1', period: '2024-01' }, item: { score: 1, tags: ['a'] } }),
    );
    expect(written.result).toEqual({ driverId: 'P1', period: '2024-01', score: 1, tags: ['a'] });
    const refused = await ds.invoke(
      put({
        key: { driverId: 'P1', period: '2024-01' },
        item: { score: 2 },
        condition: { driverId: { attributeExists: false } },
      }),
    );
    expect(refused.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  it('UpdateItem returns the updated item (operations helpers)', async () => {
    const out = await ds.invoke(
      update({
        key: { driverId: 'P1', period: '2024-01' },
        update: { score: operations.increment(5), note: 'x', tags: operations.append(['b']) },
      }),
    );
    expect(out.result).toMatchObject({ score: 6, note: 'x', tags: ['a', 'b'] });
  });

  it('DeleteItem returns the deleted item', async () => {
    const out = await ds.invoke(remove({ key: { driverId: 'P1', period: '2024-01' } }));
    expect(out.result).toMatchObject({ driverId: 'P1', score: 6 });
    expect((await ds.invoke(get({ key: { driverId: 'P1', period: '2024-01' } }))).result).toBeNull();
  });
});

describe('BatchGetItem, BatchPutItem, BatchDeleteItem', () => {
  it('BatchPutItem returns data per table and an empty unprocessedItems', async () => {
    const out = await ds.invoke(
      batchPut({
        tables: {
          [TABLE]: [
            { driverId: 'B1', period: '2024-01', score: 1 },
            { driverId: 'B2', period: '2024-01', score: 2 },
          ],
        },
      }),
    );
    expect(out.result).toEqual({
      data: {
        [TABLE]: [
          { driverId: 'B1', period: '2024-01', score: 1 },
          { driverId: 'B2', period: '2024-01', score: 2 },
        ],
      },
      unprocessedItems: { [TABLE]: [] },
    });
  });

  it('BatchGetItem aligns data with the keys, null where an item is missing', async () => {
    const keys = [
      { driverId: 'B2', period: '2024-01' },
      { driverId: 'NOPE', period: '2024-01' },
      { driverId: 'B1', period: '2024-01' },
    ];
    const out = await ds.invoke(batchGet({ tables: { [TABLE]: { keys } } }));
    expect(out.result).toEqual({
      data: {
        [TABLE]: [
          { driverId: 'B2', period: '2024-01', score: 2 },
          null,
          { driverId: 'B1', period: '2024-01', score: 1 },
        ],
      },
      unprocessedKeys: { [TABLE]: [] },
    });
  });

  it('BatchDeleteItem returns the keys it deleted', async () => {
    const out = await ds.invoke(batchDelete({ tables: { [TABLE]: [{ driverId: 'B1', period: '2024-01' }] } }));
    expect(out.result).toEqual({
      data: { [TABLE]: [{ driverId: 'B1', period: '2024-01' }] },
      unprocessedKeys: { [TABLE]: [] },
    });
    expect((await ds.invoke(get({ key: { driverId: 'B1', period: '2024-01' } }))).result).toBeNull();
  });
});

describe('operations the runtime does not emulate', () => {
  it('fail loudly', async () => {
    await expect(ds.invoke({ operation: 'Sync' })).rejects.toThrow(
      'unsupported in the offline runtime: DynamoDB operation Sync',
    );
  });
});

describe('when the embedded store has stopped', () => {
  it('answers with a ServiceUnavailable error at once instead of hanging', async () => {
    const dir = await tempDir();
    const stopped = await startEmbeddedStore(dir.dir);
    const lonelyClient = createEmbeddedStoreClient(stopped.endpoint, stopped.requestHandler);
    await stopped.close();
    for (const api of [sdkDynamoDBApi(lonelyClient), embeddedStoreApi(stopped.requestHandler)]) {
      const started = Date.now();
      const out = await new DynamoDBDataSource({ api, tableName: TABLE }).invoke(
        get({ key: { driverId: 'D1', period: '2024-01' } }),
      );
      expect(out.error?.type).toBe('DynamoDB:ServiceUnavailable');
      expect(Date.now() - started).toBeLessThan(5000);
    }
    lonelyClient.destroy();
    await dir.remove();
  });
});

describe('pagination tokens (AppSync "encrypts and obfuscates the pagination token")', () => {
  const firstPage = async (resolver: string) =>
    (
      (await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, limit: 2 }), { resolver })).result as {
        nextToken: string;
      }
    ).nextToken;

  it('hands the runtime a token sealed on first read, which opens like any other', async () => {
    const out = (
      await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, limit: 2 }), {
        resolver: 'Query.scoreHistory',
        deferTokens: true,
      })
    ).result as { nextToken: Deferred<string> };
    expect(out.nextToken).toBeInstanceOf(Deferred);
    const token = out.nextToken.value;
    expect(out.nextToken.value).toBe(token);
    const next = await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, limit: 10, nextToken: token }), {
      resolver: 'Query.scoreHistory',
    });
    expect(next.error).toBeUndefined();
    expect((next.result as { items: unknown[] }).items).toHaveLength(3);
  });

  it('does not show the key it carries', async () => {
    const token = await firstPage('Query.scoreHistory');
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('D1');
  });

  it('refuses a token made for another resolver, as AppSync does', async () => {
    const token = await firstPage('Query.scoreHistory');
    const out = await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, nextToken: token }), {
      resolver: 'Query.other',
    });
    expect(out.error).toMatchObject({ type: 'DynamoDB:UserIllegalArgumentException' });
    expect(out.error?.message).toContain('Invalid pagination token given.');
  });

  it('refuses a token with one character changed', async () => {
    const token = await firstPage('Query.scoreHistory');
    const tampered = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    const out = await ds.invoke(query({ query: { driverId: { eq: 'D1' } }, nextToken: tampered }), {
      resolver: 'Query.scoreHistory',
    });
    expect(out.error?.type).toBe('DynamoDB:UserIllegalArgumentException');
  });
});
