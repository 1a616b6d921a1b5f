/**
 * `ctx.identity` for a request AppSync authorized with AWS_IAM, as the developer guide's resolver
 * context reference documents it ("Identity", the AWS_IAM form: accountId, cognitoIdentityPoolId,
 * cognitoIdentityId, sourceIp, username, userArn, cognitoIdentityAuthType,
 * cognitoIdentityAuthProvider; the same fields and TSDoc as `AppSyncIdentityIAM` in
 * @aws-appsync/utils). The cognito* fields describe credentials vended by a Cognito identity
 * pool; for an IAM user's own keys they are null, as Powertools' AppSync event schema types them
 * (`null | string`).
 *
 * Offline, every key belongs to one IAM user, `scoredrive`, of one account (000000000000 unless
 * configured): userArn `arn:aws:iam::<account>:user/scoredrive`. `username` is, per the guide,
 * "the AWS user principal": for an IAM user that is its unique id (AIDA and 17 characters),
 * here a fixed, readable one. `sourceIp` follows the rule every mode shares
 * (src/server/authorization/identity.ts).
 */

/** AppSync's AWS_IAM identity (a type, not an interface: it is a ctx.identity record). */
export type AppSyncIamIdentity = {
  readonly accountId: string;
  readonly cognitoIdentityPoolId: string | null;
  readonly cognitoIdentityId: string | null;
  /** The x-forwarded-for addresses, if any, then the TCP peer's. */
  readonly sourceIp: readonly string[];
  readonly username: string;
  readonly userArn: string;
  readonly cognitoIdentityAuthType: string | null;
  readonly cognitoIdentityAuthProvider: string | null;
};

/** The account ctx.identity names offline unless another is configured (AWS's placeholder form, 12 digits). */
export const OFFLINE_ACCOUNT_ID = '000000000000';
/** The IAM user every offline key belongs to. */
export const OFFLINE_USER_NAME = 'scoredrive';
/** Its principal id: shaped like an IAM user's unique id (AIDA + 17 upper-case characters). */
export const OFFLINE_USER_ID = 'AIDASCOREDRIVEOFFLINE';

/** The identity of a caller authorized with one of the offline keys. */
export function offlineIamIdentity(accountId: string, sourceIp: readonly string[]): AppSyncIamIdentity {
  return {
    accountId,
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp,
    username: OFFLINE_USER_ID,
    userArn: `arn:aws:iam::${accountId}:user/${OFFLINE_USER_NAME}`,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
}
