/**
 * Routing a request to the mode that authenticates it, among the API's modes. Refusals are
 * AppSync's recorded answers: 401 UnauthorizedException "Valid authorization header not
 * provided." (aws-amplify/amplify-js#4373), "You are not authorized to make this call." for a
 * wrong API key (test/server/client-errors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { GraphQLAuthMode } from '../../src/contract/auth-modes';
import { type AuthRequest, authenticate, type Verifiers } from '../../src/server/authorization/authenticate';

const request = (headers: Record<string, string>): AuthRequest => ({
  method: 'POST',
  url: '/graphql',
  headers,
  body: '{}',
  remoteAddress: '127.0.0.1',
});

const seen: string[] = [];
const verifiers: Verifiers = {
  apiKey: (key) => key === 'da2-good',
  iam: () => {
    seen.push('iam');
    return { mode: 'AWS_IAM', identity: { accountId: '000000000000' } };
  },
  oidc: (token) => {
    seen.push(`oidc:${token}`);
    return token === 'good.jwt.token'
      ? { claims: { iss: 'http://issuer', sub: 'client-1', scope: 'scoredrive/scores.read' } }
      : {
          status: 401,
          body: { errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }] },
        };
  },
};

const ALL: GraphQLAuthMode[] = ['API_KEY', 'AWS_IAM', 'OPENID_CONNECT'];
const PROD: GraphQLAuthMode[] = ['AWS_IAM', 'OPENID_CONNECT'];
const missing = {
  status: 401,
  body: { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] },
};

describe('authenticate', () => {
  it('takes x-api-key as API_KEY, with no identity', async () => {
    expect(await authenticate(request({ 'x-api-key': 'da2-good' }), ALL, verifiers)).toEqual({
      mode: 'API_KEY',
      identity: null,
    });
    expect(await authenticate(request({ 'x-api-key': 'da2-bad' }), ALL, verifiers)).toMatchObject({
      status: 401,
      body: { errors: [{ message: 'You are not authorized to make this call.' }] },
    });
  });

  it('sends a SigV4 Authorization header to the IAM verifier', async () => {
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA…/20261201/eu-south-1/appsync/aws4_request, …' };
    expect(await authenticate(request(signed), ALL, verifiers)).toMatchObject({ mode: 'AWS_IAM' });
    expect(seen.at(-1)).toBe('iam');
  });

  it('takes any other Authorization value as an OIDC token, a Bearer prefix or not', async () => {
    for (const value of ['good.jwt.token', 'Bearer good.jwt.token']) {
      expect(await authenticate(request({ authorization: value }), ALL, verifiers)).toEqual({
        mode: 'OPENID_CONNECT',
        identity: {
          claims: { iss: 'http://issuer', sub: 'client-1', scope: 'scoredrive/scores.read' },
          issuer: 'http://issuer',
          sub: 'client-1',
        },
      });
      expect(seen.at(-1)).toBe('oidc:good.jwt.token');
    }
    expect(await authenticate(request({ authorization: 'not-a-jwt' }), ALL, verifiers)).toMatchObject({
      status: 401,
      body: { errors: [{ message: 'Unable to parse JWT token.' }] },
    });
  });

  it('refuses what the API has no mode for: an API key on prod, nothing at all', async () => {
    expect(await authenticate(request({ 'x-api-key': 'da2-good' }), PROD, verifiers)).toEqual(missing);
    expect(await authenticate(request({}), ALL, verifiers)).toEqual(missing);
    expect(await authenticate(request({ authorization: 'good.jwt.token' }), ['API_KEY'], verifiers)).toEqual(missing);
  });
});
