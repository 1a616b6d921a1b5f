/**
 * The key the offline authorization server signs access tokens with: an RSA key pair (2048 bits,
 * RS256, as a Cognito user pool's), generated on the first start and kept as a private JWK in
 * `<data-dir>/oauth-signing-key.json` (0600), so tokens issued before a restart still verify
 * after it, and `scoredrive token` signs with the key the server publishes.
 */
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { readPrivateFile, writePrivateFile } from '../../store/private-files';

export const SIGNING_KEY_FILE = 'oauth-signing-key.json';
export const SIGNING_ALGORITHM = 'RS256';

/** A public key as a JWKS lists it: the members Cognito's jwks.json has, in its order. */
export interface PublicSigningJwk {
  readonly alg: typeof SIGNING_ALGORITHM;
  readonly e: string;
  readonly kid: string;
  readonly kty: 'RSA';
  readonly n: string;
  readonly use: 'sig';
}

/** An imported private key, as jose gives it (a WebCrypto key in Node). */
export type PrivateSigningKey = Awaited<ReturnType<typeof importJWK>>;

export interface SigningKey {
  /** The key id, in every token's header and in the JWKS: the key's JWK thumbprint (RFC 7638). */
  readonly kid: string;
  readonly privateKey: PrivateSigningKey;
  readonly publicJwk: PublicSigningJwk;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function isPrivateRsaJwk(value: unknown): value is JWK & { n: string; e: string; kid: string } {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === 'RSA' &&
    jwk.alg === SIGNING_ALGORITHM &&
    typeof jwk.kid === 'string' &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    PRIVATE_MEMBERS.every((member) => typeof jwk[member] === 'string')
  );
}

async function fromJwk(jwk: JWK & { n: string; e: string; kid: string }): Promise<SigningKey> {
  const privateKey = await importJWK(jwk, SIGNING_ALGORITHM);
  return {
    kid: jwk.kid,
    privateKey,
    publicJwk: { alg: SIGNING_ALGORITHM, e: jwk.e, kid: jwk.kid, kty: 'RSA', n: jwk.n, use: 'sig' },
  };
}

/** The file's key; undefined when the file holds no usable key (never its content in an error). */
async function parseKey(text: string): Promise<SigningKey | undefined> {
  try {
    const jwk: unknown = JSON.parse(text);
    return isPrivateRsaJwk(jwk) ? await fromJwk(jwk) : undefined;
  } catch {
    return undefined;
  }
}

async function newPrivateJwk(): Promise<JWK & { n: string; e: string; kid: string }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, alg: SIGNING_ALGORITHM, use: 'sig', kid } as JWK & { n: string; e: string; kid: string };
}

/**
 * The data directory's signing key, generated on first use. A file without a usable key is
 * replaced, with a warning (tokens it signed stop verifying). With `create: false` (the CLI) a
 * missing or unusable file is an error naming the file: a token signed with a key of the CLI's
 * own would verify nowhere.
 */
export async function resolveSigningKey(dataDir: string, options: { create?: boolean } = {}): Promise<SigningKey> {
  const create = options.create ?? true;
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  for (;;) {
    const text = await readPrivateFile(file);
    const stored = text === undefined ? undefined : await parseKey(text);
    if (stored) return stored;
    if (!create) {
      throw new Error(
        `${text === undefined ? 'no' : 'unusable'} signing key at ${file}: is this the data directory the server ran with?`,
      );
    }
    if (text !== undefined) {
      process.emitWarning(`${file} holds no usable RS256 key; replaced by a new one`, {
        code: 'SCOREDRIVE_OAUTH_SIGNING_KEY',
      });
    }
    const jwk = await newPrivateJwk();
    // Created exclusively: of two servers starting at once, one writes and the other reads its key.
    if (await writePrivateFile(file, `${JSON.stringify(jwk)}\n`, { replace: text !== undefined })) {
      return fromJwk(jwk);
    }
  }
}
