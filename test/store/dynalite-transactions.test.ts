/**
 * TransactGetItems and TransactWriteItems, which our patch adds to dynalite 4.0.0
 * (patches/dynalite+4.0.0.patch: actions/transact*.js, validations/transact*.js,
 * db/transactions.js), held to DynamoDB's semantics through the AWS SDK against the embedded
 * store: all or nothing, every condition checked before anything is written, cancellation
 * reasons in request order, DynamoDB's validation errors, snapshot reads, idempotency tokens.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import {
  type AttributeValue,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  type TransactGetItemsCommandInput,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClient } from '../../src/store/client';
import { type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';

const SCORES = 'tx-scores';
/** Accounts, with a global secondary index on `owner` (the transaction's batch writes indexes too). */
const ACCOUNTS = 'tx-accounts';

let store: ListeningEmbeddedStore;
let client: DynamoDBClient;
let removeDir: () => Promise<void>;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const score = (driverId: string, period = '2024-01') => ({ driverId: s(driverId), period: s(period) });
const account = (id: string) => ({ id: s(id) });

beforeAll(async () => {
  const dir = await tempDir();
  removeDir = dir.remove;
  store = await startEmbeddedStore(dir.dir, { listen: true });
  client = createDynamoDBClient({ endpoint: store.endpoint, credentials: store.credentials });
  await ensureScoresTable(client, SCORES, true);
  await client.send(
    new CreateTableCommand({
      TableName: ACCOUNTS,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: ACCOUNTS });
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
  await removeDir?.();
});

const write = (input: TransactWriteItemsCommandInput) => client.send(new TransactWriteItemsCommand(input));
const read = (input: TransactGetItemsCommandInput) => client.send(new TransactGetItemsCommand(input));
const getItem = async (TableName: string, Key: Record<string, AttributeValue>) =>
  (await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
const putItem = (TableName: string, Item: Record<string, AttributeValue>) =>
  client.send(new PutItemCommand({ TableName, Item }));
const owners = async (owner: string) =>
  (
    await client.send(
      new QueryCommand({
        TableName: ACCOUNTS,
        IndexName: 'by-owner',
        KeyConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':o': s(owner) },
      }),
    )
  ).Items?.map((item) => item.id.S);

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<Error & { CancellationReasons?: unknown[] }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck across tables, indexes included, and answers {}', async () => {
    await putItem(ACCOUNTS, { id: s('A1'), owner: s('amy'), balance: n(100) });
    await putItem(ACCOUNTS, { id: s('A2'), owner: s('bob'), balance: n(5) });
    await putItem(SCORES, { ...score('W1'), score: n(1) });

    const out = await write({
      TransactItems: [
        { Put: { TableName: ACCOUNTS, Item: { id: s('A3'), owner: s('amy'), balance: n(0) } } },
        {
          Update: {
            TableName: ACCOUNTS,
            Key: account('A1'),
            UpdateExpression: 'SET balance = balance - :v, #o = :bob',
            ConditionExpression: 'balance >= :v',
            ExpressionAttributeNames: { '#o': 'owner' },
            ExpressionAttributeValues: { ':v': n(30), ':bob': s('bob') },
          },
        },
        { Delete: { TableName: SCORES, Key: score('W1') } },
        { ConditionCheck: { TableName: ACCOUNTS, Key: account('A2'), ConditionExpression: 'attribute_exists(id)' } },
      ],
    });

    expect(out.ConsumedCapacity).toBeUndefined();
    expect(await getItem(ACCOUNTS, account('A3'))).toEqual({ id: s('A3'), owner: s('amy'), balance: n(0) });
    expect(await getItem(ACCOUNTS, account('A1'))).toEqual({ id: s('A1'), owner: s('bob'), balance: n(70) });
    expect(await getItem(SCORES, score('W1'))).toBeUndefined();
    expect(await getItem(ACCOUNTS, account('A2'))).toEqual({ id: s('A2'), owner: s('bob'), balance: n(5) });
    expect((await owners('amy'))?.sort()).toEqual(['A3']);
    expect((await owners('bob'))?.sort()).toEqual(['A1', 'A2']);
  });

  it('writes nothing when a condition fails, and gives a reason per request item in request order', async () => {
    await putItem(ACCOUNTS, { id: s('C1'), owner: s('cat'), balance: n(10) });
    const error = await failure(
      write({
        TransactItems: [
          { Put: { TableName: ACCOUNTS, Item: { id: s('C2'), owner: s('cat'), balance: n(1) } } },
          {
            Update: {
              TableName: ACCOUNTS,
              Key: account('C1'),
              UpdateExpression: 'SET balance = balance - :v',
              ConditionExpression: 'balance >= :v',
              ExpressionAttributeValues: { ':v': n(50) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Delete: { TableName: ACCOUNTS, Key: account('C1-missing'), ConditionExpression: 'attribute_exists(id)' } },
        ],
      }),
    );

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { id: s('C1'), owner: s('cat'), balance: n(10) },
      },
      // No stored item to return, and no ALL_OLD asked for.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await getItem(ACCOUNTS, account('C2'))).toBeUndefined();
    expect(await getItem(ACCOUNTS, account('C1'))).toEqual({ id: s('C1'), owner: s('cat'), balance: n(10) });
    expect(await owners('cat')).toEqual(['C1']);
  });

  it('returns the stored item of a failed ConditionCheck only with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    await putItem(SCORES, { ...score('R1'), score: n(3) });
    const check = (ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE') =>
      failure(
        write({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: SCORES,
                Key: score('R1'),
                ConditionExpression: 'attribute_not_exists(driverId)',
                ReturnValuesOnConditionCheckFailure,
              },
            },
          ],
        }),
      );
    expect((await check('ALL_OLD')).CancellationReasons).toEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...score('R1'), score: n(3) },
      },
    ]);
    expect((await check('NONE')).CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect((await check()).CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
  });

  it('cancels with ValidationError when an update does not fit the stored item', async () => {
    await putItem(SCORES, { ...score('V1'), label: s('text') });
    const error = await failure(
      write({
        TransactItems: [
          { Put: { TableName: SCORES, Item: { ...score('V2'), score: n(1) } } },
          {
            Update: {
              TableName: SCORES,
              Key: score('V1'),
              UpdateExpression: 'SET label = label + :one',
              ExpressionAttributeValues: { ':one': n(1) },
            },
          },
        ],
      }),
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' },
    ]);
    expect(await getItem(SCORES, score('V2'))).toBeUndefined();
  });

  it('lets no other write interleave: concurrent transfers and single updates keep the total', async () => {
    await putItem(ACCOUNTS, { id: s('T1'), owner: s('tom'), balance: n(1000) });
    await putItem(ACCOUNTS, { id: s('T2'), owner: s('tom'), balance: n(1000) });
    const transfer = (from: string, to: string) =>
      write({
        TransactItems: [
          {
            Update: {
              TableName: ACCOUNTS,
              Key: account(from),
              UpdateExpression: 'SET balance = balance - :one',
              ExpressionAttributeValues: { ':one': n(1) },
            },
          },
          {
            Update: {
              TableName: ACCOUNTS,
              Key: account(to),
              UpdateExpression: 'SET balance = balance + :one',
              ExpressionAttributeValues: { ':one': n(1) },
            },
          },
        ],
      });
    const deposit = (id: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: ACCOUNTS,
          Key: account(id),
          UpdateExpression: 'SET deposits = if_not_exists(deposits, :zero) + :one',
          ExpressionAttributeValues: { ':zero': n(0), ':one': n(1) },
        }),
      );
    const totals: number[] = [];
    const snapshot = async () => {
      const out = await read({
        TransactItems: [
          { Get: { TableName: ACCOUNTS, Key: account('T1') } },
          { Get: { TableName: ACCOUNTS, Key: account('T2') } },
        ],
      });
      totals.push((out.Responses ?? []).reduce((sum, r) => sum + Number(r.Item?.balance.N), 0));
    };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => [
        transfer(i % 2 ? 'T1' : 'T2', i % 2 ? 'T2' : 'T1'),
        transfer('T1', 'T2'),
        deposit(i % 2 ? 'T1' : 'T2'),
        snapshot(),
      ]).flat(),
    );
    // Every transactional read saw both sides of each transfer, or neither.
    expect(new Set(totals)).toEqual(new Set([2000]));
    const [t1, t2] = [await getItem(ACCOUNTS, account('T1')), await getItem(ACCOUNTS, account('T2'))];
    expect(Number(t1?.balance.N) + Number(t2?.balance.N)).toBe(2000);
    expect(Number(t1?.balance.N)).toBe(1000 - 40);
    expect(Number(t1?.deposits.N) + Number(t2?.deposits.N)).toBe(40);
  });

  it('applies a ClientRequestToken once, and refuses it with another request', async () => {
    const bump = (amount: number): TransactWriteItemsCommandInput => ({
      ClientRequestToken: 'token-once',
      TransactItems: [
        {
          Update: {
            TableName: SCORES,
            Key: score('I1'),
            UpdateExpression: 'ADD hits :n',
            ExpressionAttributeValues: { ':n': n(amount) },
          },
        },
      ],
    });
    await write(bump(1));
    await write(bump(1));
    expect(await getItem(SCORES, score('I1'))).toEqual({ ...score('I1'), hits: n(1) });
    const error = await failure(write(bump(2)));
    expect(error.name).toBe('IdempotentParameterMismatchException');
  });

  it('reports consumed capacity per table, twice that of plain writes', async () => {
    const out = await write({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [
        { Put: { TableName: SCORES, Item: score('K1') } },
        { Put: { TableName: SCORES, Item: score('K2') } },
        { Put: { TableName: ACCOUNTS, Item: { id: s('K3') } } },
      ],
    });
    expect(out.ConsumedCapacity).toEqual([
      { TableName: SCORES, CapacityUnits: 4 },
      { TableName: ACCOUNTS, CapacityUnits: 2 },
    ]);
  });
});

