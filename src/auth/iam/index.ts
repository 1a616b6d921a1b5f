/** AWS_IAM authorization for the offline GraphQL API: its keys, the SigV4 check, AppSync's identity and refusals. */
export {
  generateIamCredential,
  IAM_CREDENTIALS_ENV,
  IAM_CREDENTIALS_FILE,
  IAM_PROFILE,
  type IamCredential,
  IamCredentialsError,
  parseIamCredentialsEnv,
  type ResolvedIamCredentials,
  resolveIamCredentials,
} from './credentials';
export {
  type AppSyncIamIdentity,
  OFFLINE_ACCOUNT_ID,
  OFFLINE_USER_ID,
  OFFLINE_USER_NAME,
  offlineIamIdentity,
} from './identity';
export {
  type AppSyncIamRefusal,
  MISSING_AUTHENTICATION_TOKEN,
  SIGNATURE_MISMATCH,
  UNRECOGNIZED_CLIENT,
} from './refusals';
export {
  APPSYNC_MAX_SKEW_MS,
  APPSYNC_SIGNING_SERVICE,
  type AppSyncIamAuthenticated,
  type AppSyncIamOptions,
  type AppSyncIamRequest,
  type AppSyncIamVerdict,
  type AppSyncIamVerifier,
  createAppSyncIamVerifier,
  offersSigV4,
  verifyAppSyncIamRequest,
} from './verify';
