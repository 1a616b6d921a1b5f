/**
 * The access keys the offline GraphQL API takes SigV4-signed (AWS_IAM) requests with: those
 * SCOREDRIVE_IAM_CREDENTIALS gives (`AKID:SECRET[,AKID:SECRET…]`), or else one generated on first
 * start and kept in `<data-dir>/iam-credentials`, 0600, in the AWS shared credentials file format,
 * so any AWS SDK or tool signs with it as it would with a real key:
 *
 *   AWS_SHARED_CREDENTIALS_FILE=.scoredrive/iam-credentials AWS_PROFILE=scoredrive <client>
 *
 * The file is read with the AWS SDK's own parser (@smithy/core's loadSharedConfigFiles), so what
 * ScoreDrive takes from it is what an SDK would. No error message ever shows a secret.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { readPrivateFile, writePrivateFile } from '../../store/private-files';

export const IAM_CREDENTIALS_FILE = 'iam-credentials';
export const IAM_PROFILE = 'scoredrive';
export const IAM_CREDENTIALS_ENV = 'SCOREDRIVE_IAM_CREDENTIALS';

export interface IamCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ResolvedIamCredentials {
  readonly credentials: readonly IamCredential[];
  /** The environment's keys, or the data directory's file (`created` when this call wrote it). */
  readonly source:
    | { readonly kind: 'env' }
    | { readonly kind: 'file'; readonly file: string; readonly created: boolean };
}

/** A configuration problem, worded for a startup error; it never contains a secret. */
export class IamCredentialsError extends Error {
  override readonly name = 'IamCredentialsError';
}

/** IAM's constraints on an access key id: 16 to 128 word characters (the AccessKeyId type). */
const ACCESS_KEY_ID = /^\w{16,128}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A key shaped like an IAM user's: `AKIA` and 16 upper-case base32 characters, a 40-character secret. */
export function generateIamCredential(): IamCredential {
  const id = [...randomBytes(16)].map((byte) => BASE32[byte % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/**
 * SCOREDRIVE_IAM_CREDENTIALS's keys: `AKID:SECRET` pairs, comma-separated. An entry is named by
 * its position only, so a secret pasted in the wrong place is never echoed back.
 */
export function parseIamCredentialsEnv(value: string): IamCredential[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new IamCredentialsError(`${IAM_CREDENTIALS_ENV} gives no key`);
  const credentials: IamCredential[] = [];
  const secrets = new Map<string, string>();
  entries.forEach((entry, index) => {
    const where = `${IAM_CREDENTIALS_ENV} entry ${index + 1} of ${entries.length}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new IamCredentialsError(`${where} is not ACCESS_KEY_ID:SECRET_ACCESS_KEY (no ':')`);
    const accessKeyId = entry.slice(0, colon);
    const secretAccessKey = entry.slice(colon + 1);
    if (!ACCESS_KEY_ID.test(accessKeyId)) {
      throw new IamCredentialsError(`${where}: the access key id must be 16 to 128 letters, digits or '_'`);
    }
    if (secretAccessKey === '' || /\s/.test(secretAccessKey)) {
      throw new IamCredentialsError(`${where}: the secret access key is empty or contains white space`);
    }
    const known = secrets.get(accessKeyId);
    if (known !== undefined && known !== secretAccessKey) {
      throw new IamCredentialsError(`${where}: its access key id is given earlier with another secret`);
    }
    if (known === undefined) credentials.push({ accessKeyId, secretAccessKey });
    secrets.set(accessKeyId, secretAccessKey);
  });
  return credentials;
}

function format(credential: IamCredential): string {
  return [
    "# ScoreDrive's offline GraphQL API takes requests signed (SigV4, service appsync) with this key:",
    `#   AWS_SHARED_CREDENTIALS_FILE=<this file> AWS_PROFILE=${IAM_PROFILE} <any AWS SDK or tool>`,
    `[${IAM_PROFILE}]`,
    `aws_access_key_id = ${credential.accessKeyId}`,
    `aws_secret_access_key = ${credential.secretAccessKey}`,
    '',
  ].join('\n');
}

/** The `[scoredrive]` profile's key in `file`, read as the AWS SDK reads a credentials file. */
async function readProfile(file: string): Promise<IamCredential | undefined> {
  const { credentialsFile } = await loadSharedConfigFiles({ filepath: file, configFilepath: file, ignoreCache: true });
  const profile = credentialsFile[IAM_PROFILE];
  const accessKeyId = profile?.aws_access_key_id;
  const secretAccessKey = profile?.aws_secret_access_key;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/**
 * The keys the API takes: SCOREDRIVE_IAM_CREDENTIALS's when it is set (`configured`; a malformed
 * value is an IamCredentialsError), else the data directory's, generated on first start. A file
 * without a usable `[scoredrive]` profile is an error rather than replaced: the key in it may be
 * one somebody put there, and a new one would lock out every client configured with it.
 */
export async function resolveIamCredentials(dataDir: string, configured?: string): Promise<ResolvedIamCredentials> {
  if (configured !== undefined && configured !== '') {
    return { credentials: parseIamCredentialsEnv(configured), source: { kind: 'env' } };
  }
  const file = path.join(dataDir, IAM_CREDENTIALS_FILE);
  let created = false;
  // Read through readPrivateFile first: it makes a file others can read private again, with a warning.
  if ((await readPrivateFile(file)) === undefined) {
    const fresh = generateIamCredential();
    created = await writePrivateFile(file, format(fresh));
    if (created) return { credentials: [fresh], source: { kind: 'file', file, created } };
    // Another start wrote it first: use theirs.
  }
  const stored = await readProfile(file);
  if (!stored) {
    throw new IamCredentialsError(
      `${file} has no [${IAM_PROFILE}] profile with aws_access_key_id and aws_secret_access_key: ` +
        `fix it, or delete it to have a new key generated`,
    );
  }
  if (!ACCESS_KEY_ID.test(stored.accessKeyId)) {
    throw new IamCredentialsError(`${file}: the access key id must be 16 to 128 letters, digits or '_'`);
  }
  return { credentials: [stored], source: { kind: 'file', file, created } };
}
