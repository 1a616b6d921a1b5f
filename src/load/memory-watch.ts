/**
 * The loader's memory as it matters: the embedded store's LevelDB memory-maps its table files, so
 * on a big store most of the process's RSS is file pages the kernel can drop at will (measured on
 * the 16M-record store: 1.88 GB file-backed, 0.32 GB anonymous). The peak of anonymous memory,
 * sampled from /proc on Linux, is what the load really holds; max RSS is kept alongside.
 */
import { readFileSync } from 'node:fs';

export interface MemoryPeak {
  /** Max RSS, file pages included (what `time -v` reports). */
  readonly maxRssMb: number;
  /** Highest anonymous RSS seen; undefined where /proc is not available. */
  readonly peakAnonymousMb?: number;
}

function anonymousRssKb(): number | undefined {
  try {
    const match = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples anonymous memory every `everyMs` until `stop()`; `peak()` says the peaks so far. */
export function watchMemory(everyMs = 500): { peak(): MemoryPeak; stop(): void } {
  let peakKb = anonymousRssKb();
  const sample = () => {
    const now = anonymousRssKb();
    if (now !== undefined) peakKb = Math.max(peakKb ?? 0, now);
  };
  const timer = setInterval(sample, everyMs).unref();
  return {
    stop: () => clearInterval(timer),
    peak() {
      sample();
      return {
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        peakAnonymousMb: peakKb === undefined ? undefined : Math.round(peakKb / 1024),
      };
    },
  };
}
