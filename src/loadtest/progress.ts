/**
 * Progress while a run lasts: a bar on a terminal, otherwise a line every 10 s, each with the
 * requests so far, their rate, p99 and errors (on stderr, so stdout holds only the result).
 */
import cliProgress from 'cli-progress';
import { formatMs } from './units';

export interface ProgressFigures {
  readonly phase: 'warm-up' | 'measuring';
  /** Seconds into the phase, and the phase's length. */
  readonly elapsedSeconds: number;
  readonly totalSeconds: number;
  readonly count: number;
  readonly requestsPerSecond: number;
  readonly p99: number;
  readonly errors: number;
}

export interface ProgressReporter {
  update(figures: ProgressFigures): void;
  stop(): void;
}

/** Called about every second with the figures so far. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, lineEveryMs = 10_000): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{phase} [{bar}] {elapsed}/{total} s | {count} requests, {rate} req/s | p99 {p99} | errors {errors}',
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let phase = '';
    return {
      update(f) {
        const payload = {
          phase: f.phase.padEnd(9),
          elapsed: Math.floor(f.elapsedSeconds),
          count: f.count,
          rate: f.requestsPerSecond.toFixed(1),
          p99: formatMs(f.p99),
          errors: f.errors,
        };
        if (!started || phase !== f.phase) {
          if (started) bar.stop();
          bar.start(Math.round(f.totalSeconds), 0, payload);
          started = true;
          phase = f.phase;
        }
        bar.update(Math.min(Math.floor(f.elapsedSeconds), Math.round(f.totalSeconds)), payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let last = Date.now();
  return {
    update(f) {
      if (Date.now() - last < lineEveryMs) return;
      last = Date.now();
      stream.write(
        f.phase === 'warm-up'
          ? `${new Date().toISOString()} warm-up ${Math.floor(f.elapsedSeconds)}/${Math.round(f.totalSeconds)} s\n`
          : `${new Date().toISOString()} ${Math.floor(f.elapsedSeconds)}/${Math.round(f.totalSeconds)} s: ${f.count} requests, ${f.requestsPerSecond.toFixed(1)} req/s, p99 ${formatMs(f.p99)}, ${f.errors} errors\n`,
      );
    },
    stop: () => {},
  };
}
