/**
 * Access tokens as a Cognito user pool issues them for a client-credentials grant: an RS256 JWT
 * whose header is `{ kid, alg }` and whose claims are, in Cognito's order, `sub` (the app client
 * id: there is no user), `token_use: "access"`, `scope` (space-separated), `auth_time`, `iss`,
 * `exp`, `iat`, `version: 2`, `jti` and `client_id`; no `aud`, which Cognito's access tokens do
 * not carry ("Understanding the access token", Amazon Cognito Developer Guide).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-key';

/** A user pool app client's default access token validity: one hour. */
export const ACCESS_TOKEN_VALIDITY_SECONDS = 3600;

/** The claims of a client-credentials access token. */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly token_use: 'access';
  readonly scope: string;
  readonly auth_time: number;
  readonly iss: string;
  readonly exp: number;
  readonly iat: number;
  readonly version: 2;
  readonly jti: string;
  readonly client_id: string;
}

export interface IssueInput {
  readonly key: SigningKey;
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Seconds the token is valid. @default ACCESS_TOKEN_VALIDITY_SECONDS */
  readonly validitySeconds?: number;
  /** The time of issue. @default now */
  readonly now?: Date;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly claims: AccessTokenClaims;
}

export async function issueAccessToken(input: IssueInput): Promise<IssuedToken> {
  const validity = input.validitySeconds ?? ACCESS_TOKEN_VALIDITY_SECONDS;
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: AccessTokenClaims = {
    sub: input.clientId,
    token_use: 'access',
    scope: input.scopes.join(' '),
    // The client authenticated as the token was asked for, so both times are the same.
    auth_time: issuedAt,
    iss: input.issuer,
    exp: issuedAt + validity,
    iat: issuedAt,
    version: 2,
    jti: randomUUID(),
    client_id: input.clientId,
  };
  const accessToken = await new SignJWT({ ...claims })
    .setProtectedHeader({ kid: input.key.kid, alg: SIGNING_ALGORITHM })
    .sign(input.key.privateKey);
  return { accessToken, expiresIn: validity, claims };
}
