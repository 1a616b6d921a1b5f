/**
 * The OpenID discovery document and the issuer it names. A Cognito user pool's issuer is
 * `https://cognito-idp.<region>.amazonaws.com/<pool-id>`, its metadata at
 * `<issuer>/.well-known/openid-configuration` and its keys at `<issuer>/.well-known/jwks.json`;
 * AppSync's OPENID_CONNECT mode takes that issuer, reads `<issuer>/.well-known/openid-configuration`
 * and accepts tokens whose `iss` is the issuer exactly. Offline, the issuer is the server's own
 * origin (`http://localhost:4000`), with no path and no trailing slash, so the same three URLs
 * hold: `<issuer>/.well-known/…` are the routes the server mounts at its root.
 */
import { OAUTH_RESOURCE_SERVER } from '../../contract/auth-modes';
import { SIGNING_ALGORITHM } from './signing-key';

export const DISCOVERY_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/.well-known/jwks.json';
export const TOKEN_PATH = '/oauth2/token';

/** The issuer of a server listening on `port`: loopback by name, as the start banner prints it. */
export const offlineIssuer = (port: number, host = 'localhost') =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * `issuer` checked and in its one spelling: an http(s) origin, optionally with a path, without
 * query, fragment or trailing slash (`iss` is compared as a string, so `…:4000/` would never
 * match `…:4000`).
 */
export function normalizeIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`OAuth issuer ${JSON.stringify(issuer)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`OAuth issuer ${JSON.stringify(issuer)} must be an http(s) URL`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error(`OAuth issuer ${JSON.stringify(issuer)} must have no query, fragment or credentials`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The members of Cognito's discovery document the offline server can honour, in Cognito's (alphabetical) order. */
export interface OpenIdConfiguration {
  readonly grant_types_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly scopes_supported: readonly string[];
  readonly subject_types_supported: readonly string[];
  readonly token_endpoint: string;
  readonly token_endpoint_auth_methods_supported: readonly string[];
}

/**
 * The discovery document of `issuer`. Cognito's also names its hosted-UI endpoints
 * (authorization, userInfo, revocation, logout) and the response types they take; the offline
 * server has none of them, so they are left out rather than pointing at routes that answer 404,
 * and `grant_types_supported` says what it does take (left out, RFC 8414 reads it as
 * authorization code and implicit). `scopes_supported` lists the resource server's scopes, the
 * only ones it issues.
 */
export function openIdConfiguration(issuer: string): OpenIdConfiguration {
  return {
    grant_types_supported: ['client_credentials'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    issuer,
    jwks_uri: `${issuer}${JWKS_PATH}`,
    scopes_supported: OAUTH_RESOURCE_SERVER.scopes.map((scope) => `${OAUTH_RESOURCE_SERVER.identifier}/${scope.name}`),
    subject_types_supported: ['public'],
    token_endpoint: `${issuer}${TOKEN_PATH}`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

/**
 * The issuer as a getter, from a fixed URL or one known only once the server listens (its port),
 * normalized by `normalize` once per distinct value rather than on every token: the value is
 * read for each request. A fixed URL is checked at once, so a wrong one fails at start-up.
 */
export function issuerGetter(
  configured: string | (() => string),
  normalize: (issuer: string) => string = normalizeIssuer,
): () => string {
  const read = typeof configured === 'string' ? () => configured : configured;
  let raw: string | undefined;
  let normalized = '';
  const get = () => {
    const current = read();
    if (current !== raw) {
      normalized = normalize(current);
      raw = current;
    }
    return normalized;
  };
  if (typeof configured === 'string') get();
  return get;
}
