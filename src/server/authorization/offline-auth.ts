/**
 * The stage's GraphQL authorization, offline: its modes from the contract (STAGE_AUTH) and a
 * verifier for each, the offline stand-ins of what AWS runs: API keys, SigV4 against the
 * offline IAM keys (src/auth/iam), and OIDC tokens from the offline authorization server
 * (src/auth/oauth), or from an external issuer, as AppSync's OIDC config takes one.
 */
import { createAppSyncIamVerifier, type ResolvedIamCredentials, resolveIamCredentials } from '../../auth/iam';
import {
  type AccessTokenVerifier,
  bearerToken,
  createAccessTokenVerifier,
  createOfflineAuthorizationServer,
  hasScopes,
  type OfflineAuthorizationServer,
} from '../../auth/oauth';
import { type GraphQLAuthMode, STAGE_AUTH } from '../../contract/auth-modes';
import { deployedStageOf } from '../../contract/graphql-limits';
import { HTTP_ERRORS } from '../appsync-errors';
import type { RestTokenVerdict } from '../rest-facade';
import type { AuthRefusal, Verifiers } from './authenticate';

export interface OfflineAuthOptions {
  readonly stage: string;
  readonly dataDir: string;
  readonly apiKeyMatches: (key: string) => boolean;
  /** The issuer of the offline authorization server (the server's origin), read once it listens. */
  readonly issuer: () => string;
  /** An external OIDC issuer to trust instead of the offline server. */
  readonly externalIssuer?: string;
  /** The region SigV4 requests must be signed for. */
  readonly region: string;
  /** SCOREDRIVE_IAM_CREDENTIALS. */
  readonly iamCredentials?: string;
}

export interface OfflineAuth {
  /** The GraphQL API's modes, the default first. */
  readonly modes: readonly GraphQLAuthMode[];
  readonly verifiers: Verifiers;
  /** The REST facade's Cognito authorizer and scope, where the stage deploys one. */
  readonly restAuthorizer?: (authorization: string | undefined) => Promise<RestTokenVerdict>;
  /** Present when the stage has OIDC and no external issuer is trusted: its routes are served. */
  readonly oauth?: OfflineAuthorizationServer;
  readonly iam?: ResolvedIamCredentials;
}

/**
 * A token the verifier refused. AppSync's recorded words: "Unable to parse JWT token." for one
 * that is not a JWT (aws-amplify/amplify-js#2645); for the other refusals (expired, another
 * issuer, a bad signature) no answer is on record, so the missing-credentials answer is given
 * (aws-amplify/amplify-js#4373). The reason goes to no one: it could help forge a token.
 */
function tokenRefusal(reason: string): AuthRefusal {
  return reason === 'malformed' ? HTTP_ERRORS.unparseableToken : HTTP_ERRORS.missingKey;
}

export async function setUpOfflineAuth(options: OfflineAuthOptions): Promise<OfflineAuth> {
  const stageAuth = STAGE_AUTH[deployedStageOf(options.stage)];
  const modes = stageAuth.graphql;
  const restScope = stageAuth.rest.oauthScope;
  let oauth: OfflineAuthorizationServer | undefined;
  let iam: ResolvedIamCredentials | undefined;
  const verifiers: { -readonly [K in keyof Verifiers]: Verifiers[K] } = {};
  if (modes.includes('API_KEY')) verifiers.apiKey = options.apiKeyMatches;
  if (modes.includes('AWS_IAM')) {
    iam = await resolveIamCredentials(options.dataDir, options.iamCredentials);
    verifiers.iam = createAppSyncIamVerifier(iam.credentials, { region: options.region });
  }
  // One issuer stands for the stage's user pool, trusted by GraphQL's OIDC mode and REST's
  // Cognito authorizer alike: the external one when given, else the offline server.
  let verify: AccessTokenVerifier | undefined;
  if (modes.includes('OPENID_CONNECT') || restScope) {
    if (options.externalIssuer) {
      verify = createAccessTokenVerifier({ issuer: options.externalIssuer });
    } else {
      oauth = await createOfflineAuthorizationServer({ dataDir: options.dataDir, issuer: options.issuer });
      verify = oauth.verifier();
    }
  }
  if (verify && modes.includes('OPENID_CONNECT')) {
    const check = verify;
    verifiers.oidc = async (token) => {
      const verified = await check(token);
      return verified.ok ? { claims: { ...verified.claims } } : tokenRefusal(verified.reason);
    };
  }
  let restAuthorizer: OfflineAuth['restAuthorizer'];
  if (verify && restScope) {
    const check = verify;
    restAuthorizer = async (authorization) => {
      const verified = await check(bearerToken(authorization));
      if (!verified.ok) return verified.reason === 'expired' ? 'expired' : 'unauthorized';
      return hasScopes(verified.claims, [restScope]) ? 'ok' : 'unauthorized';
    };
  }
  return { modes, verifiers, oauth, iam, restAuthorizer };
}
