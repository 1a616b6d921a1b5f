import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiKeys, resolveApiKeys, resolvePaginationKey } from '../../src/server/api-keys';
import { tempDir } from '../helpers/service';

describe('API keys', () => {
  it('reads SCOREDRIVE_API_KEY as a comma-separated list, ignoring blanks', () => {
    expect(parseApiKeys(' key-one, ,key-two,')).toEqual(['key-one', 'key-two']);
    expect(parseApiKeys(undefined)).toEqual([]);
  });

  it('prefers configured keys over the data directory', async () => {
    const { dir, remove } = await tempDir();
    expect(await resolveApiKeys('a,b', dir)).toEqual(['a', 'b']);
    await remove();
  });

  it('generates an AppSync-shaped key on first start, readable by its owner only, and keeps it', async () => {
    const { dir, remove } = await tempDir();
    const [first] = await resolveApiKeys(undefined, dir);
    expect(first).toMatch(/^da2-[a-z2-7]{26}$/);
    expect((await stat(path.join(dir, 'api-key'))).mode & 0o777).toBe(0o600);
    expect(await resolveApiKeys('', dir)).toEqual([first]);
    await remove();
  });

  it('keeps one 32-byte pagination key per data directory, so nextToken values survive a restart', async () => {
    const { dir, remove } = await tempDir();
    const key = await resolvePaginationKey(dir);
    expect(key).toHaveLength(32);
    expect((await stat(path.join(dir, 'pagination-key'))).mode & 0o777).toBe(0o600);
    expect((await resolvePaginationKey(dir)).equals(key)).toBe(true);
    await remove();
  });
});
