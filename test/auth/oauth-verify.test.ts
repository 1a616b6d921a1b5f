/**
 * Verifying bearer access tokens (src/auth/oauth/verify.ts) as AppSync's OPENID_CONNECT mode
 * and API Gateway's Cognito authorizer do: signature by the issuer's key, issuer, expiry,
 * `token_use` `access`, the app client (AppSync's `clientId` regular expression against
 * `client_id`), and issue no longer ago than OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS (AppSync's
 * tokenExpiryFromIssue). Failures give a reason and never the token's content.
 */
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSigningKey, type SigningKey } from '../../src/auth/oauth/signing-key';
import { issueAccessToken } from '../../src/auth/oauth/tokens';
import {
  type AccessTokenVerifier,
  bearerToken,
  createAccessTokenVerifier,
  hasScopes,
  type Verification,
} from '../../src/auth/oauth/verify';
import { OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS, READ_SCOPE } from '../../src/contract/auth-modes';
import { tempDir } from '../helpers/service';

const ISSUER = 'http://localhost:4000';
const CLIENT_ID = 'abcdefghijklmnopqrstuvwxyz';
const ISSUED = new Date('2026-10-01T12:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const later = (ms: number) => new Date(ISSUED.getTime() + ms);

let key: SigningKey;
let remove: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempDir();
  remove = temp.remove;
  key = await resolveSigningKey(temp.dir);
});
afterAll(async () => remove());

const verifierAt = (now: Date, options: Partial<Parameters<typeof createAccessTokenVerifier>[0]> = {}) =>
  createAccessTokenVerifier({ issuer: ISSUER, jwks: { keys: [key.publicJwk] }, now: () => now, ...options });

const token = (overrides: { issuer?: string; clientId?: string; scopes?: string[]; validitySeconds?: number } = {}) =>
  issueAccessToken({
    key,
    issuer: overrides.issuer ?? ISSUER,
    clientId: overrides.clientId ?? CLIENT_ID,
    scopes: overrides.scopes ?? [READ_SCOPE],
    validitySeconds: overrides.validitySeconds,
    now: ISSUED,
  }).then((issued) => issued.accessToken);

/** A token signed with `key`'s private key but claims of the test's choosing. */
const signed = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header }).sign(key.privateKey);

const baseClaims = () => ({
  sub: CLIENT_ID,
  token_use: 'access',
  scope: READ_SCOPE,
  auth_time: seconds(ISSUED),
  iss: ISSUER,
  exp: seconds(ISSUED) + 3600,
  iat: seconds(ISSUED),
  version: 2,
  jti: '00000000-0000-4000-8000-000000000000',
  client_id: CLIENT_ID,
});

const expectRefused = (verification: Verification, reason: string, tokenText: string) => {
  expect(verification).toMatchObject({ ok: false, reason });
  if (verification.ok) return;
  // Nothing of the token in what is said about it.
  for (const part of tokenText.split('.')) if (part) expect(verification.message).not.toContain(part);
  expect(verification.message).not.toContain(CLIENT_ID);
};

