/** `scoredrive serve --http-endpoint <name=url>` as a user mistypes it: a usage error before anything starts. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { tempDir } from '../helpers/service';

const BIN = path.join(PROJECT_ROOT, 'bin/scoredrive.js');

describe('scoredrive serve --http-endpoint', () => {
  it('exits 1 naming a data source the catalogue has no HTTP entry for, creating no data directory', async () => {
    const { dir, remove } = await tempDir();
    const dataDir = path.join(dir, 'data');
    const run = spawnSync(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--http-endpoint', 'weather=http://127.0.0.1:1'],
      { encoding: 'utf8', env: { ...process.env, SCOREDRIVE_API_KEY: '' }, timeout: 30_000 },
    );
    await remove();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'error: --http-endpoint: HTTP endpoint for "weather": no HTTP data source has that name',
    );
    expect(existsSync(dataDir)).toBe(false);
  });
});
