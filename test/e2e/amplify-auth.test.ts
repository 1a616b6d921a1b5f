/**
 * Amplify JS v6's `generateClient` against `--stage prod` on a loopback port, set up as an
 * integrator sets it up for AppSync's production auth modes:
 * - `authMode: 'iam'`: a custom credentials provider hands Amplify the offline IAM keys, and
 *   Amplify signs the request itself (SigV4, service `appsync`, the configured region);
 * - `authMode: 'oidc'`: a custom token provider hands Amplify a client-credentials access token
 *   from the offline token endpoint, which Amplify sends as the `Authorization` header (it reads
 *   `fetchAuthSession().tokens.accessToken`);
 * - `authMode: 'apiKey'`: refused, as prod has no API key, with Amplify's "Unauthorized".
 */
import type { AddressInfo } from 'node:net';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { startTestService, TEST_API_KEY } from '../helpers/service';

const REGION = 'eu-south-1';
const SCORE = 'query Score($id: ID!) { __typename score(driverId: $id) { driverId } }';

let service: Service;
let stop: () => Promise<void>;
let origin = '';
let endpoint = '';
let driverId = '';

beforeAll(async () => {
  ({ service, stop } = await startTestService({
    accessLog: false,
    stage: 'prod',
    region: REGION,
    oauthIssuer: () => origin,
  }));
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
  endpoint = `${origin}/graphql`;
  const example = await service.exampleDriverId();
  if (!example) throw new Error('no demo driver');
  driverId = example;
});
afterAll(async () => stop());

/** A token as a system gets it: discovery, then client credentials with client_secret_basic. */
async function clientCredentialsToken(): Promise<string> {
  const client = service.auth.oauth?.clients[0];
  if (!client) throw new Error('no machine client');
  const config = await oidc.discovery(new URL(origin), client.clientId, client.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  return (await oidc.clientCredentialsGrant(config)).access_token;
}

const graphqlConfig = (defaultAuthMode: 'iam' | 'oidc' | 'apiKey', apiKey?: string) => ({
  API: { GraphQL: { endpoint, region: REGION, defaultAuthMode, ...(apiKey ? { apiKey } : {}) } },
});

const score = async (authMode: 'iam' | 'oidc' | 'apiKey') =>
  (await generateClient().graphql({ query: SCORE, variables: { id: driverId }, authMode })) as {
    data: { __typename: string; score: { driverId: string } | null };
  };

async function failure(authMode: 'iam' | 'oidc' | 'apiKey') {
  try {
    await score(authMode);
  } catch (error) {
    return error as { errors?: { message: string; recoverySuggestion?: string; originalError?: unknown }[] };
  }
  throw new Error(`Amplify answered with ${authMode}`);
}

/** Amplify configured for IAM with a credentials provider handing it the offline key (or a wrong secret). */
function configureIam(secret?: string): void {
  const credential = service.auth.iam?.credentials[0];
  if (!credential) throw new Error('no IAM credentials');
  Amplify.configure(graphqlConfig('iam'), {
    Auth: {
      credentialsProvider: {
        getCredentialsAndIdentityId: async () => ({
          credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: secret ?? credential.secretAccessKey },
        }),
        clearCredentialsAndIdentityId: () => {},
      },
    },
  });
}

describe('Amplify JS v6 generateClient on --stage prod', () => {
  it("signs with the offline IAM keys from a custom credentials provider (authMode 'iam')", async () => {
    configureIam();
    const result = await score('iam');
    expect(result.data).toEqual({ __typename: 'Query', score: { driverId } });
  });

  it('refuses a request Amplify signed with a wrong secret (403 InvalidSignatureException)', async () => {
    configureIam('x'.repeat(40));
    const refused = await failure('iam');
    // Amplify names only UnauthorizedException "Unauthorized"; any other refusal comes back as its
    // REST error (named from x-amzn-ErrorType), wrapped as the GraphQL error's originalError.
    const rest = refused.errors?.[0].originalError as { name?: string; response?: { statusCode: number } } | undefined;
    expect(rest?.name).toBe('InvalidSignatureException');
    expect(rest?.response?.statusCode).toBe(403);
  });

  it("sends the offline access token from a custom token provider (authMode 'oidc')", async () => {
    const token = await clientCredentialsToken();
    Amplify.configure(graphqlConfig('oidc'), {
      Auth: {
        tokenProvider: {
          // The shape Amplify's own decodeJWT builds: the claims, and the compact JWT as toString().
          getTokens: async () => ({ accessToken: { payload: decodeJwt(token), toString: () => token } }),
        },
      },
    });
    const result = await score('oidc');
    expect(result.data).toEqual({ __typename: 'Query', score: { driverId } });
  });

  it('reports "Unauthorized", with its hint, for an API key: prod’s GraphQL API has none', async () => {
    Amplify.configure(graphqlConfig('apiKey', TEST_API_KEY));
    const refused = await failure('apiKey');
    expect(refused.errors?.[0].message).toBe('Unauthorized');
    expect(refused.errors?.[0].recoverySuggestion).toContain('authMode');
  });
});
