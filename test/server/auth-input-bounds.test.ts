/**
 * Credentials of hostile size, sent over a real socket to `--stage prod` (IAM and OIDC): each
 * gets its 4xx, read no further than the bytes that bound it, and the server keeps answering.
 * - An `Authorization` header past Node's 16 KiB header limit is refused by the HTTP parser
 *   (431) before any auth code runs.
 * - Under it, a token that is no JWT, a JWT-shaped token with a 9 KiB payload and a forged
 *   signature, and a SigV4 header missing its parts get AppSync's refusals.
 * - The token endpoint's body is capped at TOKEN_BODY_LIMIT (16 KiB).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_BODY_LIMIT } from '../../src/auth/oauth/routes';
import { offlineToken, startTestService } from '../helpers/service';

let origin = '';
let stop: () => Promise<void>;
let validToken = '';

beforeAll(async () => {
  const started = await startTestService({ accessLog: false, stage: 'prod', oauthIssuer: () => origin });
  stop = started.stop;
  await started.service.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(started.service.app.server.address() as AddressInfo).port}`;
  validToken = await offlineToken(started.service);
});
afterAll(async () => stop());

const QUERY = JSON.stringify({ query: '{ __typename }' });
const post = (authorization: string) =>
  fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: QUERY,
  });

async function refusal(answer: Response): Promise<{ status: number; type: string | null; message: string }> {
  const body = (await answer.json()) as { errors: { message: string }[] };
  return {
    status: answer.status,
    type: answer.headers.get('x-amzn-errortype'),
    message: body.errors[0]?.message ?? '',
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('oversized credentials', () => {
  it('answers 431 to an Authorization header past the 16 KiB header limit, then serves the next caller', async () => {
    const answer = await post('x'.repeat(32 * 1024));
    expect(answer.status).toBe(431);
    expect(await answer.text()).toMatch(/Exceeded maximum allowed HTTP header size/);
    expect(await (await post(validToken)).json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a 12 KiB value that is no JWT as AppSync does', async () => {
    expect(await refusal(await post('x'.repeat(12 * 1024)))).toEqual({
      status: 401,
      type: 'UnauthorizedException',
      message: 'Unable to parse JWT token.',
    });
  });

  it('refuses a JWT with a 9 KiB payload and a forged signature', async () => {
    const [header] = validToken.split('.');
    const forged = `${header}.${base64url({ sub: 'x', pad: 'p'.repeat(9000) })}.${'A'.repeat(342)}`;
    expect(forged.length).toBeGreaterThan(12_000);
    expect(await refusal(await post(forged))).toEqual({
      status: 401,
      type: 'UnauthorizedException',
      message: 'Valid authorization header not provided.',
    });
  });

  it('refuses a 12 KiB SigV4 header with no signature, naming what is missing', async () => {
    const answer = await refusal(await post(`AWS4-HMAC-SHA256 Credential=${'A'.repeat(12_000)}`));
    expect(answer.status).toBe(403);
    expect(answer.type).toBe('IncompleteSignatureException');
    expect(answer.message).toMatch(/^Authorization header requires 'Signature' parameter\./);
  });

  it('caps the token endpoint’s body: past the limit, and under it, each a 400 OAuth error', async () => {
    const form = (size: number) =>
      fetch(`${origin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&pad=${'a'.repeat(size)}`,
      });
    const over = await form(TOKEN_BODY_LIMIT + 1);
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({ error: 'invalid_request' });
    // Under the cap the form is read: no client credentials in it.
    const under = await form(TOKEN_BODY_LIMIT - 1024);
    expect(under.status).toBe(400);
    expect(await under.json()).toEqual({ error: 'invalid_client' });
  });
});
