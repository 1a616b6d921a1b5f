/**
 * DynamoDB transactions in the offline runtime: the request objects `transactGet` and
 * `transactWrite` build, and the TransactGetItems / TransactWriteItems operations of the
 * DynamoDB data source against the embedded store, through both ways of reaching it (the SDK and
 * the direct protocol), with AppSync's result shapes and failures.
 * https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-transact-write-items.html
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDataSource } from '../../src/runtime/datasources/dynamodb';
import { get, operations } from '../../src/runtime/modules/dynamodb';
import { transactGet, transactWrite } from '../../src/runtime/modules/transactions';
import { createDynamoDBClient } from '../../src/store/client';
import { embeddedStoreApi, sdkDynamoDBApi } from '../../src/store/dynamodb-api';
import { type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { evaluate, probeResolver } from '../helpers/runtime';
import { tempDir } from '../helpers/service';
import { createHashKeyTables } from '../helpers/tables';

const ddb = (call: string) => evaluate(call, "import * as ddb from '@aws-appsync/utils/dynamodb';");

describe('transactGet', () => {
  it('builds a TransactGetItems request: typed keys, projections as expressions, the table of each item', async () => {
    expect(
      await ddb(
        "ddb.transactGet({ items: [{ table: 'post', key: { id: '1' }, projection: ['name', 'author.id'] }, { table: 'comment', key: { postId: '1', n: 2 } }] })",
      ),
    ).toEqual({
      operation: 'TransactGetItems',
      transactItems: [
        {
          table: 'post',
          key: { id: { S: '1' } },
          projection: {
            expression: '#expName_1, #expName_2.#expName_3',
            expressionNames: { '#expName_1': 'name', '#expName_2': 'author', '#expName_3': 'id' },
          },
        },
        { table: 'comment', key: { postId: { S: '1' }, n: { N: 2 } } },
      ],
    });
  });

  it('refuses an input without a list of items', () => {
    expect(() => transactGet({})).toThrow('transactGet() expects `items` to be a list of request items');
    expect(() => transactGet({ items: [{ table: 'post' }] })).toThrow(
      'transactGet() expects items[0].key to be an object',
    );
  });
});

describe('transactWrite', () => {
  it('builds one request item per putItem, updateItem, deleteItem and conditionCheck, in order', async () => {
    expect(
      await ddb(`ddb.transactWrite({ items: [
        { putItem: { table: 'post', key: { id: '1' }, item: { id: '1', title: 'T', votes: 0 }, condition: { id: { attributeExists: false } } } },
        { updateItem: { table: 'post', key: { id: '2' }, update: { votes: ddb.operations.increment(1), info: { seen: true } }, condition: { votes: { lt: 10 } } } },
        { deleteItem: { table: 'comment', key: { id: '3' } } },
        { conditionCheck: { table: 'author', key: { id: 'a' }, condition: { active: { eq: true } } } },
      ] })`),
    ).toEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'post',
          operation: 'PutItem',
          key: { id: { S: '1' } },
          attributeValues: { title: { S: 'T' }, votes: { N: 0 } },
          condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
        },
        {
          table: 'post',
          operation: 'UpdateItem',
          key: { id: { S: '2' } },
          update: {
            expression: 'SET #expName_1 = #expName_1 + :expValue_1, #expName_2.#expName_3 = :expValue_2',
            expressionNames: { '#expName_1': 'votes', '#expName_2': 'info', '#expName_3': 'seen' },
            expressionValues: { ':expValue_1': { N: 1 }, ':expValue_2': { BOOL: true } },
          },
          condition: {
            expression: '(#votes < :votes_lt)',
            expressionNames: { '#votes': 'votes' },
            expressionValues: { ':votes_lt': { N: 10 } },
          },
        },
        { table: 'comment', operation: 'DeleteItem', key: { id: { S: '3' } } },
        {
          table: 'author',
          operation: 'ConditionCheck',
          key: { id: { S: 'a' } },
          condition: {
            expression: '(#active = :active_eq)',
            expressionNames: { '#active': 'active' },
            expressionValues: { ':active_eq': { BOOL: true } },
          },
        },
      ],
    });
  });

  it('refuses items that hold no operation or two, and an input without items', async () => {
    expect(() => transactWrite({ items: [{}] })).toThrow(
      'transactWrite() expects items[0] to hold one of putItem, updateItem, deleteItem or conditionCheck',
    );
    expect(() =>
      transactWrite({
        items: [{ putItem: { table: 't', key: { id: '1' }, item: {} }, deleteItem: { table: 't', key: {} } }],
      }),
    ).toThrow('transactWrite() expects items[0] to hold one of');
    expect(() => transactWrite({ items: [{ putItem: { table: 't', key: { id: '1' } } }] })).toThrow(
      'transactWrite() expects items[0].putItem.item to be an object',
    );
    await expect(ddb('ddb.transactWrite({})')).rejects.toMatchObject({ errorType: 'Code' });
  });
});

/** The tables of the transactions tutorial, keyed as there. */
const TABLES = {
  savingAccounts: 'accountNumber',
  checkingAccounts: 'accountNumber',
  transactionHistory: 'transactionId',
};

