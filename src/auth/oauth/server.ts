/**
 * The offline authorization server, standing in for the stage's Cognito user pool: the machine
 * clients of the contract, the key that signs their access tokens, the token endpoint, the
 * discovery document and the key set. Mounted on the offline server by `oauthRoutes`
 * (routes.ts); everything it keeps is in the data directory (clients.ts, signing-key.ts).
 */
import { ensurePrivateDir } from '../../store/private-files';
import { type MachineClient, type MachineClientSummary, resolveMachineClients, summarizeClients } from './clients';
import { issuerGetter, normalizeIssuer, type OpenIdConfiguration, openIdConfiguration } from './discovery';
import { type PublicSigningJwk, resolveSigningKey, type SigningKey } from './signing-key';
import { answerTokenRequest, type TokenAnswer, type TokenRequest } from './token-endpoint';
import { type AccessTokenVerifier, createAccessTokenVerifier, type LocalVerifierOptions } from './verify';

export interface OfflineAuthorizationServerOptions {
  /** The data directory (made 0700 if it is not); the clients and the signing key are kept there. */
  readonly dataDir: string;
  /**
   * The issuer: the server's origin, e.g. `http://localhost:4000` (see `offlineIssuer`). A
   * function when it is known only once the server listens (port 0); it is read on every
   * request, and must not change once tokens are out.
   */
  readonly issuer: string | (() => string);
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
}

export interface OfflineAuthorizationServer {
  /** The issuer, `iss` of every token and the base of the discovery URLs. */
  readonly issuer: string;
  readonly dataDir: string;
  /** The machine clients, secrets included: never log them (use `clientSummary`). */
  readonly clients: readonly MachineClient[];
  readonly signingKey: SigningKey;
  /** What the start banner may print: the clients' names, ids and scopes, and the file that holds their secrets. */
  clientSummary(): { file: string; clients: MachineClientSummary[] };
  /** `POST /oauth2/token`. */
  token(request: TokenRequest): Promise<TokenAnswer>;
  /** `GET /.well-known/openid-configuration`. */
  discovery(): OpenIdConfiguration;
  /** `GET /.well-known/jwks.json`. */
  jwks(): { keys: PublicSigningJwk[] };
  /** A verifier of this server's tokens against its own key set (no network). */
  verifier(options?: LocalVerifierOptions): AccessTokenVerifier;
}

/** The server's issuer: an origin, since its discovery routes are at the root. */
function originIssuer(issuer: string): string {
  const normalized = normalizeIssuer(issuer);
  if (new URL(normalized).pathname !== '/') {
    throw new Error(
      `the offline OAuth issuer is the server's origin (e.g. http://localhost:4000), not ${JSON.stringify(issuer)}`,
    );
  }
  return normalized;
}

/** Reads (or, on the first start, makes) the clients and the signing key, and answers with them. */
export async function createOfflineAuthorizationServer(
  options: OfflineAuthorizationServerOptions,
): Promise<OfflineAuthorizationServer> {
  await ensurePrivateDir(options.dataDir);
  const [signingKey, clients] = await Promise.all([
    resolveSigningKey(options.dataDir),
    resolveMachineClients(options.dataDir),
  ]);
  const currentIssuer = issuerGetter(options.issuer, originIssuer);
  const keys = [signingKey.publicJwk];
  return {
    get issuer() {
      return currentIssuer();
    },
    dataDir: options.dataDir,
    clients,
    signingKey,
    clientSummary: () => summarizeClients(options.dataDir, clients),
    token: (request) =>
      answerTokenRequest(request, { clients, key: signingKey, issuer: currentIssuer(), now: options.now }),
    discovery: () => openIdConfiguration(currentIssuer()),
    jwks: () => ({ keys: [...keys] }),
    verifier: (verifierOptions = {}) =>
      createAccessTokenVerifier({
        now: options.now,
        ...verifierOptions,
        issuer: currentIssuer,
        jwks: { keys },
      }),
  };
}
