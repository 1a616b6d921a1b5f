/**
 * AppSync's field-level authorization offline, on the developer guide's own example schema
 * (security-authz, "Using additional authorization modes"): AWS_IAM the default mode, API_KEY an
 * additional one, `getAllPosts` marked `@aws_api_key`, `type Post @aws_api_key @aws_iam` and its
 * `restrictedContent` marked `@aws_iam` alone. What the guide says of it:
 * - "fields that don't have a directive are protected using AWS_IAM. For example, that's the
 *   case for the getPost field";
 * - "you can mark a field using the @aws_api_key directive (for example, getAllPosts)";
 * - "AWS_IAM authenticated requests could access restrictedContent, however, API_KEY requests
 *   wouldn't be able to access it".
 * A refused field answers as recorded from AppSync (aws-amplify/amplify-cli#5163): null, with
 * errorType Unauthorized and "Not Authorized to access <field> on type <Type>".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../../src/contract/project-paths';
import { loadSchema } from '../../src/contract/schema';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { GraphQLService } from '../../src/server/graphql-service';
import { cite, devguide } from '../conformance/sources';
import { RecordingDataSource } from '../helpers/runtime';

const GUIDE = cite(devguide('security-authz', 'Using additional authorization modes'));

const SCALARS = readFileSync(path.join(SCHEMA_DIR, 'aws-scalars.graphql'), 'utf8');
const SDL = `
type Query {
  getPost(id: ID): Post
  getAllPosts: [Post] @aws_api_key
}
type Post @aws_api_key @aws_iam {
  id: ID!
  title: String
  restrictedContent: String @aws_iam
}
`;

const POST = { id: 'p1', title: 'Hello', restrictedContent: 'for IAM callers' };
const answer = (value: unknown) =>
  `import { runtime } from '@aws-appsync/utils';
export function request() { return runtime.earlyReturn(${JSON.stringify(value)}); }
export function response(ctx) { return ctx.result; }`;

function guideService() {
  const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
  runtime.load('Query', 'getPost', answer(POST));
  runtime.load('Query', 'getAllPosts', answer([POST]));
  return new GraphQLService(buildSchema(`${SCALARS}\n${SDL}`), runtime, { defaultAuthMode: 'AWS_IAM' });
}

const ask = (query: string, authMode: string) => guideService().handle({ query }, { headers: {}, authMode });

describe(`directives decide which modes reach a field (${GUIDE})`, () => {
  it('protects a field without directives by the default mode: getPost refuses API_KEY, as AppSync answers', async () => {
    const refused = await ask('{ getPost(id: "p1") { id } }', 'API_KEY');
    expect(refused.body).toEqual({
      data: { getPost: null },
      errors: [
        {
          path: ['getPost'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Not Authorized to access getPost on type Query',
        },
      ],
    });
    expect((await ask('{ getPost(id: "p1") { id title } }', 'AWS_IAM')).body).toEqual({
      data: { getPost: { id: 'p1', title: 'Hello' } },
    });
  });

  it('lets API_KEY reach getAllPosts, marked @aws_api_key, and the Post fields its type opens to API_KEY', async () => {
    expect((await ask('{ getAllPosts { id title } }', 'API_KEY')).body).toEqual({
      data: { getAllPosts: [{ id: 'p1', title: 'Hello' }] },
    });
  });

  it('refuses restrictedContent to API_KEY, its own @aws_iam replacing the type’s modes, and gives it to IAM', async () => {
    const refused = await ask('{ getAllPosts { id restrictedContent } }', 'API_KEY');
    expect(refused.body.data).toEqual({ getAllPosts: [{ id: 'p1', restrictedContent: null }] });
    expect(refused.body.errors).toMatchObject([
      {
        path: ['getAllPosts', 0, 'restrictedContent'],
        errorType: 'Unauthorized',
        message: 'Not Authorized to access restrictedContent on type Post',
      },
    ]);
    const iam = await ask('{ getPost(id: "p1") { restrictedContent } }', 'AWS_IAM');
    expect(iam.body).toEqual({ data: { getPost: { restrictedContent: 'for IAM callers' } } });
  });

  it('answers __typename to any caller: it is not the API’s data', async () => {
    expect((await ask('{ __typename }', 'API_KEY')).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('ScoreDrive’s stages', () => {
  it('let every mode of the stage reach every field, as the stage’s schema says (prod: IAM and OIDC, no API key)', async () => {
    const schema = await loadSchema(undefined, ['AWS_IAM', 'OPENID_CONNECT']);
    const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
    const score = { driverId: 'D1', period: '2026-10', score: 80, band: 'B' };
    runtime.load('Query', 'score', answer(score));
    runtime.load('Query', 'scoreHistory', answer(null));
    runtime.load('Query', 'scores', answer([]));
    const service = new GraphQLService(schema, runtime, { defaultAuthMode: 'AWS_IAM' });
    const query = '{ score(driverId: "D1") { driverId band } }';
    for (const authMode of ['AWS_IAM', 'OPENID_CONNECT']) {
      expect((await service.handle({ query }, { headers: {}, authMode })).body, authMode).toEqual({
        data: { score: { driverId: 'D1', band: 'B' } },
      });
    }
    const apiKey = await service.handle({ query }, { headers: {}, authMode: 'API_KEY' });
    expect(apiKey.body.errors).toMatchObject([{ errorType: 'Unauthorized' }]);
  });
});

describe('util.authType() per request (the declaration of util.authType in @aws-appsync/utils)', () => {
  it.each([
    ['API_KEY', 'API Key Authorization'],
    ['AWS_IAM', 'IAM Authorization'],
    ['OPENID_CONNECT', 'Open ID Connect Authorization'],
    ['AMAZON_COGNITO_USER_POOLS', 'User Pool Authorization'],
  ])('answers %s requests with %j', async (authMode, expected) => {
    const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
    runtime.load(
      'Query',
      'whoami',
      `import { util, runtime } from '@aws-appsync/utils';
export function request() { return runtime.earlyReturn(util.authType()); }
export function response(ctx) { return ctx.result; }`,
    );
    const schema = buildSchema(
      `${SCALARS}\ntype Query @aws_api_key @aws_iam @aws_oidc @aws_cognito_user_pools { whoami: String }`,
    );
    const service = new GraphQLService(schema, runtime);
    expect((await service.handle({ query: '{ whoami }' }, { headers: {}, authMode })).body).toEqual({
      data: { whoami: expected },
    });
  });
});
