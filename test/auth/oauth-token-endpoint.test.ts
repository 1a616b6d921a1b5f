/**
 * `POST /oauth2/token` of the offline authorization server, mounted on a bare Fastify instance,
 * answering as the Cognito user pool's token endpoint does. Source: Amazon Cognito Developer
 * Guide, "Token endpoint" (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html):
 * client_secret_basic and client_secret_post, `Content-Type: application/x-www-form-urlencoded`,
 * the client-credentials example's answer `{"access_token","token_type":"Bearer","expires_in":3600}`,
 * and "Examples of negative responses": `HTTP/1.1 400 Bad Request`,
 * `Content-Type: application/json;charset=UTF-8`, `{"error":"invalid_request|invalid_client|
 * invalid_grant|unauthorized_client|unsupported_grant_type"}`; `invalid_scope` as the user pool
 * answers a scope the app client is not allowed.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineClient } from '../../src/auth/oauth/clients';
import { oauthRoutes } from '../../src/auth/oauth/routes';
import { createOfflineAuthorizationServer, type OfflineAuthorizationServer } from '../../src/auth/oauth/server';
import { parseBasicCredentials } from '../../src/auth/oauth/token-endpoint';
import { READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

const ISSUER = 'http://localhost:4000';
const NOW = new Date('2026-10-01T12:00:00Z');

let app: FastifyInstance;
let server: OfflineAuthorizationServer;
let client: MachineClient;
let remove: () => Promise<void>;

beforeAll(async () => {
  const temp = await tempDir();
  remove = temp.remove;
  server = await createOfflineAuthorizationServer({ dataDir: temp.dir, issuer: ISSUER, now: () => NOW });
  [client] = server.clients as [MachineClient];
  app = Fastify();
  // The offline app parses JSON bodies its own way; the token endpoint must not inherit that.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, { body }));
  await app.register(oauthRoutes(server));
});
afterAll(async () => {
  await app.close();
  await remove();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (parameters: Record<string, string>) => new URLSearchParams(parameters).toString();

async function postToken(options: { body?: string; authorization?: string; contentType?: string | null }) {
  const headers: Record<string, string> = {};
  if (options.contentType !== null)
    headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers, payload: options.body ?? '' });
  return { status: response.statusCode, headers: response.headers, body: response.json(), raw: response.body };
}

const asClient = () => basic(client.clientId, client.clientSecret);

describe('POST /oauth2/token, client credentials', () => {
  it('answers client_secret_basic with an access token only, as Cognito does', async () => {
    const answer = await postToken({ authorization: asClient(), body: form({ grant_type: 'client_credentials' }) });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(answer.headers['cache-control']).toContain('no-store');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });

  it("issues Cognito's access token shape: header kid and RS256, claims in Cognito's order", async () => {
    const answer = await postToken({ authorization: asClient(), body: form({ grant_type: 'client_credentials' }) });
    const token = answer.body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ kid: server.signingKey.kid, alg: 'RS256' });
    const claims = decodeJwt(token);
    const issuedAt = NOW.getTime() / 1000;
    expect(Object.keys(claims)).toEqual([
      'sub',
      'token_use',
      'scope',
      'auth_time',
      'iss',
      'exp',
      'iat',
      'version',
      'jti',
      'client_id',
    ]);
    expect(claims).toMatchObject({
      sub: client.clientId,
      token_use: 'access',
      scope: READ_SCOPE,
      auth_time: issuedAt,
      iss: ISSUER,
      exp: issuedAt + 3600,
      iat: issuedAt,
      version: 2,
      client_id: client.clientId,
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.aud).toBeUndefined();
  });

  it('answers client_secret_post (client_id and client_secret in the body) alike', async () => {
    const answer = await postToken({
      body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    });
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token).client_id).toBe(client.clientId);
  });

  it('takes a client_id in the body next to Basic credentials for the same client (the curl examples do)', async () => {
    const answer = await postToken({
      authorization: asClient(),
      body: form({ grant_type: 'client_credentials', client_id: client.clientId }),
    });
    expect(answer.status).toBe(200);
  });

  it('takes a charset on the form content type', async () => {
    const answer = await postToken({
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      authorization: asClient(),
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(answer.status).toBe(200);
  });
});

describe('POST /oauth2/token, scope', () => {
  const scopeOf = async (scope: string) => {
    const answer = await postToken({
      authorization: asClient(),
      body: form({ grant_type: 'client_credentials', scope }),
    });
    return answer.status === 200 ? decodeJwt(answer.body.access_token).scope : answer.body;
  };

  it("grants all the client's scopes when none is asked for", async () => {
    const answer = await postToken({ authorization: asClient(), body: form({ grant_type: 'client_credentials' }) });
    expect(decodeJwt(answer.body.access_token).scope).toBe(client.scopes.join(' '));
  });

  it('grants an allowed scope asked for, once however often it is asked', async () => {
    expect(await scopeOf(READ_SCOPE)).toBe(READ_SCOPE);
    expect(await scopeOf(`${READ_SCOPE} ${READ_SCOPE}`)).toBe(READ_SCOPE);
  });

  it('treats an empty scope parameter as none asked for (RFC 6749 §3.1)', async () => {
    expect(await scopeOf('')).toBe(READ_SCOPE);
  });

  it('refuses the whole request with invalid_scope when one scope is not allowed', async () => {
    expect(await scopeOf('scoredrive/scores.write')).toEqual({ error: 'invalid_scope' });
    expect(await scopeOf(`${READ_SCOPE} scoredrive/scores.write`)).toEqual({ error: 'invalid_scope' });
    expect(await scopeOf('openid')).toEqual({ error: 'invalid_scope' });
    // Scopes are case-sensitive strings (RFC 6749 §3.3).
    expect(await scopeOf(READ_SCOPE.toUpperCase())).toEqual({ error: 'invalid_scope' });
  });
});

describe('POST /oauth2/token, errors as Cognito answers them', () => {
  const expectError = (answer: Awaited<ReturnType<typeof postToken>>, error: string) => {
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
    // Only the code: Cognito's negative responses carry no error_description.
    expect(answer.body).toEqual({ error });
    expect(answer.raw).not.toContain(client.clientSecret);
  };

  it('answers a wrong secret, an unknown client and no credentials with invalid_client', async () => {
    const body = form({ grant_type: 'client_credentials' });
    expectError(
      await postToken({ authorization: basic(client.clientId, `${client.clientSecret}x`), body }),
      'invalid_client',
    );
    expectError(
      await postToken({ authorization: basic(client.clientId, client.clientSecret.slice(1)), body }),
      'invalid_client',
    );
    expectError(await postToken({ authorization: basic(client.clientId, ''), body }), 'invalid_client');
    expectError(await postToken({ authorization: basic('nosuchclient', client.clientSecret), body }), 'invalid_client');
    expectError(await postToken({ body }), 'invalid_client');
    // A public-client request (client_id alone): every machine client has a secret.
    expectError(
      await postToken({ body: form({ grant_type: 'client_credentials', client_id: client.clientId }) }),
      'invalid_client',
    );
  });

  it('answers a wrong secret in the body with invalid_client', async () => {
    const body = form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wrong' });
    expectError(await postToken({ body }), 'invalid_client');
  });

  it('answers a body client_id naming another client than the Basic credentials with invalid_client', async () => {
    const body = form({ grant_type: 'client_credentials', client_id: 'someoneelse' });
    expectError(await postToken({ authorization: asClient(), body }), 'invalid_client');
  });

  it('answers two authentication methods at once with invalid_request (RFC 6749 §2.3)', async () => {
    const body = form({ grant_type: 'client_credentials', client_secret: client.clientSecret });
    expectError(await postToken({ authorization: asClient(), body }), 'invalid_request');
  });

  it('answers a grant type Cognito does not know with unsupported_grant_type', async () => {
    for (const grantType of [
      'password',
      'implicit',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'CLIENT_CREDENTIALS',
    ]) {
      expectError(
        await postToken({ authorization: asClient(), body: form({ grant_type: grantType }) }),
        'unsupported_grant_type',
      );
    }
  });

  it('answers a missing grant_type, a repeated parameter and a non-form body with invalid_request', async () => {
    expectError(await postToken({ authorization: asClient(), body: '' }), 'invalid_request');
    expectError(await postToken({ authorization: asClient(), body: form({ scope: READ_SCOPE }) }), 'invalid_request');
    expectError(
      await postToken({
        authorization: asClient(),
        body: 'grant_type=client_credentials&grant_type=client_credentials',
      }),
      'invalid_request',
    );
    expectError(
      await postToken({
        authorization: asClient(),
        contentType: 'application/json',
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      }),
      'invalid_request',
    );
    expectError(
      await postToken({ authorization: asClient(), contentType: null, body: 'grant_type=client_credentials' }),
      'invalid_request',
    );
  });

  it('answers a body over the limit with invalid_request, not Fastify 413', async () => {
    const body = form({ grant_type: 'client_credentials', scope: 'x'.repeat(20_000) });
    expectError(await postToken({ authorization: asClient(), body }), 'invalid_request');
  });

  it('answers a code grant with unauthorized_client: a client-credentials app client has no code flow', async () => {
    expectError(
      await postToken({
        authorization: asClient(),
        body: form({
          grant_type: 'authorization_code',
          code: 'AUTHORIZATION_CODE',
          redirect_uri: 'https://example.com/',
        }),
      }),
      'unauthorized_client',
    );
    expectError(
      await postToken({ authorization: asClient(), body: form({ grant_type: 'authorization_code' }) }),
      'invalid_request',
    );
  });

  it('answers a refresh token with invalid_grant (none was ever issued), and none with invalid_request', async () => {
    expectError(
      await postToken({
        authorization: asClient(),
        body: form({ grant_type: 'refresh_token', refresh_token: 'REFRESH_TOKEN' }),
      }),
      'invalid_grant',
    );
    // The page's own invalid_request example: grant_type refresh_token without refresh_token.
    expectError(
      await postToken({ authorization: asClient(), body: form({ grant_type: 'refresh_token' }) }),
      'invalid_request',
    );
  });

  it('authenticates the client before it looks at the grant', async () => {
    const body = form({ grant_type: 'refresh_token', refresh_token: 'REFRESH_TOKEN' });
    expectError(await postToken({ authorization: basic(client.clientId, 'wrong'), body }), 'invalid_client');
  });
});

describe('client_secret_basic parsing', () => {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  it('reads id and secret split at the first colon, form-decoded (RFC 6749 §2.3.1)', () => {
    expect(parseBasicCredentials(`Basic ${encode('id:se:cret')}`)).toEqual({ clientId: 'id', clientSecret: 'se:cret' });
    expect(parseBasicCredentials(`basic ${encode('a%3Ab:c+d')}`)).toEqual({ clientId: 'a:b', clientSecret: 'c d' });
    expect(parseBasicCredentials(`BASIC   ${encode('id:secret')}`)).toEqual({ clientId: 'id', clientSecret: 'secret' });
  });

  it('takes base64 without padding', () => {
    expect(parseBasicCredentials(`Basic ${encode('id:secret1').replace(/=+$/, '')}`)).toEqual({
      clientId: 'id',
      clientSecret: 'secret1',
    });
  });

  it('refuses bad base64, no colon, an empty id, bad percent-encoding, bad UTF-8 and other schemes', () => {
    expect(parseBasicCredentials('Basic !!!notbase64!!!')).toBeUndefined();
    expect(parseBasicCredentials('Basic abc')).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${encode('id:secret')}=`)).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${encode('idsecret')}`)).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${encode(':secret')}`)).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${encode('id:%zz')}`)).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${Buffer.from([0x69, 0x3a, 0xff]).toString('base64')}`)).toBeUndefined();
    expect(parseBasicCredentials('Basic')).toBeUndefined();
    expect(parseBasicCredentials(`Bearer ${encode('id:secret')}`)).toBeUndefined();
    expect(parseBasicCredentials(`Basic ${encode('id:secret')} extra`)).toBeUndefined();
  });

  it('answers each of those on the endpoint with invalid_client', async () => {
    const body = form({ grant_type: 'client_credentials' });
    for (const authorization of [
      'Basic !!!notbase64!!!',
      `Basic ${encode(`${client.clientId}${client.clientSecret}`)}`,
      `Bearer ${encode(`${client.clientId}:${client.clientSecret}`)}`,
    ]) {
      const answer = await postToken({ authorization, body });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_client' });
    }
  });
});
