/**
 * AWS_IAM authorization for the offline GraphQL API, as AppSync does it: the request must carry a
 * Signature Version 4 signature (service `appsync`, the API's region) made with one of the offline
 * access keys, over the request as received, its body included. src/auth/sigv4.js checks the
 * signature (with the AWS SDK's own signer, compared in constant time); this module turns its
 * verdict into AppSync's: the caller's `ctx.identity`, or AppSync's refusal (./refusals.ts).
 */
import { sourceIpOf } from '../../server/authorization/identity';
import { createSigV4Verifier, type SigV4Request } from '../sigv4';
import type { IamCredential } from './credentials';
import { type AppSyncIamIdentity, OFFLINE_ACCOUNT_ID, offlineIamIdentity } from './identity';
import { type AppSyncIamRefusal, appSyncRefusal } from './refusals';

/** The service name AppSync requests are signed for. */
export const APPSYNC_SIGNING_SERVICE = 'appsync';

/** AppSync takes a signing time up to 5 minutes from its own clock, either way (./refusals.ts). */
export const APPSYNC_MAX_SKEW_MS = 5 * 60 * 1000;

/** What the check reads of a request: the server's AuthRequest (src/server/authorization/authenticate.ts) fits. */
export interface AppSyncIamRequest extends SigV4Request {
  readonly headers: Record<string, string | string[] | undefined>;
  /** The TCP peer's address (the socket's remoteAddress): the last of ctx.identity.sourceIp. */
  readonly remoteAddress: string;
  /** The clock, in milliseconds since 1970. @default Date.now() */
  readonly now?: number;
}

export interface AppSyncIamOptions {
  /** The API's region: requests must be signed for it. */
  readonly region: string;
  /** ctx.identity.accountId, and the account of its userArn. @default '000000000000' */
  readonly accountId?: string;
}

/** A request AWS_IAM authenticated: its ctx.identity, and the key that signed it. */
export interface AppSyncIamAuthenticated {
  readonly mode: 'AWS_IAM';
  readonly identity: AppSyncIamIdentity;
  readonly accessKeyId: string;
}

/**
 * The caller's identity, or how AppSync refuses the request (`'status' in verdict`). The shapes
 * are the server's `Authenticated | AuthRefusal`, so a verifier is `Verifiers.iam` as it is.
 */
export type AppSyncIamVerdict = AppSyncIamAuthenticated | AppSyncIamRefusal;

export type AppSyncIamVerifier = (request: AppSyncIamRequest) => Promise<AppSyncIamVerdict>;

/** Whether a request offers SigV4 (an `Authorization: AWS4-…` header): the AWS_IAM mode's, among several. */
export function offersSigV4(headers: SigV4Request['headers']): boolean {
  const authorization = headers.authorization;
  const value = typeof authorization === 'string' ? authorization : authorization?.[0];
  return value?.trimStart().startsWith('AWS4-') ?? false;
}

/** A verifier for `credentials`, made once (it keeps a signer per key) and used for every request. */
export function createAppSyncIamVerifier(
  credentials: readonly IamCredential[],
  options: AppSyncIamOptions,
): AppSyncIamVerifier {
  const verify = createSigV4Verifier(credentials, {
    service: APPSYNC_SIGNING_SERVICE,
    region: options.region,
    maxSkewMs: APPSYNC_MAX_SKEW_MS,
    // The offline keys are long-term ones: a session token with them is not one AWS issued.
    refuseSessionTokens: true,
  });
  const accountId = options.accountId ?? OFFLINE_ACCOUNT_ID;
  return async (request) => {
    const verdict = await verify(request, request.now ?? Date.now());
    if (!verdict.ok) return appSyncRefusal(verdict, APPSYNC_SIGNING_SERVICE);
    const identity = offlineIamIdentity(accountId, sourceIpOf(request.headers, request.remoteAddress));
    return { mode: 'AWS_IAM', identity, accessKeyId: verdict.accessKeyId };
  };
}

/** One request's verdict; a server checking many should make one verifier (createAppSyncIamVerifier). */
export function verifyAppSyncIamRequest(
  request: AppSyncIamRequest,
  credentials: readonly IamCredential[],
  region: string,
  options: { readonly accountId?: string } = {},
): Promise<AppSyncIamVerdict> {
  return createAppSyncIamVerifier(credentials, { region, ...options })(request);
}