describe('TransactItems that DynamoDB refuses with a ValidationException', () => {
  const put = (Item: Record<string, AttributeValue>, TableName = SCORES) => ({ Put: { TableName, Item } });
  const cases: { what: string; input: TransactWriteItemsCommandInput; message: string | RegExp }[] = [
    {
      what: 'two request items on one item',
      input: {
        TransactItems: [put(score('D1')), { Delete: { TableName: SCORES, Key: score('D1') } }],
      },
      message: 'Transaction request cannot include multiple operations on one item',
    },
    {
      what: 'an empty list',
      input: { TransactItems: [] },
      message:
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    },
    {
      what: 'more than 100 request items',
      input: { TransactItems: Array.from({ length: 101 }, (_, i) => put(score(`M${i}`))) },
      message: /at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    },
    {
      what: 'a request item with two operations',
      input: { TransactItems: [{ ...put(score('D2')), Delete: { TableName: SCORES, Key: score('D2') } }] },
      message: 'TransactItems can only contain one of Check, Put, Update or Delete',
    },
    {
      what: 'a request item with none',
      input: { TransactItems: [{}] },
      message: 'TransactItems can only contain one of Check, Put, Update or Delete',
    },
    {
      what: 'a ConditionCheck without a condition',
      input: { TransactItems: [{ ConditionCheck: { TableName: SCORES, Key: score('D3') } as never }] },
      message:
        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
    },
    {
      what: 'a key that does not fit the table',
      input: { TransactItems: [{ Delete: { TableName: SCORES, Key: { driverId: s('D4') } } }] },
      message: 'The provided key element does not match the schema',
    },
    {
      what: 'an item without its key',
      input: { TransactItems: [put({ driverId: s('D5') })] },
      message: 'One or more parameter values were invalid: Missing the key period in the item',
    },
    {
      what: 'an invalid condition expression',
      input: {
        TransactItems: [{ Delete: { TableName: SCORES, Key: score('D6'), ConditionExpression: 'score >>> :x' } }],
      },
      message: /^Invalid ConditionExpression: Syntax error; /,
    },
    {
      what: 'an update of a key attribute',
      input: {
        TransactItems: [
          {
            Update: {
              TableName: SCORES,
              Key: score('D7'),
              UpdateExpression: 'SET period = :p',
              ExpressionAttributeValues: { ':p': s('2024-02') },
            },
          },
        ],
      },
      message:
        'One or more parameter values were invalid: Cannot update attribute period. This attribute is part of the key',
    },
  ];

  it.each(cases)('$what', async ({ input, message }) => {
    const error = await failure(write(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  it('answers ResourceNotFoundException for an unknown table, before writing anything', async () => {
    const error = await failure(write({ TransactItems: [put(score('U1')), put(score('U2'), 'no-such-table')] }));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found');
    expect(await getItem(SCORES, score('U1'))).toBeUndefined();
  });
});

describe('TransactGetItems', () => {
  it('answers Responses aligned with the request, {} for a missing item, projections applied', async () => {
    await putItem(SCORES, { ...score('G1'), score: n(7), tags: { SS: ['a'] } });
    await putItem(ACCOUNTS, { id: s('G2'), owner: s('gus') });
    const out = await read({
      TransactItems: [
        { Get: { TableName: ACCOUNTS, Key: account('G2') } },
        { Get: { TableName: SCORES, Key: score('nobody') } },
        {
          Get: {
            TableName: SCORES,
            Key: score('G1'),
            ProjectionExpression: '#s, tags',
            ExpressionAttributeNames: { '#s': 'score' },
          },
        },
      ],
    });
    expect(out.Responses).toEqual([
      { Item: { id: s('G2'), owner: s('gus') } },
      {},
      { Item: { score: n(7), tags: { SS: ['a'] } } },
    ]);
  });

  it('reports consumed capacity per table when asked', async () => {
    const out = await read({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [{ Get: { TableName: SCORES, Key: score('G1') } }],
    });
    expect(out.ConsumedCapacity).toEqual([{ TableName: SCORES, CapacityUnits: 2 }]);
  });

  it.each([
    {
      what: 'two Gets of one item',
      input: {
        TransactItems: [
          { Get: { TableName: SCORES, Key: score('G1') } },
          { Get: { TableName: SCORES, Key: score('G1') } },
        ],
      },
      message: 'Transaction request cannot include multiple operations on one item',
    },
    {
      what: 'a request item without its Get',
      input: { TransactItems: [{} as never] },
      message:
        "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null",
    },
    {
      what: 'more than 100 request items',
      input: {
        TransactItems: Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: SCORES, Key: score(`M${i}`) } })),
      },
      message: /Member must have length less than or equal to 100$/,
    },
    {
      what: 'an invalid projection',
      input: { TransactItems: [{ Get: { TableName: SCORES, Key: score('G1'), ProjectionExpression: 'a,,b' } }] },
      message: /^Invalid ProjectionExpression: Syntax error; /,
    },
  ])('refuses $what with a ValidationException', async ({ input, message }) => {
    const error = await failure(read(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });
});
