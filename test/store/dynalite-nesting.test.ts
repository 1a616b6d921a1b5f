/**
 * DynamoDB's document nesting limit in the embedded store (our dynalite patch, validations/index.js).
 * What AWS answers, recorded against DynamoDB in eu-west-2 and us-east-1 by
 * paritysuite/dynamodb-conformance ("Nesting depth — 32-level document limit", "— BatchWriteItem",
 * "— TransactWriteItems", captured 2026-06 and 2026-09-12): an attribute of 31 single-key map
 * wraps around a scalar is stored, one of 32 is refused with a ValidationException, "Nesting
 * Levels have exceeded supported limits: Attributes in the item have nested levels beyond
 * supported limit", by PutItem, BatchWriteItem and a TransactWriteItems Put alike. A
 * TransactWriteItems Update that SETs a 32-level value into the item is cancelled with a
 * ValidationError reason whose message is that one (30 of 33 regions, us-east-1 among them; the
 * other three answer a top-level ValidationException). UpdateItem refuses a 32-level
 * ExpressionAttributeValue with that ValidationException (most regions up front, the others on
 * the stored item). The Developer
 * Guide's quotas say the same of documents: "nested attributes up to 32 levels deep".
 * dynalite stored any depth, and a request of 1,000 levels threw a RangeError out of its type
 * checks that took the server down.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import { type RawDynalite, startRawDynalite } from '../helpers/dynalite-raw';

const TABLE = 'nesting';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

let store: RawDynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  store = await startRawDynalite();
  client = createDynamoDBClient({ endpoint: store.endpoint });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
});

/** `wraps` single-key maps around a string: 1 gives { M: { n: { S } } }. */
function deepMap(wraps: number, list = false): AttributeValue {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < wraps; i += 1) value = list && i % 2 === 0 ? { L: [value] } : { M: { n: value } };
  return value;
}

function wrapsOf(value: AttributeValue | undefined): number {
  let wraps = 0;
  for (let v = value; v?.M?.n ?? v?.L?.[0]; v = v.M?.n ?? v.L?.[0]) wraps += 1;
  return wraps;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'stored',
    (error: Error) => `${error.name}: ${error.message}`,
  );

const stored = async (id: string) =>
  wrapsOf((await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }))).Item?.data);

describe('item nesting in the embedded store, as DynamoDB limits it', () => {
  const put = (id: string, data: AttributeValue) =>
    client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, data } }));
  const batchPut = (id: string, data: AttributeValue) =>
    client.send(
      new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { id: { S: id }, data } } }] } }),
    );
  const transactPut = (id: string, data: AttributeValue) =>
    client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: { id: { S: id }, data } } }] }),
    );

  it.each([
    ['PutItem', put],
    ['BatchWriteItem', batchPut],
    ['TransactWriteItems', transactPut],
  ])('%s stores 31 wraps and refuses 32', async (name, write) => {
    expect(await refusal(write(`${name}-31`, deepMap(31)))).toBe('stored');
    expect(await stored(`${name}-31`)).toBe(31);
    expect(await refusal(write(`${name}-32`, deepMap(32)))).toBe(`ValidationException: ${NESTING}`);
    expect(await stored(`${name}-32`)).toBe(0);
  });

  it('counts lists as maps are counted, and an empty map at the 32nd level too', async () => {
    expect(await refusal(put('list-31', deepMap(31, true)))).toBe('stored');
    expect(await refusal(put('list-32', deepMap(32, true)))).toBe(`ValidationException: ${NESTING}`);
    let empty: AttributeValue = { M: {} };
    for (let i = 0; i < 31; i += 1) empty = { M: { n: empty } };
    expect(await refusal(put('empty-32', empty))).toBe(`ValidationException: ${NESTING}`);
  });

  it('refuses a request 100,000 levels deep with the same answer, and goes on serving', async () => {
    const depth = 100_000;
    const body = `{"TableName":"${TABLE}","Item":{"id":{"S":"deep"},"data":${'{"M":{"n":'.repeat(depth)}{"S":"leaf"}${'}}'.repeat(depth)}}}`;
    const answer = await store.callText('PutItem', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: NESTING });
    expect(await refusal(put('after', { S: 'x' }))).toBe('stored');
  });

  it('UpdateItem refuses a value SET 32 levels deep, or a path SET below a deep map, and keeps the item', async () => {
    const update = (id: string, expression: string, value: AttributeValue) =>
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { id: { S: id } },
          UpdateExpression: expression,
          ExpressionAttributeNames: { '#d': 'data' },
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    expect(await refusal(update('update-31', 'SET #d = :v', deepMap(31)))).toBe('stored');
    expect(await stored('update-31')).toBe(31);
    expect(await refusal(update('update-32', 'SET #d = :v', deepMap(32)))).toBe(`ValidationException: ${NESTING}`);
    expect(await stored('update-32')).toBe(0);

    // The item holds 31 wraps; a map SET at the leaf's place makes 32.
    const leafPath = `#d${'.n'.repeat(31)}`;
    expect(await refusal(update('update-31', `SET ${leafPath} = :v`, { M: {} }))).toBe(
      `ValidationException: ${NESTING}`,
    );
    expect(await refusal(update('update-31', `SET ${leafPath} = :v`, { S: 'other leaf' }))).toBe('stored');
    expect(await stored('update-31')).toBe(31);
  });

  it('TransactWriteItems cancels an Update that SETs a 32-level value, with a ValidationError reason', async () => {
    const transactUpdate = (id: string, value: AttributeValue) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { id: { S: `${id}-other` } } } },
            {
              Update: {
                TableName: TABLE,
                Key: { id: { S: id } },
                UpdateExpression: 'SET #d = :v',
                ExpressionAttributeNames: { '#d': 'data' },
                ExpressionAttributeValues: { ':v': value },
              },
            },
          ],
        }),
      );
    expect(await refusal(transactUpdate('twi-update-31', deepMap(31)))).toBe('stored');
    expect(await stored('twi-update-31')).toBe(31);

    const error = await transactUpdate('twi-update-32', deepMap(32)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const cancelled = error as TransactionCanceledException;
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
    );
    expect(cancelled.CancellationReasons?.map((reason) => [reason.Code, reason.Message])).toEqual([
      ['None', undefined],
      ['ValidationError', NESTING],
    ]);
    expect(await stored('twi-update-32')).toBe(0);
    const other = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'twi-update-32-other' } } }),
    );
    expect(other.Item).toBeUndefined();
  });
});
