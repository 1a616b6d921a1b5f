/**
 * The embedded store's worker exits when the store closes; LevelDB's native library must stay
 * mapped after it, or LevelDB's background thread, which outlives every database, runs into
 * unmapped code: the loader died of SIGSEGV (exit 139) after big imports. embedded-store.ts
 * holds the binding from the main thread; this checks the library is still in the process's
 * memory map after the worker is gone (Linux: /proc/self/maps).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedStore } from '../../src/store/embedded-store';
import { tempDir } from '../helpers/service';

const mappedLevelDb = () =>
  readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => /classic-level.*\.node$/.test(line)).length;

describe.runIf(existsSync('/proc/self/maps'))('LevelDB’s native library', () => {
  it('stays mapped after the store’s worker has exited', async () => {
    const { dir, remove } = await tempDir('scoredrive-binding-');
    try {
      const store = await startEmbeddedStore(path.join(dir, 'data'));
      expect(mappedLevelDb()).toBeGreaterThan(0);
      await store.close();
      // The worker is terminated by close(); give the loader's unmapping, if any, time to happen.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(mappedLevelDb()).toBeGreaterThan(0);
    } finally {
      await remove();
    }
  });
});
