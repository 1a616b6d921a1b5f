/**
 * `scoredrive token --client ID [--scope S]`: an access token for one of the offline server's
 * machine clients, as its token endpoint would issue it (same key, same claims), made from the
 * data directory's files with no server running and no network. Nothing is created: a client or
 * key of the CLI's own would be unknown to the server.
 */
import { findClient, grantScopes, resolveMachineClients } from '../auth/oauth/clients';
import { normalizeIssuer, offlineIssuer } from '../auth/oauth/discovery';
import { resolveSigningKey } from '../auth/oauth/signing-key';
import { issueAccessToken } from '../auth/oauth/tokens';

export interface TokenCommandOptions {
  /** The client's id, or its contract name (`systems`). */
  readonly client: string;
  /** Space-separated scopes; all the client's when absent. */
  readonly scope?: string;
  readonly dataDir: string;
  /** The server's issuer. @default http://localhost:$PORT (4000) */
  readonly issuer?: string;
}

/** A problem with what was asked, named for the user (never a secret in it). */
export class TokenCommandError extends Error {}

/** The default issuer: the offline server's on this machine, on PORT as `serve` reads it. */
export function defaultIssuer(env: NodeJS.ProcessEnv = process.env): string {
  const port = Number(env.PORT);
  return offlineIssuer(Number.isInteger(port) && port > 0 && port <= 65_535 ? port : 4000);
}

/** The access token (the JWT alone, for `$(scoredrive token …)`). */
export async function tokenCommand(options: TokenCommandOptions): Promise<string> {
  let issuer: string;
  try {
    issuer = normalizeIssuer(options.issuer ?? defaultIssuer());
  } catch (error) {
    throw new TokenCommandError((error as Error).message);
  }
  const [clients, key] = await Promise.all([
    resolveMachineClients(options.dataDir, { create: false }),
    resolveSigningKey(options.dataDir, { create: false }),
  ]).catch((error: unknown) => {
    throw new TokenCommandError((error as Error).message);
  });
  const client = findClient(clients, options.client);
  if (!client) {
    const known = clients.map((c) => `${c.name} (${c.clientId})`).join(', ') || 'none';
    throw new TokenCommandError(
      `unknown client ${JSON.stringify(options.client)}; the data directory's clients: ${known}`,
    );
  }
  const scopes = grantScopes(client, options.scope);
  if (!Array.isArray(scopes)) {
    const allowed = client.scopes.join(' ') || 'none';
    const refused = scopes.notAllowed.length > 0 ? `scope not allowed: ${scopes.notAllowed.join(' ')}` : 'no scope';
    throw new TokenCommandError(`${refused} for client ${client.name} (${client.clientId}); allowed: ${allowed}`);
  }
  const issued = await issueAccessToken({ key, issuer, clientId: client.clientId, scopes });
  return issued.accessToken;
}
