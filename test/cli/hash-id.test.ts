/** `scoredrive hash-id`: the hash the access log holds for a driverId, to find one person's calls. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverIdHasher } from '../../src/observability/driver-id-hash';
import { resolveLogHashKey } from '../../src/server/api-keys';
import { tempDir } from '../helpers/service';

const CLI = path.resolve(__dirname, '../../bin/scoredrive.js');
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, 'hash-id', ...args], {
    env: { ...process.env, SCOREDRIVE_LOG_HASH_KEY: '' },
  });

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ dir, remove } = await tempDir());
});
afterAll(async () => remove());

describe('scoredrive hash-id', () => {
  it("prints the data directory's hash of each id, as the access log writes it", async () => {
    // The key a server creates on its first start.
    const hash = driverIdHasher(await resolveLogHashKey(dir));
    const { stdout } = await run('RSSMRA85T10A562S', 'someone-else', '--data-dir', dir);
    expect(stdout).toBe(`${hash('RSSMRA85T10A562S')}\n${hash('someone-else')}\n`);
    expect(stdout).not.toContain('RSSMRA85T10A562S');
  });

  it('refuses a data directory without a key instead of hashing under a new one', async () => {
    const empty = path.join(dir, 'no-server-here');
    await expect(run('RSSMRA85T10A562S', '--data-dir', empty)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is this the data directory the server ran with?'),
    });
  });
});
