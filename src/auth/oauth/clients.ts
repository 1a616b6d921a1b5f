/**
 * The machine clients of the offline authorization server: one app client per entry of the
 * contract's MACHINE_CLIENTS, each with an id and a generated secret, as the stage's Cognito user
 * pool has them. Ids and secrets are kept in `<data-dir>/oauth-clients.json` (0600), made on the
 * first start and reused after, so a system configured once keeps working across restarts.
 *
 * The contract decides which clients exist and what each may ask for; the file only remembers
 * their credentials. An entry is matched to its contract client by `name`: a client the contract
 * drops loses its entry (its secret stops working), one it adds gets a new id and secret, and a
 * changed scope list is taken from the contract.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { MACHINE_CLIENTS } from '../../contract/auth-modes';
import { readPrivateFile, writePrivateFile } from '../../store/private-files';

export const CLIENTS_FILE = 'oauth-clients.json';

/** A machine client as the file keeps it. */
export interface MachineClient {
  /** The contract's name for it (MACHINE_CLIENTS[].name). */
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The scopes it may be granted, `<resource server>/<scope>`. */
  readonly scopes: readonly string[];
}

/** What may be shown of a client: never its secret. */
export interface MachineClientSummary {
  readonly name: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

/** The contract's clients: a name and the scopes it may be granted. */
export type ClientDefinitions = readonly { readonly name: string; readonly scopes: readonly string[] }[];

const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Uniformly random characters of `alphabet` (randomInt rejects biased draws). */
function randomString(length: number, alphabet = LOWER_ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** An id shaped like a Cognito app client's: 26 lower-case letters and digits. */
export const generateClientId = () => randomString(26);

/** A secret shaped like a Cognito app client's: 52 lower-case letters and digits (about 268 bits). */
export const generateClientSecret = () => randomString(52);

function isClient(value: unknown): value is MachineClient {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.name === 'string' &&
    typeof entry.clientId === 'string' &&
    /^[\w-]{1,128}$/.test(entry.clientId) &&
    typeof entry.clientSecret === 'string' &&
    entry.clientSecret.length >= 16 &&
    Array.isArray(entry.scopes) &&
    entry.scopes.every((scope) => typeof scope === 'string')
  );
}

/** The file's clients; undefined when the file is not a list of clients (never its content in the error). */
function parseClients(text: string): MachineClient[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) && parsed.every(isClient) ? parsed : undefined;
}

/** The stored clients brought in line with the contract: ids and secrets kept by name, scopes from the contract. */
function reconcile(stored: readonly MachineClient[], definitions: ClientDefinitions): MachineClient[] {
  return definitions.map((definition) => {
    const existing = stored.find((client) => client.name === definition.name);
    return {
      name: definition.name,
      clientId: existing?.clientId ?? generateClientId(),
      clientSecret: existing?.clientSecret ?? generateClientSecret(),
      scopes: [...definition.scopes],
    };
  });
}

const serialize = (clients: readonly MachineClient[]) => `${JSON.stringify(clients, null, 2)}\n`;

export interface ResolveClientsOptions {
  /** Make the file (or bring it in line with the contract) when needed; false only reads. @default true */
  readonly create?: boolean;
  /** The clients to have. @default MACHINE_CLIENTS */
  readonly definitions?: ClientDefinitions;
}

/**
 * The data directory's machine clients, created on first use. With `create: false` (the CLI) a
 * missing or unreadable file is an error naming the file: credentials made up by the CLI would
 * not be the ones a system was given.
 */
export async function resolveMachineClients(
  dataDir: string,
  options: ResolveClientsOptions = {},
): Promise<MachineClient[]> {
  const create = options.create ?? true;
  const definitions = options.definitions ?? MACHINE_CLIENTS;
  const file = path.join(dataDir, CLIENTS_FILE);
  for (;;) {
    const text = await readPrivateFile(file);
    const stored = text === undefined ? undefined : parseClients(text);
    if (!create) {
      if (stored === undefined) {
        throw new Error(
          `${text === undefined ? 'no' : 'unreadable'} OAuth clients at ${file}: is this the data directory the server ran with?`,
        );
      }
      return stored;
    }
    if (text !== undefined && stored === undefined) {
      process.emitWarning(`${file} does not hold a list of clients; replaced with new client ids and secrets`, {
        code: 'SCOREDRIVE_OAUTH_CLIENTS',
      });
    }
    const clients = reconcile(stored ?? [], definitions);
    const content = serialize(clients);
    if (text === content) return clients;
    // Created exclusively: of two servers starting at once, one writes and the other reads its clients.
    if (await writePrivateFile(file, content, { replace: text !== undefined })) return clients;
  }
}

/** Ids, names and scopes, for the start banner; the file path may be shown, never a secret. */
export function summarizeClients(
  dataDir: string,
  clients: readonly MachineClient[],
): { file: string; clients: MachineClientSummary[] } {
  return {
    file: path.join(dataDir, CLIENTS_FILE),
    clients: clients.map(({ name, clientId, scopes }) => ({ name, clientId, scopes: [...scopes] })),
  };
}

/** A fixed-length digest, so comparing secrets takes as long whatever their lengths. */
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
/** Compared against when the id is unknown, so an unknown id takes as long as a wrong secret. */
const UNKNOWN_CLIENT_DIGEST = digest(generateClientSecret());

/** The client whose id and secret these are; undefined for an unknown id or a wrong secret (constant time). */
export function authenticateClient(
  clients: readonly MachineClient[],
  clientId: string,
  clientSecret: string,
): MachineClient | undefined {
  const client = clients.find((candidate) => candidate.clientId === clientId);
  const expected = client ? digest(client.clientSecret) : UNKNOWN_CLIENT_DIGEST;
  const matches = timingSafeEqual(expected, digest(clientSecret));
  return client && matches ? client : undefined;
}

/** The client with this id, or this contract name (for the CLI's `--client systems`). */
export function findClient(clients: readonly MachineClient[], idOrName: string): MachineClient | undefined {
  return clients.find((client) => client.clientId === idOrName) ?? clients.find((client) => client.name === idOrName);
}

/** Why scopes cannot be granted. */
export type ScopeRefusal = { readonly refused: 'invalid_scope'; readonly notAllowed: readonly string[] };

/**
 * The scopes a token gets: the space-separated `requested` ones, each of which the client must be
 * allowed, or all the client's scopes when none are requested, as Cognito's token endpoint does
 * ("If the client doesn't request any scopes, the authentication server uses all custom scopes
 * associated with the client", token endpoint, `scope`). A scope the client is not allowed makes
 * the whole request fail with `invalid_scope`, and so does a client allowed no scope at all: the
 * page says such a scope "is ignored", but user pools answer client-credentials requests for one
 * with `{"error":"invalid_scope"}` (AWS re:Post, "OAUTH Password Grant Type with Cognito"), and
 * a token quietly narrower than asked for would fail later, further from the cause.
 */
export function grantScopes(client: MachineClient, requested: string | undefined): string[] | ScopeRefusal {
  const asked = [...new Set((requested ?? '').split(' ').filter((scope) => scope !== ''))];
  if (asked.length === 0) {
    return client.scopes.length > 0 ? [...client.scopes] : { refused: 'invalid_scope', notAllowed: [] };
  }
  const notAllowed = asked.filter((scope) => !client.scopes.includes(scope));
  return notAllowed.length > 0 ? { refused: 'invalid_scope', notAllowed } : asked;
}
