/**
 * `GET /.well-known/openid-configuration` and `GET /.well-known/jwks.json`, where a Cognito user
 * pool serves them under its issuer (`https://cognito-idp.<region>.amazonaws.com/<pool-id>/.well-known/…`)
 * and AppSync's OPENID_CONNECT mode finds them from the issuer alone; offline the issuer is the
 * server's origin, so they are at the root.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineClient } from '../../src/auth/oauth/clients';
import { oauthRoutes } from '../../src/auth/oauth/routes';
import { createOfflineAuthorizationServer, type OfflineAuthorizationServer } from '../../src/auth/oauth/server';
import { READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

const ISSUER = 'http://localhost:4000';

let app: FastifyInstance;
let server: OfflineAuthorizationServer;
let remove: () => Promise<void>;

beforeAll(async () => {
  const temp = await tempDir();
  remove = temp.remove;
  server = await createOfflineAuthorizationServer({ dataDir: temp.dir, issuer: ISSUER });
  app = Fastify();
  await app.register(oauthRoutes(server));
});
afterAll(async () => {
  await app.close();
  await remove();
});

describe('GET /.well-known/openid-configuration', () => {
  it('names the issuer and the endpoints under it, as JSON', async () => {
    const response = await app.inject('/.well-known/openid-configuration');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.json()).toEqual({
      grant_types_supported: ['client_credentials'],
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      scopes_supported: [READ_SCOPE],
      subject_types_supported: ['public'],
      token_endpoint: `${ISSUER}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });

  it('is found from the issuer as OpenID Connect Discovery builds the URL (issuer + /.well-known/…)', async () => {
    const url = new URL(`${ISSUER}/.well-known/openid-configuration`);
    const response = await app.inject(url.pathname);
    expect(response.json().issuer).toBe(ISSUER);
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('lists the signing key with the members Cognito lists, public ones only', async () => {
    const response = await app.inject('/.well-known/jwks.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    const { keys } = response.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      alg: 'RS256',
      e: 'AQAB',
      kid: server.signingKey.kid,
      kty: 'RSA',
      n: expect.any(String),
      use: 'sig',
    });
  });

  it('verifies the tokens the token endpoint issues', async () => {
    const [client] = server.clients as [MachineClient];
    const token = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });
    const jwks = (await app.inject('/.well-known/jwks.json')).json();
    const { payload } = await jwtVerify(token.json().access_token, createLocalJWKSet(jwks), { issuer: ISSUER });
    expect(payload.client_id).toBe(client.clientId);
  });
});
