/**
 * Which of the API's authorization modes a GraphQL request is authenticated by, as AppSync
 * tells them apart: a SigV4 `Authorization` header (AWS4-HMAC-SHA256) is AWS_IAM, any other
 * `Authorization` value an OIDC token ("the OIDC token can be a Bearer scheme", security-authz),
 * and `x-api-key` API_KEY. A request that offers no mode the API has gets AppSync's 401
 * `UnauthorizedException` "Valid authorization header not provided." (recorded in
 * aws-amplify/amplify-js#4373), or on an IAM-only API the SigV4 check's answer; a credential
 * the mode refuses gets that mode's own answer.
 * The verifiers themselves live with their modes (API keys here, SigV4 in src/auth/iam, tokens
 * in src/auth/oauth); this module only routes a request to one.
 */
import type { GraphQLAuthMode } from '../../contract/auth-modes';
import { HTTP_ERRORS } from '../appsync-errors';
import { oidcIdentity } from './identity';

/** A refusal before GraphQL runs: status and AppSync's body (and error type header). */
export interface AuthRefusal {
  readonly status: number;
  readonly body: { errors: { errorType: string; message: string }[] };
  /** Headers the refusal carries besides the error type (x-amzn-ErrorType is derived from the body). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Authenticated {
  readonly mode: GraphQLAuthMode;
  /** ctx.identity: null for API_KEY. */
  readonly identity: Record<string, unknown> | null;
}

/** What the request carries that authentication reads. */
export interface AuthRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The raw body as received (SigV4 signs it); text, so no copy is made unless IAM reads it. */
  readonly body: string;
  readonly remoteAddress: string;
}

export interface Verifiers {
  /** Whether `key` is one of the API's keys (constant time). */
  readonly apiKey?: (key: string) => boolean;
  readonly iam?: (request: AuthRequest) => Promise<Authenticated | AuthRefusal> | Authenticated | AuthRefusal;
  /** The verified claims of an OIDC token, or AppSync's refusal. */
  readonly oidc?: (
    token: string,
  ) => Promise<{ claims: Record<string, unknown> } | AuthRefusal> | { claims: Record<string, unknown> } | AuthRefusal;
}

const SIGV4 = /^AWS4-HMAC-SHA256\s/;

function header(request: AuthRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isRefusal(outcome: unknown): outcome is AuthRefusal {
  return typeof outcome === 'object' && outcome !== null && 'status' in outcome && 'body' in outcome;
}

/**
 * The mode and identity of `request` among `modes` (the API's, default first), or AppSync's
 * refusal. A verifier missing for an enabled mode is a server fault, said as such.
 */
export async function authenticate(
  request: AuthRequest,
  modes: readonly GraphQLAuthMode[],
  verifiers: Verifiers,
): Promise<Authenticated | AuthRefusal> {
  const authorization = header(request, 'authorization');
  if (authorization && SIGV4.test(authorization) && modes.includes('AWS_IAM')) {
    if (!verifiers.iam) throw new Error('AWS_IAM is enabled but no SigV4 verifier is configured');
    return verifiers.iam(request);
  }
  if (authorization && !SIGV4.test(authorization) && modes.includes('OPENID_CONNECT')) {
    if (!verifiers.oidc) throw new Error('OPENID_CONNECT is enabled but no token verifier is configured');
    const token = authorization.replace(/^Bearer\s+/i, '');
    const verified = await verifiers.oidc(token);
    if (isRefusal(verified)) return verified;
    return { mode: 'OPENID_CONNECT', identity: { ...oidcIdentity(verified.claims) } };
  }
  const apiKey = header(request, 'x-api-key');
  if (apiKey !== undefined && apiKey !== '' && modes.includes('API_KEY')) {
    if (!verifiers.apiKey) throw new Error('API_KEY is enabled but no API keys are configured');
    return verifiers.apiKey(apiKey) ? { mode: 'API_KEY', identity: null } : HTTP_ERRORS.wrongKey;
  }
  // An API whose only mode is IAM answers everything else as SigV4 gone wrong: AppSync logs
  // MissingAuthenticationTokenException for no credentials (aws-amplify/amplify-js#1311) and
  // answers a token with IncompleteSignatureException (aws-amplify/amplify-js#2035).
  if (modes.length === 1 && modes[0] === 'AWS_IAM' && verifiers.iam) return verifiers.iam(request);
  return HTTP_ERRORS.missingKey;
}