let store: ListeningEmbeddedStore;
let client: DynamoDBClient;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const dir = await tempDir();
  removeDir = dir.remove;
  store = await startEmbeddedStore(dir.dir, { listen: true });
  client = createDynamoDBClient({ endpoint: store.endpoint, credentials: store.credentials });
  await createHashKeyTables(client, TABLES);
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
  await removeDir?.();
});

const APIS = {
  'the AWS SDK': () => sdkDynamoDBApi(client),
  'the direct protocol': () => embeddedStoreApi(store.requestHandler),
};

describe.each(Object.entries(APIS))('TransactWriteItems and TransactGetItems through %s', (name, api) => {
  // The data source's own table "does not matter when using transactions" (the tutorial): none such exists.
  const source = () => new DynamoDBDataSource({ api: api(), tableName: 'not-a-table' });
  const id = (n: number) => `${name.length}-${n}`;

  it('writes across tables and answers the keys in request order, cancellationReasons null', async () => {
    const out = await source().invoke(
      transactWrite({
        items: [
          {
            putItem: {
              table: 'savingAccounts',
              key: { accountNumber: id(1) },
              item: { username: 'Tom', balance: 100 },
            },
          },
          {
            putItem: {
              table: 'checkingAccounts',
              key: { accountNumber: id(1) },
              item: { username: 'Tom', balance: 70 },
            },
          },
          { putItem: { table: 'transactionHistory', key: { transactionId: id(1) }, item: { amount: 7.5 } } },
        ],
      }),
    );
    expect(out).toEqual({
      result: {
        keys: [{ accountNumber: id(1) }, { accountNumber: id(1) }, { transactionId: id(1) }],
        cancellationReasons: null,
      },
    });
    expect((await source().invoke({ ...get({ key: { accountNumber: id(1) } }) })).error?.type).toBe(
      'DynamoDB:ResourceNotFoundException',
    );
  });

  it('reads across tables: items in request order, null where there is none, projections applied', async () => {
    const out = await source().invoke(
      transactGet({
        items: [
          { table: 'checkingAccounts', key: { accountNumber: id(1) }, projection: ['balance'] },
          { table: 'savingAccounts', key: { accountNumber: 'nobody' } },
          { table: 'savingAccounts', key: { accountNumber: id(1) } },
        ],
      }),
    );
    expect(out).toEqual({
      result: {
        items: [{ balance: 70 }, null, { accountNumber: id(1), username: 'Tom', balance: 100 }],
        cancellationReasons: null,
      },
    });
  });

  it('a failed condition: ctx.error TransactionCanceledException, ctx.result with the reasons and the stored item', async () => {
    const out = await source().invoke(
      transactWrite({
        items: [
          {
            updateItem: {
              table: 'savingAccounts',
              key: { accountNumber: id(1) },
              update: { balance: operations.decrement(500) },
              condition: { balance: { ge: 500 } },
            },
          },
          {
            updateItem: {
              table: 'checkingAccounts',
              key: { accountNumber: id(1) },
              update: { balance: operations.increment(500) },
            },
          },
        ],
      }),
    );
    expect(out.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(out.error?.message).toMatch(
      /^Transaction cancelled, please refer cancellation reasons for specific reasons \[ConditionalCheckFailed, None\] \(Service: DynamoDb, Status Code: 400, Request ID: /,
    );
    expect(out.result).toEqual({
      keys: null,
      cancellationReasons: [
        {
          item: { accountNumber: id(1), username: 'Tom', balance: 100 },
          type: 'ConditionCheckFailed',
          message: 'The condition check failed.',
        },
        { type: 'None', message: 'None' },
      ],
    });
    const balances = await source().invoke(
      transactGet({
        items: [
          { table: 'savingAccounts', key: { accountNumber: id(1) }, projection: ['balance'] },
          { table: 'checkingAccounts', key: { accountNumber: id(1) }, projection: ['balance'] },
        ],
      }),
    );
    expect(balances.result).toEqual({ items: [{ balance: 100 }, { balance: 70 }], cancellationReasons: null });
  });

  it('leaves the stored item out of a reason when returnValuesOnConditionCheckFailure is false', async () => {
    const out = await source().invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'savingAccounts',
          operation: 'ConditionCheck',
          key: { accountNumber: { S: id(1) } },
          condition: {
            expression: 'balance > :min',
            expressionValues: { ':min': { N: 1000 } },
            returnValuesOnConditionCheckFailure: false,
          },
        },
      ],
    });
    expect(out.result).toEqual({
      keys: null,
      cancellationReasons: [{ type: 'ConditionCheckFailed', message: 'The condition check failed.' }],
    });
  });

  it('reports an update that does not fit the stored item as its reason', async () => {
    const out = await source().invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'savingAccounts',
          operation: 'UpdateItem',
          key: { accountNumber: { S: id(1) } },
          update: { expression: 'SET username = username + :one', expressionValues: { ':one': { N: 1 } } },
        },
      ],
    });
    expect(out.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(out.result).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'ValidationError', message: 'An operand in the update expression has an incorrect data type' },
      ],
    });
  });

  it('two request items on one item cancel the transaction, as AppSync documents', async () => {
    const out = await source().invoke(
      transactWrite({
        items: [
          { putItem: { table: 'savingAccounts', key: { accountNumber: id(2) }, item: { balance: 1 } } },
          { deleteItem: { table: 'checkingAccounts', key: { accountNumber: id(2) } } },
          { deleteItem: { table: 'savingAccounts', key: { accountNumber: id(2) } } },
        ],
      }),
    );
    expect(out.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(out.result).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'ValidationError', message: 'Transaction request cannot include multiple operations on one item' },
        { type: 'None', message: 'None' },
        { type: 'ValidationError', message: 'Transaction request cannot include multiple operations on one item' },
      ],
    });
  });

  it.each([
    ['an empty list', 'TransactWriteItems', [], /Member must have length greater than or equal to 1$/],
    ['more than 100 request items', 'TransactWriteItems', 101, /Member must have length less than or equal to 100$/],
    ['an empty list', 'TransactGetItems', [], /Member must have length greater than or equal to 1$/],
    ['more than 100 request items', 'TransactGetItems', 101, /Member must have length less than or equal to 100$/],
  ] as const)(
    '%s in a %s request is DynamoDB:ValidationException, the result keys still there',
    async (_, operation, items, message) => {
      const entry = (i: number) =>
        operation === 'TransactGetItems'
          ? { table: 'savingAccounts', key: { accountNumber: { S: `many-${i}` } } }
          : { table: 'savingAccounts', operation: 'DeleteItem', key: { accountNumber: { S: `many-${i}` } } };
      const transactItems = typeof items === 'number' ? Array.from({ length: items }, (_, i) => entry(i)) : items;
      const out = await source().invoke({ operation, transactItems });
      expect(out.error?.type).toBe('DynamoDB:ValidationException');
      expect(out.error?.message.replace(/ \(Service: .*$/, '')).toMatch(message);
      expect(out.result).toEqual(
        operation === 'TransactGetItems'
          ? { items: null, cancellationReasons: null }
          : { keys: null, cancellationReasons: null },
      );
    },
  );

  it('an unknown table is DynamoDB:ResourceNotFoundException', async () => {
    const out = await source().invoke(transactGet({ items: [{ table: 'noSuchTable', key: { id: '1' } }] }));
    expect(out.error?.type).toBe('DynamoDB:ResourceNotFoundException');
    expect(out.result).toEqual({ items: null, cancellationReasons: null });
  });

  it('refuses request objects it cannot run (no list of items, an unknown operation) as mapping errors', async () => {
    await expect(source().invoke({ operation: 'TransactGetItems' })).rejects.toThrow(
      'TransactGetItems needs transactItems, a list of request items',
    );
    await expect(
      source().invoke({
        operation: 'TransactWriteItems',
        transactItems: [{ table: 'savingAccounts', operation: 'Scan', key: {} }],
      }),
    ).rejects.toThrow(
      'transactItems[0]: operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, not Scan',
    );
  });
});

