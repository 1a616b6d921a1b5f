/** The loader's memory figures: anonymous memory is seen when it grows, and stays within max RSS. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchMemory } from '../../src/load/memory-watch';

describe.runIf(existsSync('/proc/self/status'))('watchMemory', () => {
  it('sees a 64 MB allocation in the anonymous peak, after the memory is freed again', async () => {
    const watch = watchMemory(10);
    try {
      const before = watch.peak().peakAnonymousMb as number;
      let block: Buffer | undefined = Buffer.alloc(64 * 1024 * 1024, 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(block[block.length - 1]).toBe(1);
      block = undefined;
      const after = watch.peak();
      expect(after.peakAnonymousMb).toBeGreaterThanOrEqual(before + 60);
      expect(after.maxRssMb).toBeGreaterThanOrEqual(after.peakAnonymousMb as number);
    } finally {
      watch.stop();
    }
  });
});
