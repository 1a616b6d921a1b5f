/** The offline OAuth 2.0 / OIDC authorization server standing in for the stage's Cognito user pool. */
export {
  CLIENTS_FILE,
  type MachineClient,
  type MachineClientSummary,
  resolveMachineClients,
  summarizeClients,
} from './clients';
export { normalizeIssuer, type OpenIdConfiguration, offlineIssuer } from './discovery';
export { oauthRoutes } from './routes';
export {
  createOfflineAuthorizationServer,
  type OfflineAuthorizationServer,
  type OfflineAuthorizationServerOptions,
} from './server';
export { resolveSigningKey, SIGNING_KEY_FILE } from './signing-key';
export { answerTokenRequest, type TokenAnswer, type TokenErrorCode, type TokenRequest } from './token-endpoint';
export { ACCESS_TOKEN_VALIDITY_SECONDS, type AccessTokenClaims, issueAccessToken } from './tokens';
export {
  type AccessTokenVerifier,
  bearerToken,
  createAccessTokenVerifier,
  hasScopes,
  type LocalVerifierOptions,
  type Verification,
  type VerificationFailureReason,
  type VerifiedAccessToken,
  type VerifierOptions,
} from './verify';
