/**
 * `ctx.identity` and `util.authType()` as a deployed resolver sees them, per auth mode, end to
 * end: on a copy of the project, a `whoami` pipeline field (the shared authorize step, then a
 * NONE step that returns what the resolver was handed) is served with `--stage test` (API key,
 * IAM and OIDC) on a loopback port and called with each mode's real client request.
 *
 * The expected shapes are AppSync's, as written down:
 * - resolver-context-reference-js, «Identity»: API_KEY "The identity field isn't populated";
 *   AWS_IAM `{ accountId, cognitoIdentityPoolId, cognitoIdentityId, sourceIp, username,
 *   userArn, cognitoIdentityAuthType, cognitoIdentityAuthProvider }`; sourceIp the
 *   x-forwarded-for addresses, then the TCP peer's;
 * - the OIDC form, which that page does not print, as @aws-appsync/utils types it
 *   (`AppSyncIdentityOIDC`: `{ sub, issuer, claims }`);
 * - util.authType()'s strings, as the declaration of util.authType in @aws-appsync/utils lists them.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVERS_DIR, SCHEMA_DIR } from '../../src/contract/project-paths';
import type { Service } from '../../src/server/service';
import { cite, devguide } from '../conformance/sources';
import { offlineToken, startTestService, TEST_API_KEY, tempDir } from '../helpers/service';

const IDENTITY = cite(devguide('resolver-context-reference-js', 'Identity'));
const AUTH_TYPE = 'the declaration of util.authType in @aws-appsync/utils';
const REGION = 'eu-south-1';
const QUERY = JSON.stringify({ query: '{ whoami }' });
const FORWARDED = '203.0.113.7, 10.0.0.2';

let project: { dir: string; remove: () => Promise<void> };
let service: Service;
let stop: () => Promise<void>;
let origin = '';

/** The field and its steps, written as the README's "To add a pipeline field" says. */
async function addWhoamiField(resolversDir: string, schemaDir: string): Promise<void> {
  const schemaFile = path.join(schemaDir, 'schema.graphql');
  const schema = await readFile(schemaFile, 'utf8');
  const withField = schema.replace(
    /type Query \{\n/,
    'type Query {\n  "What the resolver knows of its caller."\n  whoami: String\n',
  );
  expect(withField).not.toBe(schema);
  await writeFile(schemaFile, withField);

  const folder = path.join(resolversDir, 'Query.whoami');
  await cp(path.join(resolversDir, 'Query.score', 'index.ts'), path.join(folder, 'index.ts'));
  await cp(path.join(resolversDir, 'Query.score', '1.authorize.[none].ts'), path.join(folder, '1.authorize.[none].ts'));
  await writeFile(
    path.join(folder, '2.echo.[none].ts'),
    `import { type Context, util } from '@aws-appsync/utils';
export function request(ctx: Context) {
  return { payload: JSON.stringify({ identity: ctx.identity ?? null, authType: util.authType() }) };
}
export function response(ctx: Context) { return ctx.result; }
`,
  );

  const authorizeFile = path.join(resolversDir, 'lib', 'authorize.ts');
  const authorize = await readFile(authorizeFile, 'utf8');
  const granted = authorize.replace(
    "  'Query.scores': { scopes: [READ_SCOPE] },\n",
    "  'Query.scores': { scopes: [READ_SCOPE] },\n  'Query.whoami': { scopes: [READ_SCOPE] },\n",
  );
  expect(granted).not.toBe(authorize);
  await writeFile(authorizeFile, granted);
}

/** The resolver's view of the caller, from one answer. */
async function seen(answer: Response): Promise<{ identity: unknown; authType: string }> {
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { data?: { whoami: string }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return JSON.parse(body.data?.whoami ?? 'null');
}

const post = (headers: Record<string, string>) =>
  fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: QUERY,
  });

beforeAll(async () => {
  project = await tempDir('scoredrive-identity-');
  const resolversDir = path.join(project.dir, 'resolvers');
  const schemaDir = path.join(project.dir, 'schema');
  await cp(RESOLVERS_DIR, resolversDir, { recursive: true });
  await cp(SCHEMA_DIR, schemaDir, { recursive: true });
  await addWhoamiField(resolversDir, schemaDir);
  ({ service, stop } = await startTestService({
    accessLog: false,
    stage: 'test',
    region: REGION,
    oauthIssuer: () => origin,
    resolversDir,
    schemaDir,
    bundlesDir: path.join(project.dir, 'bundles'),
  }));
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stop();
  await project.remove();
});

describe(`ctx.identity per auth mode, through a deployed resolver (${IDENTITY}; ${AUTH_TYPE})`, () => {
  it('API_KEY: the identity is not populated', async () => {
    expect(await seen(await post({ 'x-api-key': TEST_API_KEY, 'x-forwarded-for': FORWARDED }))).toEqual({
      identity: null,
      authType: 'API Key Authorization',
    });
  });

  it('AWS_IAM: the eight documented fields of the IAM user that signed, sourceIp forwarded then peer', async () => {
    const credential = service.auth.iam?.credentials[0];
    if (!credential) throw new Error('the test stage has no offline IAM keys');
    const signer = new AwsClient({
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      service: 'appsync',
      region: REGION,
    });
    const answer = await signer.fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': FORWARDED },
      body: QUERY,
    });
    expect(await seen(answer)).toEqual({
      identity: {
        accountId: '000000000000',
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: ['203.0.113.7', '10.0.0.2', '127.0.0.1'],
        username: 'AIDASCOREDRIVEOFFLINE',
        userArn: 'arn:aws:iam::000000000000:user/scoredrive',
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
      authType: 'IAM Authorization',
    });
  });

  it('OPENID_CONNECT: the token’s claims, its issuer and subject', async () => {
    const token = await offlineToken(service);
    const claims = decodeJwt(token);
    expect(claims.scope).toBe('scoredrive/scores.read');
    expect(await seen(await post({ authorization: `Bearer ${token}` }))).toEqual({
      identity: { claims, issuer: origin, sub: claims.sub },
      authType: 'Open ID Connect Authorization',
    });
  });
});
