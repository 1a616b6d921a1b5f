/**
 * Verifying a bearer access token as AppSync's OPENID_CONNECT mode and API Gateway's Cognito
 * authorizer do, with `jose`: an RS256 signature by a key of the issuer's key set (the offline
 * server's own, or a remote issuer's `jwks_uri` from its discovery document, as AppSync's OIDC
 * config takes only an issuer), `iss` equal to the issuer, not expired, `token_use` `access`
 * (Cognito's ID tokens are `id`), the app client (`client_id`, matched against AppSync's
 * `clientId` regular expression) and, like AppSync's `iatTTL`/`authTTL`, a token no older than
 * the contract's OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS since issue (and since authentication when set).
 *
 * A failure names its reason and never the token's content: reasons end up in logs and answers.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS } from '../../contract/auth-modes';
import { DISCOVERY_PATH, issuerGetter } from './discovery';
import { SIGNING_ALGORITHM } from './signing-key';

/** Why a token was refused. */
export type VerificationFailureReason =
  /** No token. */
  | 'missing'
  /** Not a JWS compact JWT, or a claim of the wrong type. */
  | 'malformed'
  /** Signed with another algorithm than RS256 (`none` included). */
  | 'algorithm'
  /** No key of the issuer's key set has the token's `kid`. */
  | 'unknown_key'
  /** The signature does not verify. */
  | 'signature'
  /** The issuer's key set could not be fetched. */
  | 'keys_unavailable'
  /** `iss` is not the issuer. */
  | 'issuer'
  /** `exp` has passed. */
  | 'expired'
  /** `nbf` or `iat` is in the future. */
  | 'not_yet_valid'
  /** Not an access token (`token_use` other than `access`). */
  | 'token_use'
  /** `client_id` missing, or not an accepted client. */
  | 'client'
  /** Issued longer ago than the verifier accepts (AppSync's tokenExpiryFromIssue). */
  | 'issued_too_long_ago'
  /** Authenticated longer ago than the verifier accepts (AppSync's tokenExpiryFromAuth). */
  | 'authenticated_too_long_ago';

const MESSAGES: Readonly<Record<VerificationFailureReason, string>> = {
  missing: 'no access token',
  malformed: 'the access token is not a well-formed JWT',
  algorithm: `the access token is not signed with ${SIGNING_ALGORITHM}`,
  unknown_key: "the access token's signing key is not in the issuer's key set",
  signature: "the access token's signature does not verify",
  keys_unavailable: "the issuer's key set could not be read",
  issuer: 'the access token is from another issuer',
  expired: 'the access token has expired',
  not_yet_valid: 'the access token is not valid yet',
  token_use: 'the token is not an access token',
  client: 'the access token is for a client that is not accepted',
  issued_too_long_ago: 'the access token was issued too long ago',
  authenticated_too_long_ago: 'the access token was authenticated too long ago',
};

/** The claims of a verified Cognito-style access token. */
export interface VerifiedAccessToken extends JWTPayload {
  readonly iss: string;
  readonly exp: number;
  readonly iat: number;
  readonly token_use: 'access';
  readonly client_id: string;
  /** Space-separated scopes; absent when the token has none. */
  readonly scope?: string;
  readonly auth_time?: number;
}

export type Verification =
  | { readonly ok: true; readonly claims: VerifiedAccessToken }
  | { readonly ok: false; readonly reason: VerificationFailureReason; readonly message: string };

export type AccessTokenVerifier = (token: string | undefined) => Promise<Verification>;

/** What every verifier takes: AppSync's OIDC settings. */
export interface LocalVerifierOptions {
  /**
   * The accepted app clients, matched against `client_id`: a regular expression, as AppSync's
   * `clientId` (a string is one, matched against the whole value). @default any client
   */
  readonly clientId?: string | RegExp;
  /** How long after `iat` a token is accepted; 0 for no limit. @default OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS */
  readonly tokenExpiryFromIssueMs?: number;
  /** How long after `auth_time` a token is accepted; 0 for no limit. @default 0 */
  readonly tokenExpiryFromAuthMs?: number;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. @default 0 */
  readonly clockToleranceSeconds?: number;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
}

export interface VerifierOptions extends LocalVerifierOptions {
  /** The issuer; a function for the offline server's, known once it listens. */
  readonly issuer: string | (() => string);
  /**
   * The issuer's keys. Absent: fetched (and cached, refreshed for an unknown `kid`) from
   * `jwksUri`, or from the `jwks_uri` of `<issuer>/.well-known/openid-configuration`.
   */
  readonly jwks?: JSONWebKeySet | { readonly keys: readonly object[] };
  /** Where the issuer's keys are, skipping discovery. */
  readonly jwksUri?: string;
}

