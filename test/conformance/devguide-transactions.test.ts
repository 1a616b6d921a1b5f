/**
 * The TransactGetItems and TransactWriteItems examples AWS prints with their output: each
 * request object (from the APPSYNC_JS page's request handler, run offline, or the VTL page's
 * literal one) through the DynamoDB data source against the embedded store, and the ctx.result
 * the page prints. The JS pages print results copied from the VTL pages (attribute names
 * `post_id`, `author_id` … where their request handlers write `postId`, `authorId`: index H of
 * the research notes); their cases keep the handler's names and the printed shape, the VTL cases
 * match the printed results to the letter.
 */
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDataSource } from '../../src/runtime/datasources/dynamodb';
import { toSdkAttributeMap } from '../../src/runtime/util/dynamodb-values';
import { createDynamoDBClient } from '../../src/store/client';
import { type DynamoDBApi, DynamoDBServiceError, embeddedStoreApi } from '../../src/store/dynamodb-api';
import { type ListeningEmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { probeResolver } from '../helpers/runtime';
import { tempDir } from '../helpers/service';
import { createHashKeyTables } from '../helpers/tables';
import { cite, devguide } from './sources';

const GET_PAGE = 'js-aws-appsync-resolver-reference-dynamodb-transact-get-items';
const WRITE_PAGE = 'js-aws-appsync-resolver-reference-dynamodb-transact-write-items';
const VTL_GET_PAGE = 'aws-appsync-resolver-mapping-template-reference-dynamodb-transact-get-items';
const VTL_WRITE_PAGE = 'aws-appsync-resolver-mapping-template-reference-dynamodb-transact-write-items';

const SUCCESS_GET = 'If the transaction succeeds and only the first requested item is retrieved';
const FAILURE_GET = 'If the transaction fails due to TransactionCanceledException caused by the first request item';
const SUCCESS_WRITE = 'If the transaction succeeds';
const FAILURE_WRITE = 'If the transaction fails due to condition check failure of the PutItem request';

/** An embedded store holding the tables `posts` and `authors`, keyed by the names given. */
async function storeWithPostsAndAuthors(postKey: string, authorKey: string) {
  const dir = await tempDir();
  const store: ListeningEmbeddedStore = await startEmbeddedStore(dir.dir, { listen: true });
  const client: DynamoDBClient = createDynamoDBClient({ endpoint: store.endpoint, credentials: store.credentials });
  await createHashKeyTables(client, { posts: postKey, authors: authorKey });
  return {
    // The data source's own table "does not matter when using transactions" (the tutorial).
    dataSource: new DynamoDBDataSource({ api: embeddedStoreApi(store.requestHandler), tableName: 'posts' }),
    put: (TableName: string, item: Record<string, string>) =>
      client.send(new PutItemCommand({ TableName, Item: toSdkAttributeMap(strings(item)) ?? {} })),
    close: async () => {
      client.destroy();
      await store.close();
      await dir.remove();
    },
  };
}

/** An item of string attributes, typed. */
const strings = (item: Record<string, string>) =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }]));

/**
 * DynamoDB cancelling a TransactGetItems (in DynamoDB, when a write transaction is under way on
 * one of its items; the embedded store reads from a snapshot instead and never has to): the
 * answer DynamoDB documents, for the reason the page's "Sample error type" stands for.
 */
const cancellingGets: DynamoDBApi = {
  call: async () => {
    throw new DynamoDBServiceError(
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]',
      400,
      'REQUEST-ID',
      {
        CancellationReasons: [
          { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
          { Code: 'None' },
        ],
      },
    );
  },
  callWire: async () => ({ statusCode: 500, body: '' }),
};

/** The printed failure of a TransactGetItems, with the reason DynamoDB gave for the first item. */
const CANCELLED_GET = {
  items: null,
  cancellationReasons: [
    { type: 'TransactionConflict', message: 'Transaction is ongoing for the item' },
    { type: 'None', message: 'None' },
  ],
};

