/**
 * Who may call each stage's APIs, for the CDK app and the offline server alike: the GraphQL
 * API's authorization modes (the first is AppSync's default mode, the others additional), what
 * the REST facade's methods require, and the OAuth resource server, scopes and machine clients
 * of the stage's Cognito user pool (the offline authorization server issues the same).
 */
import type { StageName } from './graphql-limits';

/** AppSync's names for the authorization modes ScoreDrive uses (AuthenticationType). */
export type GraphQLAuthMode = 'API_KEY' | 'AWS_IAM' | 'OPENID_CONNECT';

/** The user pool's resource server: scopes are `<identifier>/<scope>` in tokens. */
export const OAUTH_RESOURCE_SERVER = {
  identifier: 'scoredrive',
  scopes: [{ name: 'scores.read', description: 'read driving scores' }],
} as const;

/** The scope a token needs to read scores (REST's Cognito authorizer checks it). */
export const READ_SCOPE = `${OAUTH_RESOURCE_SERVER.identifier}/${OAUTH_RESOURCE_SERVER.scopes[0].name}`;

/** The app clients systems trade an id and secret for a token with (client credentials). */
export const MACHINE_CLIENTS = [{ name: 'systems', scopes: [READ_SCOPE] }] as const;

/** How long AppSync's OIDC mode accepts a token after it was issued (its tokenExpiryFromIssue). */
export const OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS = 60 * 60 * 1000;

export interface StageAuth {
  /** The GraphQL API's modes, the default first. */
  readonly graphql: readonly GraphQLAuthMode[];
  /** The REST facade: an API key on every authenticated route, and an OAuth scope where the stage has a user pool. */
  readonly rest: { readonly apiKey: true; readonly oauthScope?: string };
}

/** dev: API keys only; test: API key, IAM and OIDC; prod: IAM and OIDC, no API key on GraphQL. */
export const STAGE_AUTH: Readonly<Record<StageName, StageAuth>> = {
  dev: { graphql: ['API_KEY'], rest: { apiKey: true } },
  test: { graphql: ['API_KEY', 'AWS_IAM', 'OPENID_CONNECT'], rest: { apiKey: true, oauthScope: READ_SCOPE } },
  prod: { graphql: ['AWS_IAM', 'OPENID_CONNECT'], rest: { apiKey: true, oauthScope: READ_SCOPE } },
};
