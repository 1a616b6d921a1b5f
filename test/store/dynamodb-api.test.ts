/**
 * The embedded store's direct JSON protocol (embeddedStoreApi) must answer exactly as the AWS
 * SDK does over HTTP against the same store: same output shapes (binary as bytes, numbers as
 * strings in attribute values, counts as numbers, keys for the next page) and the same errors.
 * Each case runs once through each, from the same starting state, and the answers must be equal.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import {
  type DynamoDBApi,
  type DynamoDBOperation,
  type DynamoDBOperations,
  embeddedStoreApi,
  sdkDynamoDBApi,
} from '../../src/store/dynamodb-api';
import { type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';

const TABLE = 'api-test-scores';
let store: ListeningEmbeddedStore;
let client: DynamoDBClient;
let sdk: DynamoDBApi;
let direct: DynamoDBApi;
let removeDir: () => Promise<void>;

const EVERY_TYPE = {
  driverId: { S: 'ALL' },
  period: { S: '2024-01' },
  score: { N: '87.5' },
  photo: { B: new Uint8Array([0, 1, 2, 250, 255]) },
  tags: { SS: ['a', 'b'] },
  sizes: { NS: ['1', '2.5'] },
  blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  factors: { M: { braking: { N: '70' }, B: { S: 'an attribute named B' }, BS: { L: [{ S: 'named BS' }] } } },
  history: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }] },
  active: { BOOL: false },
  nothing: { NULL: true },
};

beforeAll(async () => {
  const dir = await tempDir();
  removeDir = dir.remove;
  store = await startEmbeddedStore(dir.dir, { listen: true });
  client = createDynamoDBClient({ endpoint: store.endpoint, credentials: store.credentials });
  sdk = sdkDynamoDBApi(client);
  direct = embeddedStoreApi(store.requestHandler);
  await ensureScoresTable(client, TABLE, true);
  await sdk.call('PutItem', { TableName: TABLE, Item: EVERY_TYPE });
  for (const period of ['2024-01', '2024-02', '2024-03']) {
    await sdk.call('PutItem', {
      TableName: TABLE,
      Item: { driverId: { S: 'D1' }, period: { S: period }, score: { N: period.slice(-1) } },
    });
  }
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
  await removeDir?.();
});

type Answer =
  | { ok: unknown }
  | { error: { name: string; message: string; status?: number; CancellationReasons?: unknown } };

async function answer<O extends DynamoDBOperation>(
  api: DynamoDBApi,
  operation: O,
  input: DynamoDBOperations[O][0],
): Promise<Answer> {
  try {
    const { $metadata: _, ...output } = (await api.call(operation, input)) as Record<string, unknown>;
    return { ok: output };
  } catch (error) {
    const e = error as {
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
      CancellationReasons?: unknown;
    };
    const reasons = e.CancellationReasons === undefined ? {} : { CancellationReasons: e.CancellationReasons };
    return { error: { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, ...reasons } };
  }
}

/** Runs `setup`, then the call through the SDK; `setup` again, then through the direct protocol. */
async function both<O extends DynamoDBOperation>(
  operation: O,
  input: DynamoDBOperations[O][0],
  setup: () => Promise<unknown> = async () => {},
) {
  await setup();
  const viaSdk = await answer(sdk, operation, input);
  await setup();
  const viaDirect = await answer(direct, operation, input);
  return { viaSdk, viaDirect };
}

const restoreD9 = () =>
  sdk.call('PutItem', {
    TableName: TABLE,
    Item: { driverId: { S: 'D9' }, period: { S: '2024-01' }, score: { N: '5' } },
  });