describe('createAccessTokenVerifier', () => {
  let verify: AccessTokenVerifier;
  beforeAll(() => {
    verify = verifierAt(later(60_000));
  });

  it("accepts the offline server's token and gives its claims", async () => {
    const result = await verify(await token());
    expect(result).toMatchObject({
      ok: true,
      claims: { client_id: CLIENT_ID, token_use: 'access', scope: READ_SCOPE },
    });
  });

  it('refuses a missing token', async () => {
    expect(await verify(undefined)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await verify('')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses what is not a JWT', async () => {
    expectRefused(await verify('qwxz.plmk.zzyv'), 'malformed', 'qwxz.plmk.zzyv');
    expectRefused(await verify('qwxzplmkzzyv'), 'malformed', 'qwxzplmkzzyv');
  });

  it('refuses an expired token', async () => {
    const expired = await token({ validitySeconds: 300 });
    expectRefused(await verifierAt(later(301_000))(expired), 'expired', expired);
  });

  it('refuses a token from another issuer, even one differing by a trailing slash', async () => {
    for (const issuer of ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', `${ISSUER}/`]) {
      const other = await token({ issuer });
      expectRefused(await verify(other), 'issuer', other);
    }
  });

  it('refuses a token signed by another key, with or without its kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const sameKid = await new SignJWT(baseClaims()).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(privateKey);
    expectRefused(await verify(sameKid), 'signature', sameKid);
    const otherKid = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'RS256', kid: 'other' })
      .sign(privateKey);
    expectRefused(await verify(otherKid), 'unknown_key', otherKid);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = new UnsecuredJWT(baseClaims()).encode();
    expectRefused(await verify(unsigned), 'algorithm', unsigned);
  });

  it('refuses a token signed with another algorithm', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const es256 = await new SignJWT(baseClaims()).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(privateKey);
    expectRefused(await verify(es256), 'algorithm', es256);
    const hs256 = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(key.publicJwk.n));
    expectRefused(await verify(hs256), 'algorithm', hs256);
  });

  it('refuses an ID token (token_use id) and a token without token_use', async () => {
    const id = await signed({ ...baseClaims(), token_use: 'id', aud: CLIENT_ID });
    expectRefused(await verify(id), 'token_use', id);
    const { token_use: _dropped, ...withoutUse } = baseClaims();
    const none = await signed(withoutUse);
    expectRefused(await verify(none), 'token_use', none);
  });

  it('refuses a token issued longer ago than tokenExpiryFromIssue, though not expired', async () => {
    const longLived = await token({ validitySeconds: 86_400 });
    const justInside = verifierAt(later(OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS));
    expect((await justInside(longLived)).ok).toBe(true);
    const tooOld = verifierAt(later(OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS + 1000));
    expectRefused(await tooOld(longLived), 'issued_too_long_ago', longLived);
    const unlimited = verifierAt(later(OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS + 1000), { tokenExpiryFromIssueMs: 0 });
    expect((await unlimited(longLived)).ok).toBe(true);
  });

  it('refuses a token authenticated longer ago than tokenExpiryFromAuth, when set', async () => {
    const old = await signed({ ...baseClaims(), auth_time: seconds(ISSUED) - 7200 });
    expectRefused(
      await verifierAt(later(0), { tokenExpiryFromAuthMs: 3_600_000 })(old),
      'authenticated_too_long_ago',
      old,
    );
    expect((await verifierAt(later(0))(old)).ok).toBe(true);
  });

  it('refuses a token issued in the future', async () => {
    const future = await signed({ ...baseClaims(), iat: seconds(ISSUED) + 600 });
    expectRefused(await verifierAt(later(0))(future), 'not_yet_valid', future);
  });

  it('refuses a token without exp or iat', async () => {
    const { exp: _exp, ...withoutExp } = baseClaims();
    const noExp = await signed(withoutExp);
    expectRefused(await verify(noExp), 'malformed', noExp);
    const { iat: _iat, ...withoutIat } = baseClaims();
    const noIat = await signed(withoutIat);
    expectRefused(await verify(noIat), 'malformed', noIat);
  });

  it("checks the client against AppSync's clientId regular expression, the whole value", async () => {
    const accepted = await token({ clientId: CLIENT_ID });
    expect((await verifierAt(later(0), { clientId: CLIENT_ID })(accepted)).ok).toBe(true);
    expect((await verifierAt(later(0), { clientId: '[a-z]{26}|other' })(accepted)).ok).toBe(true);
    expect((await verifierAt(later(0), { clientId: /^abc/ })(accepted)).ok).toBe(true);
    expectRefused(await verifierAt(later(0), { clientId: 'abcdef' })(accepted), 'client', accepted);
    const { client_id: _dropped, ...withoutClient } = baseClaims();
    const noClient = await signed(withoutClient);
    expectRefused(await verify(noClient), 'client', noClient);
  });

  it('takes a clock tolerance on expiry', async () => {
    const expired = await token({ validitySeconds: 60 });
    expect((await verifierAt(later(90_000), { clockToleranceSeconds: 60 })(expired)).ok).toBe(true);
  });

  it('reads the issuer lazily, for a server that knows its port only once it listens', async () => {
    let issuer = 'http://127.0.0.1:1';
    const verifyLazy = createAccessTokenVerifier({
      issuer: () => issuer,
      jwks: { keys: [key.publicJwk] },
      now: () => later(0),
    });
    issuer = ISSUER;
    expect((await verifyLazy(await token())).ok).toBe(true);
  });
});

describe('hasScopes', () => {
  it('holds when every required scope is granted', () => {
    expect(hasScopes({ scope: `${READ_SCOPE} other/x` }, [READ_SCOPE])).toBe(true);
    expect(hasScopes({ scope: READ_SCOPE }, [])).toBe(true);
  });

  it('fails for a missing scope, a prefix of one, or no scope claim', () => {
    expect(hasScopes({ scope: 'other/x' }, [READ_SCOPE])).toBe(false);
    expect(hasScopes({ scope: READ_SCOPE }, [READ_SCOPE, 'other/x'])).toBe(false);
    expect(hasScopes({ scope: 'scoredrive/scores.readwrite' }, [READ_SCOPE])).toBe(false);
    expect(hasScopes({}, [READ_SCOPE])).toBe(false);
    expect(hasScopes({ scope: 42 }, [READ_SCOPE])).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads `Bearer <token>` and the bare token AppSync and API Gateway take', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc.def.ghi ')).toBe('abc.def.ghi');
    expect(bearerToken('abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('gives nothing for no header or another scheme', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
  });
});
