/** The loader's memory figures: anonymous memory is seen when it grows, and stays within max RSS. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchMemory } from '../../src/load/memory-watch';

describe.runIf(existsSync('/proc/self/status'))('watchMemory', () => {
  it('keeps a 64 MB allocation in the anonymous peak, sampled while it was held', async () => {
    const watch = watchMemory(10);
    try {
      const before = watch.peak().peakAnonymousMb as number;
      let block: Buffer | undefined = Buffer.alloc(64 * 1024 * 1024, 1);
      // The 10 ms sampler (not peak() itself) must see it: it is gone by the time peak() is asked.
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(block[block.length - 1]).toBe(1);
      block = undefined;
      (globalThis as { gc?: () => void }).gc?.();
      const after = watch.peak();
      expect(after.peakAnonymousMb).toBeGreaterThanOrEqual(before + 60);
      expect(after.maxRssMb).toBeGreaterThanOrEqual(after.peakAnonymousMb as number);
    } finally {
      watch.stop();
    }
  });
});
