/**
 * A well-kept OAuth client library, openid-client (v6, on oauth4webapi), runs the
 * client-credentials flow against the offline authorization server listening on 127.0.0.1, as a
 * system would against the stage's Cognito user pool: discovery from the issuer, the token
 * endpoint with client_secret_basic and client_secret_post, and Cognito's error answers. Its
 * token is then verified by verify.ts, through the issuer's discovery document and jwks_uri as
 * AppSync's OIDC mode does, and against the server's own key set.
 */

import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineClient } from '../../src/auth/oauth/clients';
import { oauthRoutes } from '../../src/auth/oauth/routes';
import { createOfflineAuthorizationServer, type OfflineAuthorizationServer } from '../../src/auth/oauth/server';
import { createAccessTokenVerifier, hasScopes } from '../../src/auth/oauth/verify';
import { READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

let app: FastifyInstance;
let server: OfflineAuthorizationServer;
let client: MachineClient;
let issuer: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  const temp = await tempDir();
  remove = temp.remove;
  let port = 0;
  server = await createOfflineAuthorizationServer({ dataDir: temp.dir, issuer: () => `http://127.0.0.1:${port}` });
  [client] = server.clients as [MachineClient];
  app = Fastify();
  await app.register(oauthRoutes(server));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  issuer = server.issuer;
});
afterAll(async () => {
  await app.close();
  await remove();
});

// Plain HTTP on loopback: openid-client refuses it unless told.
const discover = (authentication: oidc.ClientAuth) =>
  oidc.discovery(new URL(issuer), client.clientId, undefined, authentication, {
    execute: [oidc.allowInsecureRequests],
  });

describe('openid-client against the offline authorization server', () => {
  it('discovers the server from its issuer', async () => {
    const config = await discover(oidc.ClientSecretBasic(client.clientSecret));
    expect(config.serverMetadata()).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth2/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    });
  });

  it('gets a token with client_secret_basic that verify.ts accepts through discovery and jwks_uri', async () => {
    const config = await discover(oidc.ClientSecretBasic(client.clientSecret));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: READ_SCOPE });
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();

    const verify = createAccessTokenVerifier({ issuer, clientId: client.clientId });
    const verified = await verify(tokens.access_token);
    expect(verified).toMatchObject({
      ok: true,
      claims: { iss: issuer, client_id: client.clientId, token_use: 'access' },
    });
    expect(verified.ok && hasScopes(verified.claims, [READ_SCOPE])).toBe(true);
  });

  it('gets a token with client_secret_post and no scope asked for: all the client allows', async () => {
    const config = await discover(oidc.ClientSecretPost(client.clientSecret));
    const tokens = await oidc.clientCredentialsGrant(config);
    const verified = await server.verifier()(tokens.access_token);
    expect(verified).toMatchObject({ ok: true, claims: { scope: client.scopes.join(' ') } });
  });

  it('meets invalid_client for a wrong secret, as a 400 with only the error code', async () => {
    const config = await discover(oidc.ClientSecretBasic('wrong-secret'));
    await expect(oidc.clientCredentialsGrant(config)).rejects.toMatchObject({
      name: 'ResponseBodyError',
      status: 400,
      error: 'invalid_client',
      cause: { error: 'invalid_client' },
    });
  });

  it('meets invalid_scope for a scope the client is not allowed', async () => {
    const config = await discover(oidc.ClientSecretBasic(client.clientSecret));
    await expect(oidc.clientCredentialsGrant(config, { scope: 'scoredrive/scores.write' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_scope',
    });
  });

  it('a verifier with another issuer refuses the token', async () => {
    const config = await discover(oidc.ClientSecretBasic(client.clientSecret));
    const tokens = await oidc.clientCredentialsGrant(config);
    const verify = createAccessTokenVerifier({ issuer: `${issuer}/other`, jwksUri: `${issuer}/.well-known/jwks.json` });
    expect(await verify(tokens.access_token)).toMatchObject({ ok: false, reason: 'issuer' });
  });

  it('a verifier whose issuer serves no discovery document says the keys are unavailable', async () => {
    const config = await discover(oidc.ClientSecretBasic(client.clientSecret));
    const tokens = await oidc.clientCredentialsGrant(config);
    const verify = createAccessTokenVerifier({ issuer: `${issuer}/nowhere` });
    expect(await verify(tokens.access_token)).toMatchObject({ ok: false, reason: 'keys_unavailable' });
  });
});