describe('embeddedStoreApi answers as the SDK does', () => {
  it('GetItem of every attribute type, binary as bytes', async () => {
    const { viaSdk, viaDirect } = await both('GetItem', {
      TableName: TABLE,
      Key: { driverId: { S: 'ALL' }, period: { S: '2024-01' } },
    });
    expect(viaDirect).toEqual(viaSdk);
    expect(viaDirect).toEqual({ ok: { Item: EVERY_TYPE } });
  });

  it('GetItem of a missing item, with a projection', async () => {
    const { viaSdk, viaDirect } = await both('GetItem', {
      TableName: TABLE,
      Key: { driverId: { S: 'NOBODY' }, period: { S: '2024-01' } },
      ProjectionExpression: '#p',
      ExpressionAttributeNames: { '#p': 'period' },
    });
    expect(viaDirect).toEqual(viaSdk);
    expect(viaDirect).toEqual({ ok: {} });
  });

  it('Query newest first with a limit, then the next page from its key', async () => {
    const input = {
      TableName: TABLE,
      KeyConditionExpression: 'driverId = :d',
      ExpressionAttributeValues: { ':d': { S: 'D1' } },
      ScanIndexForward: false,
      Limit: 2,
    };
    const first = await both('Query', input);
    expect(first.viaDirect).toEqual(first.viaSdk);
    const page = (first.viaDirect as { ok: { LastEvaluatedKey: never } }).ok;
    const second = await both('Query', { ...input, ExclusiveStartKey: page.LastEvaluatedKey });
    expect(second.viaDirect).toEqual(second.viaSdk);
    expect(second.viaDirect).toMatchObject({
      ok: { Count: 1, ScannedCount: 1, Items: [{ period: { S: '2024-01' } }] },
    });
  });

  it('Scan with a filter', async () => {
    const { viaSdk, viaDirect } = await both('Scan', {
      TableName: TABLE,
      FilterExpression: 'score > :s',
      ExpressionAttributeValues: { ':s': { N: '1' } },
    });
    expect(viaDirect).toEqual(viaSdk);
  });

  it('UpdateItem returning the new item, DeleteItem returning the old one', async () => {
    const update = await both(
      'UpdateItem',
      {
        TableName: TABLE,
        Key: { driverId: { S: 'D9' }, period: { S: '2024-01' } },
        UpdateExpression: 'SET score = score + :one, photo = :b',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':b': { B: new Uint8Array([9, 9]) } },
        ReturnValues: 'ALL_NEW',
      },
      restoreD9,
    );
    expect(update.viaDirect).toEqual(update.viaSdk);
    expect(update.viaDirect).toMatchObject({ ok: { Attributes: { score: { N: '6' } } } });

    const remove = await both(
      'DeleteItem',
      { TableName: TABLE, Key: { driverId: { S: 'D9' }, period: { S: '2024-01' } }, ReturnValues: 'ALL_OLD' },
      restoreD9,
    );
    expect(remove.viaDirect).toEqual(remove.viaSdk);
  });

  it('BatchGetItem and BatchWriteItem', async () => {
    const get = await both('BatchGetItem', {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { driverId: { S: 'D1' }, period: { S: '2024-02' } },
            { driverId: { S: 'NOBODY' }, period: { S: '2024-02' } },
          ],
        },
      },
    });
    expect(get.viaDirect).toEqual(get.viaSdk);
    const write = await both('BatchWriteItem', {
      RequestItems: {
        [TABLE]: [
          {
            PutRequest: { Item: { driverId: { S: 'D8' }, period: { S: '2024-01' }, blob: { B: new Uint8Array([7]) } } },
          },
          { DeleteRequest: { Key: { driverId: { S: 'D7' }, period: { S: '2024-01' } } } },
        ],
      },
    });
    expect(write.viaDirect).toEqual(write.viaSdk);
    expect(
      await answer(direct, 'GetItem', { TableName: TABLE, Key: { driverId: { S: 'D8' }, period: { S: '2024-01' } } }),
    ).toEqual({
      ok: { Item: { driverId: { S: 'D8' }, period: { S: '2024-01' }, blob: { B: new Uint8Array([7]) } } },
    });
  });

  it('TransactWriteItems, then TransactGetItems of what it wrote (binary as bytes, {} where missing)', async () => {
    const K1 = { driverId: { S: 'TX' }, period: { S: '2024-01' } };
    const K2 = { driverId: { S: 'TX' }, period: { S: '2024-02' } };
    const removeTx = () =>
      sdk.call('BatchWriteItem', {
        RequestItems: { [TABLE]: [{ DeleteRequest: { Key: K1 } }, { DeleteRequest: { Key: K2 } }] },
      });
    const write = await both(
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: TABLE, Item: { ...K1, photo: { B: new Uint8Array([1, 255]) } } } },
          {
            Update: {
              TableName: TABLE,
              Key: K2,
              UpdateExpression: 'SET score = :s',
              ExpressionAttributeValues: { ':s': { N: '4.5' } },
            },
          },
        ],
      },
      removeTx,
    );
    expect(write.viaDirect).toEqual(write.viaSdk);
    expect(write.viaDirect).toEqual({ ok: {} });

    const read = await both('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: TABLE, Key: K1 } },
        { Get: { TableName: TABLE, Key: { driverId: { S: 'NOBODY' }, period: { S: '2024-01' } } } },
        { Get: { TableName: TABLE, Key: K2, ProjectionExpression: 'score' } },
      ],
    });
    expect(read.viaDirect).toEqual(read.viaSdk);
    expect(read.viaDirect).toEqual({
      ok: {
        Responses: [{ Item: { ...K1, photo: { B: new Uint8Array([1, 255]) } } }, {}, { Item: { score: { N: '4.5' } } }],
      },
    });
  });

  it('a cancelled transaction: TransactionCanceledException with CancellationReasons, stored item as bytes', async () => {
    const cancelled = await both('TransactWriteItems', {
      TransactItems: [
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: { driverId: { S: 'ALL' }, period: { S: '2024-01' } },
            ConditionExpression: 'attribute_not_exists(driverId)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { Put: { TableName: TABLE, Item: { driverId: { S: 'TX' }, period: { S: '2099-01' } } } },
      ],
    });
    expect(cancelled.viaDirect).toEqual(cancelled.viaSdk);
    expect(cancelled.viaDirect).toEqual({
      error: {
        name: 'TransactionCanceledException',
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
        status: 400,
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: EVERY_TYPE },
          { Code: 'None' },
        ],
      },
    });

    const duplicate = await both('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: TABLE, Key: { driverId: { S: 'D1' }, period: { S: '2024-01' } } } },
        { Get: { TableName: TABLE, Key: { driverId: { S: 'D1' }, period: { S: '2024-01' } } } },
      ],
    });
    expect(duplicate.viaDirect).toEqual(duplicate.viaSdk);
    expect(duplicate.viaDirect).toMatchObject({ error: { name: 'ValidationException', status: 400 } });
  });

  it('errors: a failed condition, an unknown table, an invalid expression', async () => {
    const condition = await both('PutItem', {
      TableName: TABLE,
      Item: { driverId: { S: 'D1' }, period: { S: '2024-01' } },
      ConditionExpression: 'attribute_not_exists(driverId)',
    });
    expect(condition.viaDirect).toEqual(condition.viaSdk);
    expect(condition.viaDirect).toMatchObject({ error: { name: 'ConditionalCheckFailedException', status: 400 } });

    const table = await both('GetItem', { TableName: 'no-such-table', Key: { driverId: { S: 'D1' } } });
    expect(table.viaDirect).toEqual(table.viaSdk);
    expect(table.viaDirect).toMatchObject({ error: { name: 'ResourceNotFoundException' } });

    const invalid = await both('Query', { TableName: TABLE, KeyConditionExpression: 'driverId = = :d' });
    expect(invalid.viaDirect).toEqual(invalid.viaSdk);
    expect(invalid.viaDirect).toMatchObject({ error: { name: 'ValidationException' } });
  });

  it('refuses a request that cannot be JSON (a cycle) with TypeError, as JSON.stringify does, and stays usable', async () => {
    const item: Record<string, unknown> = { driverId: { S: 'CYCLE' }, period: { S: '2024-01' } };
    item.self = { M: item };
    await expect(direct.call('PutItem', { TableName: TABLE, Item: item } as never)).rejects.toThrow(TypeError);
    const { viaDirect } = await both('GetItem', {
      TableName: TABLE,
      Key: { driverId: { S: 'CYCLE' }, period: { S: '2024-01' } },
    });
    expect(viaDirect).toEqual({ ok: {} });
  });

  it('writes and reads bytes in a request too big for the walk that looks for them (25 items of 500 maps)', async () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`a${i}`, { M: { v: { N: String(i) } } }]));
    // The only bytes: the first member of the first item, the last place the walk would look.
    const items = Array.from({ length: 25 }, (_, i) => ({
      ...(i === 0 ? { photo: { B: new Uint8Array([0, 255]) } } : {}),
      driverId: { S: 'WIDE' },
      period: { S: `2024-${String(i + 1).padStart(2, '0')}` },
      ...wide,
    }));
    await direct.call('BatchWriteItem', {
      RequestItems: { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) },
    } as never);
    const { viaSdk, viaDirect } = await both('GetItem', {
      TableName: TABLE,
      Key: { driverId: { S: 'WIDE' }, period: { S: '2024-01' } },
    });
    expect(viaDirect).toEqual(viaSdk);
    expect(viaDirect).toEqual({ ok: { Item: items[0] } });
  });
});
