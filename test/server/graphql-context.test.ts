/**
 * What the GraphQL layer hands a resolver in ctx.info and ctx.request, checked through a probe
 * resolver on Query.score that returns its ctx inside a field.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
 */
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../src/contract/schema';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { GraphQLService } from '../../src/server/graphql-service';
import { RecordingDataSource } from '../helpers/runtime';

const PROBE = `import { runtime } from '@aws-appsync/utils';
export function request(ctx) {
  return runtime.earlyReturn({
    driverId: 'D1', period: '2024-01', score: 1, band: 'A', kmDriven: 1, trips: 1, updatedAt: '2024-02-01T00:00:00Z',
    factors: { acceleration: 1, braking: 1, cornering: 1, speeding: 1, nightDriving: 1 },
    modelVersion: JSON.stringify({
      info: ctx.info,
      list: ctx.info.selectionSetList,
      graphql: ctx.info.selectionSetGraphQL,
      headers: ctx.request.headers,
    }),
  });
}
export function response(ctx) { return ctx.result; }`;
const UNUSED = 'export function request() { return {}; }\nexport function response() { return null; }';

async function probeService() {
  const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
  runtime.load('Query', 'score', PROBE);
  runtime.load('Query', 'scoreHistory', UNUSED);
  runtime.load('Query', 'scores', UNUSED);
  return new GraphQLService(await loadSchema(), runtime);
}

describe('ctx.info and ctx.request through GraphQL', () => {
  it('lists the selection set with nested paths, fragments flattened, and passes variables and headers', async () => {
    const service = await probeService();
    const answer = await service.handle(
      {
        query: `query Q($id: ID!) { score(driverId: $id) { period factors { braking ...F } ... on Score { band } modelVersion __typename } }
                fragment F on ScoreFactors { speeding }`,
        variables: { id: 'D1' },
      },
      { headers: { 'x-custom': 'nadia', cookie: 'secret=1' } },
    );
    const seen = JSON.parse((answer.body.data as { score: { modelVersion: string } }).score.modelVersion);
    // JSON.stringify(ctx.info) leaves the selection members out; they are there when read.
    expect(seen.info).toEqual({ fieldName: 'score', parentTypeName: 'Query', variables: { id: 'D1' } });
    expect(seen.list).toEqual(['period', 'factors', 'factors/braking', 'factors/speeding', 'band', 'modelVersion']);
    expect(seen.graphql).toContain('factors {');
    // AppSync does not expose the cookie header to resolvers.
    expect(seen.headers).toEqual({ 'x-custom': 'nadia' });
  });

  it('refuses to start when the resolvers and the schema disagree', async () => {
    const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
    runtime.load('Query', 'score', UNUSED);
    runtime.load('Query', 'extra', UNUSED);
    const schema = await loadSchema();
    expect(() => new GraphQLService(schema, runtime)).toThrow(
      /schema field Query\.scoreHistory has no resolver[\s\S]*resolver Query\.extra matches no field of schema\/schema\.graphql/,
    );
  });
});

const CONTEXT_PAGE = 'https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html';
const UTIL_PAGE = 'https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html';

/** A service over a small schema of the guide's shape: an interface, two types, aliases. */
async function nodeService(requestBody: string) {
  const schema = buildSchema(`
    type Query { node(id: ID!): Node  post(id: ID!): Post  related: [Post] }
    interface Node { id: ID }
    type Post implements Node { id: ID title: String author: String comments: [Comment] writer: Person }
    type Person { name: String email: String }
    type Blog implements Node { id: ID title: String category: String }
    type Comment { id: ID text: String }
  `);
  const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
  const code = `import { util, runtime } from '@aws-appsync/utils';
export function request(ctx) { ${requestBody} }
export function response(ctx) { return ctx.result; }`;
  for (const field of ['node', 'post', 'related']) runtime.load('Query', field, code);
  return new GraphQLService(schema, runtime);
}

describe(`ctx.info.selectionSetList as AppSync lists it (${CONTEXT_PAGE}, Info)`, () => {
  const listing = "return runtime.earlyReturn({ id: '1', title: JSON.stringify(ctx.info.selectionSetList) });";

  it('lists aliased fields under the alias only, at every depth', async () => {
    const service = await nodeService(listing);
    const answer = await service.handle(
      { query: '{ post(id: "1") { id title secondTitle: title comments { id } inlineFrag: comments { text } } }' },
      { headers: {} },
    );
    const list = JSON.parse((answer.body.data as { post: { title: string } }).post.title);
    expect(list).toEqual(['id', 'title', 'secondTitle', 'comments', 'comments/id', 'inlineFrag', 'inlineFrag/text']);
  });

  it("exposes only the interface's fields for a field of interface type (the guide's node example)", async () => {
    const service = await nodeService(
      "return runtime.earlyReturn({ __typename: 'Post', id: '1', title: JSON.stringify(ctx.info.selectionSetList) });",
    );
    const answer = await service.handle(
      { query: '{ node(id: "post1") { id ... on Post { title } ... on Blog { title } } }' },
      { headers: {} },
    );
    expect(JSON.parse((answer.body.data as { node: { title: string } }).node.title)).toEqual(['id']);
  });

  it('counts fragments on the type itself and on an interface it implements', async () => {
    const service = await nodeService(listing);
    const answer = await service.handle(
      { query: '{ post(id: "1") { ... on Post { title } ... on Node { id } } }' },
      { headers: {} },
    );
    expect(JSON.parse((answer.body.data as { post: { title: string } }).post.title)).toEqual(['title', 'id']);
  });
});

describe(`util.error data is filtered by the selection set (${UTIL_PAGE}, util.error)`, () => {
  it("keeps only the errored field's own selection, element by element, and errorInfo untouched", async () => {
    // The Lambda tutorial's relatedPosts example: full posts in, { id, title } out.
    const service = await nodeService(
      "util.error('Failed to fetch relatedPosts', 'LambdaFailure', [{ id: '2', title: 'Second book', author: 'x', comments: [{ id: 'c', text: 't' }] }, { id: '1', title: 'First book', author: 'y' }], { author: 'x' }); return {};",
    );
    const answer = await service.handle({ query: '{ related { id name: title comments { id } } }' }, { headers: {} });
    expect(answer.body.errors?.[0]).toMatchObject({
      errorType: 'LambdaFailure',
      message: 'Failed to fetch relatedPosts',
      data: [
        { id: '2', name: 'Second book', comments: [{ id: 'c' }] },
        { id: '1', name: 'First book' },
      ],
      errorInfo: { author: 'x' },
    });
  });
});

describe('util.error data under a field of interface type', () => {
  it("filters what a fragment on a concrete type selected by that type's own fields", async () => {
    const service = await nodeService(
      "util.error('boom', 'E', { __typename: 'Post', id: '1', writer: { name: 'n', email: 'e@x' }, title: 't' }); return {};",
    );
    const answer = await service.handle(
      { query: '{ node(id: "1") { id ... on Post { writer { name } } } }' },
      { headers: {} },
    );
    expect(answer.body.errors?.[0]).toMatchObject({ data: { id: '1', writer: { name: 'n' } } });
  });
});
