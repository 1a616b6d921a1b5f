/**
 * The credential the embedded store's TCP listener (off unless asked for) demands: an access
 * key and secret generated on first use and kept in `<data-dir>/store-credentials`, 0600, in
 * the AWS shared credentials file format, so any DynamoDB tool can use it:
 *
 *   AWS_SHARED_CREDENTIALS_FILE=.scoredrive/store-credentials AWS_PROFILE=scoredrive-store \
 *     aws dynamodb list-tables --endpoint-url <the store's endpoint>
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AwsCredentialIdentity } from '@smithy/types';
import { readPrivateFile, writePrivateFile } from './private-files';

export const STORE_CREDENTIALS_FILE = 'store-credentials';
export const STORE_PROFILE = 'scoredrive-store';

export interface StoreCredentials extends AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 20 characters like an AWS access key id (`SD` and 18 random base32 ones), and a 40-character secret. */
function generateCredentials(): StoreCredentials {
  const id = [...randomBytes(18)].map((b) => BASE32[b % 32]).join('');
  return { accessKeyId: `SD${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

function format(credentials: StoreCredentials): string {
  return [
    '# The embedded store accepts TCP requests only when signed (SigV4) with this key.',
    `[${STORE_PROFILE}]`,
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    '',
  ].join('\n');
}

/** The `[scoredrive-store]` profile's key pair; undefined when the text has none. */
export function parseStoreCredentials(text: string): StoreCredentials | undefined {
  let section: string | undefined;
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && section === STORE_PROFILE) values[pair[1].toLowerCase()] = pair[2];
  }
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** The data directory's store credentials, generated on first use. */
export async function resolveStoreCredentials(dataDir: string): Promise<StoreCredentials> {
  const file = path.join(dataDir, STORE_CREDENTIALS_FILE);
  const stored = await readPrivateFile(file);
  const parsed = stored === undefined ? undefined : parseStoreCredentials(stored);
  if (parsed) return parsed;
  const fresh = generateCredentials();
  // A file without the profile is replaced; a missing one is created unless another start won the race.
  if (await writePrivateFile(file, format(fresh), { replace: stored !== undefined })) return fresh;
  const winner = parseStoreCredentials((await readPrivateFile(file)) ?? '');
  if (!winner) throw new Error(`${file} has no [${STORE_PROFILE}] profile`);
  return winner;
}