const fail = (reason: VerificationFailureReason): Verification => ({ ok: false, reason, message: MESSAGES[reason] });

/** The token of an Authorization header: `Bearer <token>`, or the bare token as AppSync and API Gateway take it. */
export function bearerToken(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const bearer = /^bearer[ \t]+(\S+)$/i.exec(value);
  if (bearer) return bearer[1];
  return /\s/.test(value) ? undefined : value;
}

/** Whether the token's `scope` claim holds every one of `required`. */
export function hasScopes(claims: { readonly scope?: unknown }, required: readonly string[]): boolean {
  const granted = typeof claims.scope === 'string' ? new Set(claims.scope.split(' ')) : new Set<string>();
  return required.every((scope) => granted.has(scope));
}

function clientMatcher(clientId: string | RegExp | undefined): ((value: string) => boolean) | undefined {
  if (clientId === undefined) return undefined;
  const pattern = typeof clientId === 'string' ? new RegExp(`^(?:${clientId})$`) : clientId;
  return (value) => {
    pattern.lastIndex = 0;
    return pattern.test(value);
  };
}

/** The remote key set of `issuer`, found through its discovery document once, then cached. */
function remoteKeySet(issuer: () => string, jwksUri: string | undefined): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    if (jwksUri !== undefined) return createRemoteJWKSet(new URL(jwksUri));
    const expected = issuer();
    const response = await fetch(`${expected}${DISCOVERY_PATH}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the document's issuer is the one it was fetched for.
    if (metadata.issuer !== expected || typeof metadata.jwks_uri !== 'string') {
      throw new Error('discovery document of another issuer, or without jwks_uri');
    }
    return createRemoteJWKSet(new URL(metadata.jwks_uri));
  };
  return async (header, token) => {
    keySet ??= discover().catch((error: unknown) => {
      keySet = undefined; // tried again on the next token
      throw error;
    });
    return (await keySet)(header, token);
  };
}

function failureOf(error: unknown): VerificationFailureReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'issuer';
    if (error.claim === 'nbf' || (error.claim === 'iat' && error.reason === 'check_failed')) return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return 'unknown_key';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys_unavailable';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  if (error instanceof errors.JOSENotSupported) return 'algorithm';
  // A failed fetch of the key set (network, discovery) is not the token's fault.
  return 'keys_unavailable';
}

/** A verifier of access tokens from `issuer`. */
export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  const issuer = issuerGetter(options.issuer);
  const keys: JWTVerifyGetKey = options.jwks
    ? createLocalJWKSet(options.jwks as JSONWebKeySet)
    : remoteKeySet(issuer, options.jwksUri);
  const acceptsClient = clientMatcher(options.clientId);
  const fromIssueMs = options.tokenExpiryFromIssueMs ?? OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS;
  const fromAuthMs = options.tokenExpiryFromAuthMs ?? 0;
  const toleranceMs = (options.clockToleranceSeconds ?? 0) * 1000;
  const clock = options.now ?? (() => new Date());

  return async (token) => {
    if (token === undefined || token === '') return fail('missing');
    const now = clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: issuer(),
        currentDate: now,
        clockTolerance: options.clockToleranceSeconds ?? 0,
        requiredClaims: ['iss', 'exp', 'iat'],
      }));
    } catch (error) {
      return fail(failureOf(error));
    }
    if (payload.token_use !== 'access') return fail('token_use');
    const clientId = payload.client_id;
    if (typeof clientId !== 'string' || clientId === '') return fail('client');
    if (acceptsClient && !acceptsClient(clientId)) return fail('client');
    if (payload.scope !== undefined && typeof payload.scope !== 'string') return fail('malformed');
    const issuedAtMs = (payload.iat as number) * 1000;
    if (issuedAtMs > now.getTime() + toleranceMs) return fail('not_yet_valid');
    if (fromIssueMs > 0 && now.getTime() - issuedAtMs > fromIssueMs + toleranceMs) return fail('issued_too_long_ago');
    if (fromAuthMs > 0) {
      if (typeof payload.auth_time !== 'number') return fail('malformed');
      if (now.getTime() - payload.auth_time * 1000 > fromAuthMs + toleranceMs)
        return fail('authenticated_too_long_ago');
    }
    return { ok: true, claims: payload as VerifiedAccessToken };
  };
}
