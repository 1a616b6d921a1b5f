/**
 * Secrets the offline server keeps in its data directory: the API key (unless SCOREDRIVE_API_KEY
 * gives keys), the key that seals pagination tokens and the key that hashes driverIds in logs.
 * The files are readable by their owner only (0600), and written atomically: created once, a
 * racing start reads the key the other wrote instead of keeping one of its own.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { readPrivateFile, writePrivateFile } from '../store/private-files';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A key shaped like AppSync's (`da2-` and 26 lower-case base32 characters). */
export function generateApiKey(): string {
  const bytes = randomBytes(26);
  return `da2-${[...bytes].map((b) => BASE32[b % 32]).join('')}`;
}

/** Parses a comma-separated key list; blanks are ignored. */
export function parseApiKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/** The configured keys, or the data directory's key (created on first start, readable by its owner only). */
export async function resolveApiKeys(configured: string | undefined, dataDir: string): Promise<string[]> {
  const keys = parseApiKeys(configured);
  if (keys.length > 0) return keys;
  const file = path.join(dataDir, 'api-key');
  const stored = (await readPrivateFile(file))?.trim();
  if (stored) return [stored];
  const key = generateApiKey();
  if (await writePrivateFile(file, `${key}\n`, { replace: stored !== undefined })) return [key];
  return resolveApiKeys(undefined, dataDir);
}

/** The 32-byte key sealing nextToken values, so tokens stay valid across restarts. */
export const resolvePaginationKey = (dataDir: string) => resolveSecretKey(dataDir, 'pagination-key');

/**
 * The per-deployment key of the driverId hashes in the access log: SCOREDRIVE_LOG_HASH_KEY (base64,
 * 32 bytes or more) when set, so several servers of one deployment hash alike; else the data
 * directory's. Stable across restarts, so one person's calls can be found over a month of logs.
 */
export async function resolveLogHashKey(
  dataDir: string,
  configured?: string,
  options: { create: boolean } = { create: true },
): Promise<Buffer> {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length < 32) throw new Error('SCOREDRIVE_LOG_HASH_KEY must be at least 32 bytes, base64-encoded');
    return key;
  }
  return resolveSecretKey(dataDir, 'log-hash-key', options.create);
}

/** A random 32-byte key kept (base64) in `<dataDir>/<name>`, created on first use when `create`. */
async function resolveSecretKey(dataDir: string, name: string, create = true): Promise<Buffer> {
  const file = path.join(dataDir, name);
  const stored = await readPrivateFile(file);
  if (stored !== undefined) {
    const key = Buffer.from(stored.trim(), 'base64');
    if (key.length === 32) return key;
  }
  if (!create) throw new Error(`no key at ${file}: is this the data directory the server ran with?`);
  const key = randomBytes(32);
  if (await writePrivateFile(file, `${key.toString('base64')}\n`, { replace: stored !== undefined })) return key;
  return resolveSecretKey(dataDir, name, create);
}

/** Whether a candidate is one of `keys`, compared in constant time so timing does not tell how much matched. */
export function apiKeyMatcher(keys: readonly string[]): (candidate: string) => boolean {
  const accepted = keys.map((key) => Buffer.from(key));
  return (candidate) => {
    const given = Buffer.from(candidate);
    return accepted.some((key) => key.length === given.length && timingSafeEqual(key, given));
  };
}