/** The printed failure of the TransactWriteItems example: the PutItem's condition, with the stored item. */
const putConditionFailed = (item: Record<string, string>) => ({
  keys: null,
  cancellationReasons: [
    { item, type: 'ConditionCheckFailed', message: 'The condition check failed.' },
    { type: 'None', message: 'None' },
  ],
});

/** A resolver whose response handler hands back ctx.result and ctx.error as they are. */
const passThrough = (request: string) =>
  `${request}\n\nexport function response(ctx) {\n  return { result: ctx.result, error: ctx.error };\n}\n`;

describe('the APPSYNC_JS pages', () => {
  let posts: Awaited<ReturnType<typeof storeWithPostsAndAuthors>>;
  beforeAll(async () => {
    posts = await storeWithPostsAndAuthors('postId', 'authorId');
  });
  afterAll(async () => posts?.close());

  describe('TransactGetItems', () => {
    const REQUEST = `import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const { authorId, postId } = ctx.args;
  return {
    operation: 'TransactGetItems',
    transactItems: [
      {
        table: 'posts',
        key: util.dynamodb.toMapValues({ postId }),
      },
      {
        table: 'authors',
        key: util.dynamodb.toMapValues({ authorId }),
      },
    ],
  };
}`;

    it(`answers the first item and null for the second, cancellationReasons null (${cite(devguide(GET_PAGE, SUCCESS_GET))})`, async () => {
      await posts.put('posts', { postId: 'p1', post_title: 'title', post_description: 'description' });
      const outcome = await probeResolver(passThrough(REQUEST), { dataSource: posts.dataSource })({
        postId: 'p1',
        authorId: 'a1',
      });
      expect(outcome).toEqual({
        value: {
          result: {
            items: [{ postId: 'p1', post_title: 'title', post_description: 'description' }, null],
            cancellationReasons: null,
          },
        },
        errors: [],
      });
    });

    it(`a cancelled transaction: items null, a reason per request item, "None" for the others (${cite(devguide(GET_PAGE, FAILURE_GET))})`, async () => {
      const dataSource = new DynamoDBDataSource({ api: cancellingGets, tableName: 'posts' });
      const outcome = await probeResolver(passThrough(REQUEST), { dataSource })({ postId: 'p1', authorId: 'a1' });
      expect((outcome.value as { result: unknown }).result).toEqual(CANCELLED_GET);
      // "The ctx.error contains details about the error" (its exact type and text are not printed).
      expect((outcome.value as { error: { type: string } }).error.type).toBe('DynamoDB:TransactionCanceledException');
    });
  });

  describe('TransactWriteItems', () => {
    const REQUEST = `import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const { authorId, postId, title, description, oldTitle, authorName } = ctx.args;
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: 'posts',
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ postId }),
        attributeValues: util.dynamodb.toMapValues({ title, description }),
        condition: util.transform.toDynamoDBConditionExpression({
          title: { eq: oldTitle },
        }),
      },
      {
        table: 'authors',
        operation: 'UpdateItem',
        key: util.dynamodb.toMapValues({ authorId }),
        update: {
          expression: 'SET authorName = :name',
          expressionValues: util.dynamodb.toMapValues({ ':name': authorName }),
        },
      },
    ],
  };
}`;
    const ARGS = {
      postId: 'p2',
      authorId: 'a2',
      title: 'New title',
      description: 'New description',
      oldTitle: 'Expected old title',
      authorName: 'New name',
    };

    it(`answers the keys in request order, cancellationReasons null (${cite(devguide(WRITE_PAGE, SUCCESS_WRITE))})`, async () => {
      await posts.put('posts', { postId: 'p2', title: 'Expected old title', description: 'Old description' });
      const outcome = await probeResolver(passThrough(REQUEST), { dataSource: posts.dataSource })(ARGS);
      expect(outcome).toEqual({
        value: { result: { keys: [{ postId: 'p2' }, { authorId: 'a2' }], cancellationReasons: null } },
        errors: [],
      });
    });

    it(`a failed condition: keys null, the stored item with the PutItem's reason, "None" for the UpdateItem (${cite(devguide(WRITE_PAGE, FAILURE_WRITE))})`, async () => {
      await posts.put('posts', { postId: 'p2', title: 'Actual old title', description: 'Old description' });
      const outcome = await probeResolver(passThrough(REQUEST), { dataSource: posts.dataSource })(ARGS);
      const { result, error } = outcome.value as { result: unknown; error: { type: string } };
      expect(result).toEqual(
        putConditionFailed({ postId: 'p2', title: 'Actual old title', description: 'Old description' }),
      );
      expect(error.type).toBe('DynamoDB:TransactionCanceledException');
    });
  });
});

