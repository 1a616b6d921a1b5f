/** A start that fails lets go of what it took: the data directory can be served again at once. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService } from '../../src/server/service';
import { TEST_API_KEY, tempDir } from '../helpers/service';

afterEach(() => {
  delete process.env.SCOREDRIVE_LOG_HASH_KEY;
});

describe('createService', () => {
  it('fails with a clear message on a bad hash key, and leaves the data directory free', async () => {
    const { dir, remove } = await tempDir();
    const config = {
      dataDir: dir,
      tableName: 'start-test-scores',
      apiKeys: TEST_API_KEY,
      demo: { drivers: 5, months: 1 },
    };
    try {
      process.env.SCOREDRIVE_LOG_HASH_KEY = Buffer.alloc(8).toString('base64');
      await expect(createService(config)).rejects.toThrow('SCOREDRIVE_LOG_HASH_KEY must be at least 32 bytes');
      delete process.env.SCOREDRIVE_LOG_HASH_KEY;
      // Keys are checked before the access log is opened: nothing was left open or half-made.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(existsSync(path.join(dir, 'logs', 'access.log'))).toBe(false);
      // The store (and its lock on the directory) was released: a second start succeeds.
      const service = await createService(config);
      await service.ready;
      expect(await service.recordCount()).toBe(5);
      await service.close();
    } finally {
      await remove();
    }
  });
});
