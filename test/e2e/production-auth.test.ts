/**
 * The production auth flows offline, with the clients an integrator would use, against the
 * server on a loopback port:
 * - `--stage prod`: GraphQL refuses API keys (prod has none) and accepts IAM (a SigV4-signed
 *   fetch, aws4fetch) and OIDC (a client-credentials token got with openid-client from the
 *   offline token endpoint);
 * - `--stage test`: all three modes;
 * - the REST facade as the test and prod stages deploy it: the Cognito authorizer with the
 *   read scope, then the API key;
 * - each refusal with AppSync's status, body and x-amzn-ErrorType.
 */
import type { AddressInfo } from 'node:net';
import { AwsClient } from 'aws4fetch';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { startTestService, TEST_API_KEY } from '../helpers/service';

const QUERY = JSON.stringify({ query: '{ __typename score(driverId: "NOBODY") { driverId } }' });
const REGION = 'eu-south-1';

interface Running {
  service: Service;
  stop: () => Promise<void>;
  origin: string;
}

async function start(stage: string, oidcIssuer?: string): Promise<Running> {
  let origin = '';
  const { service, stop } = await startTestService({
    accessLog: false,
    stage,
    region: REGION,
    oauthIssuer: () => origin,
    oidcIssuer,
  });
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
  return { service, stop, origin };
}

const post = (origin: string, headers: Record<string, string>) =>
  fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: QUERY,
  });

/** A token as a system gets it: discovery, then client credentials with client_secret_basic. */
async function clientCredentialsToken(running: Running): Promise<string> {
  const client = running.service.auth.oauth?.clients[0];
  if (!client) throw new Error('no machine client');
  const config = await oidc.discovery(new URL(running.origin), client.clientId, client.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  return (await oidc.clientCredentialsGrant(config)).access_token;
}

function signer(running: Running, secret?: string): AwsClient {
  const credential = running.service.auth.iam?.credentials[0];
  if (!credential) throw new Error('no IAM credentials');
  return new AwsClient({
    accessKeyId: credential.accessKeyId,
    secretAccessKey: secret ?? credential.secretAccessKey,
    service: 'appsync',
    region: REGION,
  });
}

/** The query, SigV4-signed for AppSync with the offline key (or a wrong secret). */
const signedPost = (running: Running, secret?: string) =>
  signer(running, secret).fetch(`${running.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: QUERY,
  });

const ok = { data: { __typename: 'Query', score: null } };

describe('serve --stage prod', () => {
  let prod: Running;
  beforeAll(async () => {
    prod = await start('prod');
  });
  afterAll(async () => prod.stop());

  it('refuses an API key: prod’s GraphQL API has none', async () => {
    const answer = await post(prod.origin, { 'x-api-key': TEST_API_KEY });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(await answer.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
    });
  });

  it('accepts an OAuth client-credentials token from the offline token endpoint (openid-client)', async () => {
    const token = await clientCredentialsToken(prod);
    const answer = await post(prod.origin, { authorization: token });
    expect(await answer.json()).toEqual(ok);
    // As AppSync takes it, with or without the Bearer scheme.
    expect(await (await post(prod.origin, { authorization: `Bearer ${token}` })).json()).toEqual(ok);
  });

  it('refuses a token it did not issue, and one that is no JWT', async () => {
    const token = await clientCredentialsToken(prod);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const refused = await post(prod.origin, { authorization: forged });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    const garbage = await post(prod.origin, { authorization: 'not-a-token' });
    expect(await garbage.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }],
    });
  });

  it('accepts a SigV4-signed request with the offline IAM keys (aws4fetch)', async () => {
    const answer = await signedPost(prod);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(ok);
  });

  it('refuses a request signed with a wrong secret as AppSync does (403 InvalidSignatureException)', async () => {
    const answer = await signedPost(prod, 'x'.repeat(40));
    expect(answer.status).toBe(403);
    expect(answer.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('refuses a signed body that was changed on the way', async () => {
    const signed = await signer(prod).sign(`${prod.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: QUERY,
    });
    const headers = Object.fromEntries(signed.headers.entries());
    const tampered = await fetch(`${prod.origin}/graphql`, {
      method: 'POST',
      headers,
      body: QUERY.replace('NOBODY', 'SOMEBODY'),
    });
    expect(tampered.status).toBe(403);
  });
});

describe('the REST facade on --stage prod: Cognito authorizer with the read scope, then the API key', () => {
  let prod: Running;
  beforeAll(async () => {
    prod = await start('prod');
  });
  afterAll(async () => prod.stop());

  const score = (headers: Record<string, string>) => fetch(`${prod.origin}/drivers/NOBODY/score`, { headers });

  it('refuses an API key without a token as API Gateway does (401 Unauthorized)', async () => {
    const answer = await score({ 'x-api-key': TEST_API_KEY });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a token without the API key (403 Forbidden), and answers with both', async () => {
    const token = await clientCredentialsToken(prod);
    const keyless = await score({ authorization: token });
    expect(keyless.status).toBe(403);
    expect(await keyless.json()).toEqual({ message: 'Forbidden' });
    const answer = await score({ authorization: token, 'x-api-key': TEST_API_KEY });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ message: 'No score found' });
  });

  it('refuses a token it did not sign', async () => {
    const [header, payload] = (await clientCredentialsToken(prod)).split('.');
    const answer = await score({ authorization: `${header}.${payload}.AAAA`, 'x-api-key': TEST_API_KEY });
    expect(answer.status).toBe(401);
  });
});

describe('serve --stage test', () => {
  let testStage: Running;
  beforeAll(async () => {
    testStage = await start('test');
  });
  afterAll(async () => testStage.stop());

  it('accepts API keys, IAM and OIDC', async () => {
    expect(await (await post(testStage.origin, { 'x-api-key': TEST_API_KEY })).json()).toEqual(ok);
    const token = await clientCredentialsToken(testStage);
    expect(await (await post(testStage.origin, { authorization: token })).json()).toEqual(ok);
    const signed = await signedPost(testStage);
    expect(await signed.json()).toEqual(ok);
  });
});

describe('an external OIDC issuer (--oidc-issuer), as AppSync’s OIDC config takes one', () => {
  it('trusts that issuer’s tokens, found through its discovery document, and no longer its own', async () => {
    const issuer = await start('prod');
    const api = await start('prod', issuer.origin);
    try {
      expect(api.service.auth.oauth).toBeUndefined();
      const token = await clientCredentialsToken(issuer);
      expect(await (await post(api.origin, { authorization: token })).json()).toEqual(ok);
      const stranger = await start('prod');
      try {
        const refused = await post(api.origin, { authorization: await clientCredentialsToken(stranger) });
        expect(refused.status).toBe(401);
      } finally {
        await stranger.stop();
      }
    } finally {
      await api.stop();
      await issuer.stop();
    }
  });
});
