/**
 * `POST /oauth2/token` as a Cognito user pool answers it, as a function of the request (the
 * Fastify route in routes.ts only carries it). Source: Amazon Cognito Developer Guide, "Token
 * endpoint" (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html):
 *
 * - the body is `application/x-www-form-urlencoded`, nothing else;
 * - the client authenticates with `client_secret_basic` (`Authorization: Basic
 *   Base64Encode(client_id:client_secret)`) or `client_secret_post` (`client_id` and
 *   `client_secret` in the body); both are listed in the pool's
 *   `token_endpoint_auth_methods_supported`;
 * - `grant_type` is `authorization_code`, `refresh_token` or `client_credentials`;
 * - `scope`, for client credentials, is space-separated custom scopes of the client, all of them
 *   when absent;
 * - a success is `200 {"access_token","expires_in":3600,"token_type":"Bearer"}` (no ID or refresh
 *   token for client credentials), an error `400` with `Content-Type: application/json;charset=UTF-8`
 *   and only `{"error": "<code>"}` (the page's "Examples of negative responses"); Cognito sends
 *   no `error_description`.
 *
 * The machine clients are confidential client-credentials clients, and a user pool app client
 * with the client-credentials flow can have no code flow, so a code grant is `unauthorized_client`
 * ("Client is not allowed for code grant flow or for refreshing tokens"); no refresh token is
 * ever issued, so one presented is `invalid_grant` ("Refresh token has been revoked"). Missing
 * parameters are `invalid_request` (the page's example: `refresh_token` grant without
 * `refresh_token`), and so are a repeated parameter and two authentication methods at once
 * (RFC 6749 §3.2 and §2.3).
 */
import { authenticateClient, grantScopes, type MachineClient } from './clients';
import type { SigningKey } from './signing-key';
import { issueAccessToken } from './tokens';

/** The error codes of the token endpoint (RFC 6749 §5.2, as Cognito uses them). */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export interface TokenRequest {
  /** The Content-Type header. */
  readonly contentType?: string;
  /** The Authorization header. */
  readonly authorization?: string;
  /** The raw body. */
  readonly body: string;
}

export interface TokenSuccessBody {
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
}

export interface TokenAnswer {
  readonly status: 200 | 400;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: TokenSuccessBody | { readonly error: TokenErrorCode };
}

export interface TokenEndpointContext {
  readonly clients: readonly MachineClient[];
  readonly key: SigningKey;
  readonly issuer: string;
  /** The time of issue. @default now */
  readonly now?: () => Date;
}

/**
 * Cognito's headers on the token endpoint's answers: JSON in UTF-8, never cached (RFC 6749
 * §5.1), and callable from a browser on another origin (the page: "The token endpoint returns
 * `Access-Control-Allow-Origin: *`").
 */
export const TOKEN_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
  pragma: 'no-cache',
  'access-control-allow-origin': '*',
};

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

export const tokenError = (error: TokenErrorCode): TokenAnswer => ({
  status: 400,
  headers: TOKEN_RESPONSE_HEADERS,
  body: { error },
});

const isFormContentType = (value: string | undefined) =>
  value !== undefined && value.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';

/** The body's parameters, empty ones dropped (RFC 6749 §3.1); undefined when one is repeated. */
function formParameters(body: string): Map<string, string> | undefined {
  const parameters = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) return undefined;
    seen.add(name);
    if (value !== '') parameters.set(name, value);
  }
  return parameters;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A form-urlencoded part of Basic credentials (RFC 6749 §2.3.1); undefined when malformed. */
function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The id and secret of `Authorization: Basic …`; undefined for anything else. */
export function parseBasicCredentials(header: string): { clientId: string; clientSecret: string } | undefined {
  const match = /^basic[ \t]+([^ \t]+)[ \t]*$/i.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined || !BASE64.test(encoded)) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (!clientId || clientSecret === undefined) return undefined;
  return { clientId, clientSecret };
}

/** The client the request authenticates as, or the error that answers it. */
function authenticate(
  request: TokenRequest,
  form: ReadonlyMap<string, string>,
  clients: readonly MachineClient[],
): MachineClient | TokenErrorCode {
  let clientId = form.get('client_id');
  let clientSecret = form.get('client_secret');
  if (request.authorization !== undefined && request.authorization !== '') {
    const basic = parseBasicCredentials(request.authorization);
    if (!basic) return 'invalid_client';
    if (clientSecret !== undefined) return 'invalid_request';
    if (clientId !== undefined && clientId !== basic.clientId) return 'invalid_client';
    ({ clientId, clientSecret } = basic);
  }
  // Every machine client has a secret: a request without one names no client it may act as.
  if (clientId === undefined || clientSecret === undefined) return 'invalid_client';
  return authenticateClient(clients, clientId, clientSecret) ?? 'invalid_client';
}

export async function answerTokenRequest(request: TokenRequest, context: TokenEndpointContext): Promise<TokenAnswer> {
  if (!isFormContentType(request.contentType)) return tokenError('invalid_request');
  const form = formParameters(request.body);
  if (!form) return tokenError('invalid_request');
  const grantType = form.get('grant_type');
  if (grantType === undefined) return tokenError('invalid_request');
  if (!GRANT_TYPES.has(grantType)) return tokenError('unsupported_grant_type');

  const client = authenticate(request, form, context.clients);
  if (typeof client === 'string') return tokenError(client);

  if (grantType === 'authorization_code') {
    return tokenError(form.has('code') ? 'unauthorized_client' : 'invalid_request');
  }
  if (grantType === 'refresh_token') {
    return tokenError(form.has('refresh_token') ? 'invalid_grant' : 'invalid_request');
  }

  const scopes = grantScopes(client, form.get('scope'));
  if (!Array.isArray(scopes)) return tokenError(scopes.refused);
  const issued = await issueAccessToken({
    key: context.key,
    issuer: context.issuer,
    clientId: client.clientId,
    scopes,
    now: context.now?.(),
  });
  return {
    status: 200,
    headers: TOKEN_RESPONSE_HEADERS,
    body: { access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: 'Bearer' },
  };
}