describe('the transactions tutorial, offline', () => {
  // https://docs.aws.amazon.com/appsync/latest/devguide/tutorial-dynamodb-transact-js.html
  const dataSource = () =>
    new DynamoDBDataSource({ api: embeddedStoreApi(store.requestHandler), tableName: 'savingAccounts' });

  const POPULATE = `import { util } from '@aws-appsync/utils'

export function request(ctx) {
	const { savingAccounts, checkingAccounts } = ctx.args

	const savings = savingAccounts.map(({ accountNumber, ...rest }) => {
		return {
			table: 'savingAccounts',
			operation: 'PutItem',
			key: util.dynamodb.toMapValues({ accountNumber }),
			attributeValues: util.dynamodb.toMapValues(rest),
		}
	})

	const checkings = checkingAccounts.map(({ accountNumber, ...rest }) => {
		return {
			table: 'checkingAccounts',
			operation: 'PutItem',
			key: util.dynamodb.toMapValues({ accountNumber }),
			attributeValues: util.dynamodb.toMapValues(rest),
		}
	})
	return {
		version: '2018-05-29',
		operation: 'TransactWriteItems',
		transactItems: [...savings, ...checkings],
	}
}

export function response(ctx) {
	if (ctx.error) {
		util.error(ctx.error.message, ctx.error.type, null, ctx.result.cancellationReasons)
	}
	const { savingAccounts: sInput, checkingAccounts: cInput } = ctx.args
	const keys = ctx.result.keys
	const savingAccounts = sInput.map((_, i) => keys[i])
	const sLength = sInput.length
	const checkingAccounts = cInput.map((_, i) => keys[sLength + i])
	return { savingAccounts, checkingAccounts }
}`;

  const TRANSFER = `import { util } from '@aws-appsync/utils'

export function request(ctx) {
	const transactions = ctx.args.transactions

	const savings = []
	const checkings = []
	const history = []
	transactions.forEach((t) => {
		const { savingAccountNumber, checkingAccountNumber, amount } = t
		savings.push({
			table: 'savingAccounts',
			operation: 'UpdateItem',
			key: util.dynamodb.toMapValues({ accountNumber: savingAccountNumber }),
			update: {
				expression: 'SET balance = balance - :amount',
				expressionValues: util.dynamodb.toMapValues({ ':amount': amount }),
			},
		})
		checkings.push({
			table: 'checkingAccounts',
			operation: 'UpdateItem',
			key: util.dynamodb.toMapValues({ accountNumber: checkingAccountNumber }),
			update: {
				expression: 'SET balance = balance + :amount',
				expressionValues: util.dynamodb.toMapValues({ ':amount': amount }),
			},
		})
		history.push({
			table: 'transactionHistory',
			operation: 'PutItem',
			key: util.dynamodb.toMapValues({ transactionId: util.autoId() }),
			attributeValues: util.dynamodb.toMapValues({
				from: savingAccountNumber,
				to: checkingAccountNumber,
				amount,
			}),
		})
	})

	return {
		version: '2018-05-29',
		operation: 'TransactWriteItems',
		transactItems: [...savings, ...checkings, ...history],
	}
}

export function response(ctx) {
	if (ctx.error) {
		util.error(ctx.error.message, ctx.error.type, null, ctx.result.cancellationReasons)
	}
	const tInput = ctx.args.transactions
	const tLength = tInput.length
	const keys = ctx.result.keys
	const savingAccounts = tInput.map((_, i) => keys[tLength * 0 + i])
	const checkingAccounts = tInput.map((_, i) => keys[tLength * 1 + i])
	const transactionHistory = tInput.map((_, i) => keys[tLength * 2 + i])
	return { savingAccounts, checkingAccounts, transactionHistory }
}`;

  const GET_ACCOUNTS = `import { util } from '@aws-appsync/utils'

export function request(ctx) {
	const { savingAccountNumbers, checkingAccountNumbers } = ctx.args

	const savings = savingAccountNumbers.map((accountNumber) => {
		return { table: 'savingAccounts', key: util.dynamodb.toMapValues({ accountNumber }) }
	})
	const checkings = checkingAccountNumbers.map((accountNumber) => {
		return { table: 'checkingAccounts', key: util.dynamodb.toMapValues({ accountNumber }) }
	})
	return {
		version: '2018-05-29',
		operation: 'TransactGetItems',
		transactItems: [...savings, ...checkings],
	}
}

export function response(ctx) {
	if (ctx.error) {
		util.error(ctx.error.message, ctx.error.type, null, ctx.result.cancellationReasons)
	}

	const { savingAccountNumbers: sInput, checkingAccountNumbers: cInput } = ctx.args
	const items = ctx.result.items
	const savingAccounts = sInput.map((_, i) => items[i])
	const sLength = sInput.length
	const checkingAccounts = cInput.map((_, i) => items[sLength + i])
	return { savingAccounts, checkingAccounts }
}`;

  const accounts = (...rows: [string, string, number][]) =>
    rows.map(([accountNumber, username, balance]) => ({ accountNumber, username, balance }));

  it('populateAccounts, transferMoney and getAccounts run as the tutorial shows them', async () => {
    const populated = await probeResolver(POPULATE, { dataSource: dataSource() })({
      savingAccounts: accounts(['1', 'Tom', 100], ['2', 'Amy', 90], ['3', 'Lily', 80]),
      checkingAccounts: accounts(['1', 'Tom', 70], ['2', 'Amy', 60], ['3', 'Lily', 50]),
    });
    expect(populated).toEqual({
      value: {
        savingAccounts: [{ accountNumber: '1' }, { accountNumber: '2' }, { accountNumber: '3' }],
        checkingAccounts: [{ accountNumber: '1' }, { accountNumber: '2' }, { accountNumber: '3' }],
      },
      errors: [],
    });

    const transferred = await probeResolver(TRANSFER, { dataSource: dataSource() })({
      transactions: [
        { savingAccountNumber: '1', checkingAccountNumber: '1', amount: 7.5 },
        { savingAccountNumber: '2', checkingAccountNumber: '2', amount: 6.0 },
        { savingAccountNumber: '3', checkingAccountNumber: '3', amount: 3.3 },
      ],
    });
    expect(transferred.errors).toEqual([]);
    const history = (transferred.value as { transactionHistory: { transactionId: string }[] }).transactionHistory;
    expect(history).toHaveLength(3);
    expect(new Set(history.map((h) => h.transactionId)).size).toBe(3);

    const got = await probeResolver(GET_ACCOUNTS, { dataSource: dataSource() })({
      savingAccountNumbers: ['1', '2', '3'],
      checkingAccountNumbers: ['1', '2'],
    });
    expect(got).toEqual({
      value: {
        savingAccounts: accounts(['1', 'Tom', 92.5], ['2', 'Amy', 84], ['3', 'Lily', 76.7]),
        checkingAccounts: accounts(['1', 'Tom', 77.5], ['2', 'Amy', 66]),
      },
      errors: [],
    });
  });

  it("a request DynamoDB refuses still leaves ctx.result for the tutorial's response handler to read", async () => {
    const resolve = probeResolver(
      TRANSFER.replace("'SET balance = balance - :amount'", "'SET balance = balance - :amount, size = :amount'"),
      {
        dataSource: dataSource(),
      },
    );
    const outcome = await resolve({
      transactions: [{ savingAccountNumber: '1', checkingAccountNumber: '1', amount: 1 }],
    });
    expect(outcome.errors).toHaveLength(1);
    // `size` is a reserved word: DynamoDB refuses the expression before any transaction starts.
    expect(outcome.errors[0]).toMatchObject({ errorType: 'DynamoDB:ValidationException', errorInfo: null });
    expect(outcome.errors[0].message).toMatch(
      /^Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size/,
    );
  });

  it("a cancelled transaction reaches the tutorial's util.error with the cancellation reasons", async () => {
    const resolve = probeResolver(
      TRANSFER.replace("'SET balance = balance - :amount'", "'SET balance = balance - :amount, notes[3] = :amount'"),
      {
        dataSource: dataSource(),
      },
    );
    const outcome = await resolve({
      transactions: [{ savingAccountNumber: '1', checkingAccountNumber: '1', amount: 1 }],
    });
    expect(outcome.value).toBeNull();
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({
      errorType: 'DynamoDB:TransactionCanceledException',
      errorInfo: [
        {
          type: 'ValidationError',
          message: 'The document path provided in the update expression is invalid for update',
        },
        { type: 'None', message: 'None' },
        { type: 'None', message: 'None' },
      ],
    });
  });
});