describe('the VTL pages (the same request objects, typed by hand)', () => {
  let posts: Awaited<ReturnType<typeof storeWithPostsAndAuthors>>;
  beforeAll(async () => {
    posts = await storeWithPostsAndAuthors('post_id', 'author_id');
  });
  afterAll(async () => posts?.close());

  // The page's second key is written `"S": a1`, unquoted (index H); quoted here.
  const GET_REQUEST = {
    version: '2018-05-29',
    operation: 'TransactGetItems',
    transactItems: [
      { table: 'posts', key: { post_id: { S: 'p1' } } },
      { table: 'authors', key: { author_id: { S: 'a1' } } },
    ],
  };

  // The page's example has trailing commas after the author_id key and the update (index H).
  const WRITE_REQUEST = {
    version: '2018-05-29',
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: 'posts',
        operation: 'PutItem',
        key: { post_id: { S: 'p1' } },
        attributeValues: { post_title: { S: 'New title' }, post_description: { S: 'New description' } },
        condition: {
          expression: 'post_title = :post_title',
          expressionValues: { ':post_title': { S: 'Expected old title' } },
        },
      },
      {
        table: 'authors',
        operation: 'UpdateItem',
        key: { author_id: { S: 'a1' } },
        update: {
          expression: 'SET author_name = :author_name',
          expressionValues: { ':author_name': { S: 'New name' } },
        },
      },
    ],
  };

  it(`TransactGetItems: the printed result, to the letter (${cite(devguide(VTL_GET_PAGE, SUCCESS_GET))})`, async () => {
    await posts.put('posts', { post_id: 'p1', post_title: 'title', post_description: 'description' });
    expect(await posts.dataSource.invoke(GET_REQUEST)).toEqual({
      result: {
        items: [{ post_id: 'p1', post_title: 'title', post_description: 'description' }, null],
        cancellationReasons: null,
      },
    });
  });

  it(`TransactGetItems cancelled: items null, the reasons in request order (${cite(devguide(VTL_GET_PAGE, FAILURE_GET))})`, async () => {
    const out = await new DynamoDBDataSource({ api: cancellingGets, tableName: 'posts' }).invoke(GET_REQUEST);
    expect(out.result).toEqual(CANCELLED_GET);
  });

  it(`TransactWriteItems: the printed keys, to the letter (${cite(devguide(VTL_WRITE_PAGE, SUCCESS_WRITE))})`, async () => {
    await posts.put('posts', { post_id: 'p1', post_title: 'Expected old title', post_description: 'Old description' });
    expect(await posts.dataSource.invoke(WRITE_REQUEST)).toEqual({
      result: { keys: [{ post_id: 'p1' }, { author_id: 'a1' }], cancellationReasons: null },
    });
  });

  it(`TransactWriteItems, the condition failing: the printed reasons, to the letter (${cite(devguide(VTL_WRITE_PAGE, FAILURE_WRITE))})`, async () => {
    await posts.put('posts', { post_id: 'p1', post_title: 'Actual old title', post_description: 'Old description' });
    const out = await posts.dataSource.invoke(WRITE_REQUEST);
    expect(out.result).toEqual(
      putConditionFailed({ post_id: 'p1', post_title: 'Actual old title', post_description: 'Old description' }),
    );
    expect(out.error?.type).toBe('DynamoDB:TransactionCanceledException');
  });
});
