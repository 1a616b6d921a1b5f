/**
 * The offline API's IAM keys: SCOREDRIVE_IAM_CREDENTIALS's, or one generated on first start into
 * `<data-dir>/iam-credentials` (0600, the AWS shared credentials file format, profile
 * `[scoredrive]`), which the AWS SDK's own credential provider reads back.
 */
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IAM_CREDENTIALS_FILE,
  IamCredentialsError,
  parseIamCredentialsEnv,
  resolveIamCredentials,
} from '../../src/auth/iam';

const mode = async (file: string) => (await stat(file)).mode & 0o777;

let dataDir: string;
let file: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'scoredrive-iam-'));
  file = path.join(dataDir, IAM_CREDENTIALS_FILE);
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('resolveIamCredentials, without SCOREDRIVE_IAM_CREDENTIALS', () => {
  it('generates a key on first start: an AKIA-style id, a 40-character secret, in <data-dir>/iam-credentials, 0600', async () => {
    const resolved = await resolveIamCredentials(dataDir);
    expect(resolved.source).toEqual({ kind: 'file', file, created: true });
    expect(resolved.credentials).toHaveLength(1);
    const [key] = resolved.credentials;
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(await mode(file)).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\[scoredrive\]$/m);
    expect(text).toContain(`aws_access_key_id = ${key.accessKeyId}\n`);
    expect(text).toContain(`aws_secret_access_key = ${key.secretAccessKey}\n`);
  });

  it("writes a file the AWS SDK's credential provider reads as the [scoredrive] profile", async () => {
    const { credentials } = await resolveIamCredentials(dataDir);
    // The SDK's default chain, as any AWS client runs it given AWS_PROFILE and AWS_SHARED_CREDENTIALS_FILE.
    const provider = defaultProvider({
      profile: 'scoredrive',
      filepath: file,
      configFilepath: file,
      ignoreCache: true,
    });
    expect(await provider()).toMatchObject(credentials[0]);
  });

  it('reuses the key on later starts, and two keys are never alike', async () => {
    const first = await resolveIamCredentials(dataDir);
    const again = await resolveIamCredentials(dataDir);
    expect(again).toEqual({ credentials: first.credentials, source: { kind: 'file', file, created: false } });

    const elsewhere = await mkdtemp(path.join(tmpdir(), 'scoredrive-iam-'));
    try {
      const other = await resolveIamCredentials(elsewhere);
      expect(other.credentials[0].accessKeyId).not.toBe(first.credentials[0].accessKeyId);
      expect(other.credentials[0].secretAccessKey).not.toBe(first.credentials[0].secretAccessKey);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('gives concurrent first starts one key', async () => {
    const starts = await Promise.all(Array.from({ length: 5 }, () => resolveIamCredentials(dataDir)));
    expect(new Set(starts.map(({ credentials }) => credentials[0].secretAccessKey)).size).toBe(1);
    expect(starts.filter(({ source }) => source.kind === 'file' && source.created)).toHaveLength(1);
  });

  it('takes a key someone wrote into the file, and makes a file others can read private again', async () => {
    const key = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    await writeFile(
      file,
      `[default]\naws_access_key_id = AKIAOTHERPROFILEXXXX\naws_secret_access_key = other\n\n` +
        `[scoredrive]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    await chmod(file, 0o644);
    const resolved = await resolveIamCredentials(dataDir);
    expect(resolved.credentials).toEqual([key]);
    expect(await mode(file)).toBe(0o600);
  });

  it('refuses a file without a usable [scoredrive] profile, naming it, and leaves it as it was', async () => {
    const text = '[scoredrive]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n';
    await writeFile(file, text, { mode: 0o600 });
    await expect(resolveIamCredentials(dataDir)).rejects.toThrow(
      new IamCredentialsError(
        `${file} has no [scoredrive] profile with aws_access_key_id and aws_secret_access_key: ` +
          'fix it, or delete it to have a new key generated',
      ),
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('SCOREDRIVE_IAM_CREDENTIALS', () => {
  it('wins over the data directory: its keys, and no file written', async () => {
    const resolved = await resolveIamCredentials(
      dataDir,
      'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, AKIAI44QH8DHBEXAMPLE:je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    );
    expect(resolved).toEqual({
      credentials: [
        { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' },
      ],
      source: { kind: 'env' },
    });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps a secret with a colon in it whole (only the first colon separates), and a repeated pair once', () => {
    expect(parseIamCredentialsEnv('AKIAIOSFODNN7EXAMPLE:a:b,AKIAIOSFODNN7EXAMPLE:a:b,')).toEqual([
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'a:b' },
    ]);
  });

  it('is a startup error when malformed, naming the entry and the problem but never a secret', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    for (const [value, problem] of [
      [` , `, 'SCOREDRIVE_IAM_CREDENTIALS gives no key'],
      [secret, "SCOREDRIVE_IAM_CREDENTIALS entry 1 of 1 is not ACCESS_KEY_ID:SECRET_ACCESS_KEY (no ':')"],
      [
        `${secret}:AKIAIOSFODNN7EXAMPLE`,
        "SCOREDRIVE_IAM_CREDENTIALS entry 1 of 1: the access key id must be 16 to 128 letters, digits or '_'",
      ],
      [
        `AKIAIOSFODNN7EXAMPLE:${secret},AKIAI44QH8DHBEXAMPLE:`,
        'SCOREDRIVE_IAM_CREDENTIALS entry 2 of 2: the secret access key is empty or contains white space',
      ],
      [
        `AKIAIOSFODNN7EXAMPLE:${secret} x`,
        'SCOREDRIVE_IAM_CREDENTIALS entry 1 of 1: the secret access key is empty or contains white space',
      ],
      [
        `AKIAIOSFODNN7EXAMPLE:${secret},AKIAIOSFODNN7EXAMPLE:${secret}2`,
        'SCOREDRIVE_IAM_CREDENTIALS entry 2 of 2: its access key id is given earlier with another secret',
      ],
    ]) {
      const refused = resolveIamCredentials(dataDir, value);
      await expect(refused).rejects.toThrow(new IamCredentialsError(problem));
      await expect(refused).rejects.toBeInstanceOf(IamCredentialsError);
      const message = await refused.catch((error: Error) => error.message);
      expect(message).not.toContain(secret);
    }
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
