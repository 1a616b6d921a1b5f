/**
 * The two ways of loading a server.
 *
 * Fixed rate (open loop): request i is due at start + i/rate whatever became of the earlier
 * ones, and its latency runs from when it was due, not from when it left. A server that stalls
 * for 500 ms thus shows ~500 ms on every request due during the stall, where a client that waits
 * for answers before sending (closed loop) would record one slow request and quietly send fewer:
 * coordinated omission. Outstanding requests are capped; a due request over the cap is not sent
 * and counts as an `overload` error.
 *
 * Max throughput (closed loop): N workers each send a request as soon as the previous one is
 * answered, so N are always in flight; latency runs from sending.
 *
 * Requests due during the warm-up are sent but not recorded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NO_ANSWER, type Outcome } from './check';

export type LoadMode =
  | { readonly kind: 'rate'; readonly perSecond: number; readonly maxInFlight: number }
  | { readonly kind: 'connections'; readonly connections: number };

export interface LoopPlan {
  readonly mode: LoadMode;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Ends the run early (Ctrl-C): nothing more is sent, what is in flight is awaited. */
  readonly signal?: AbortSignal;
}

/** Sends one request and judges the answer; must not reject. */
export type Execute = () => Promise<{ outcome: Outcome; driverId?: string }>;

/** Where measured requests go: `latencyMs` from when each was due (rate) or sent (connections). */
export type Recorder = (outcome: Outcome, latencyMs: number, driverId?: string) => void;

export interface LoopTiming {
  /** performance.now() at the start of the warm-up and of the measured window. */
  readonly startedAt: number;
  readonly measureFrom: number;
  /** When the last measured request was settled (or the window ended, if later). */
  readonly measureTo: number;
  readonly interrupted: boolean;
}

export async function runLoop(plan: LoopPlan, execute: Execute, record: Recorder): Promise<LoopTiming> {
  const startedAt = performance.now();
  const measureFrom = startedAt + plan.warmupMs;
  const windowEnd = measureFrom + plan.durationMs;
  let lastSettled = 0;
  const measuredRecord: Recorder = (outcome, latency, driverId) => {
    record(outcome, latency, driverId);
    lastSettled = performance.now();
  };
  let abortedAt: number | undefined;
  const onAbort = () => {
    abortedAt ??= performance.now();
  };
  if (plan.signal?.aborted) onAbort();
  plan.signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = () => abortedAt !== undefined;

  if (plan.mode.kind === 'rate') {
    const { perSecond, maxInFlight } = plan.mode;
    const interval = 1000 / perSecond;
    const pending = new Set<Promise<void>>();
    let inFlight = 0;
    // Slots are counted from the start in whole intervals, never compared as absolute times:
    // `startedAt + 50 × 50` and `startedAt + 500 + 2000` can differ in the last bit, which sent
    // one request too many at the window's edge.
    const runMs = plan.warmupMs + plan.durationMs;
    const fire = (slot: number) => {
      const dueAt = startedAt + slot * interval;
      const measured = slot * interval >= plan.warmupMs;
      if (inFlight >= maxInFlight) {
        if (measured) measuredRecord(NO_ANSWER.overload(maxInFlight), 0);
        return;
      }
      inFlight += 1;
      const done = execute().then(({ outcome, driverId }) => {
        inFlight -= 1;
        if (measured) measuredRecord(outcome, performance.now() - dueAt, driverId);
      });
      pending.add(done);
      void done.finally(() => pending.delete(done));
    };
    // Due times are computed from i, never accumulated, so timer lateness does not drift the rate.
    for (let i = 0; ; ) {
      const now = performance.now();
      while (startedAt + i * interval <= now && i * interval < runMs) {
        fire(i);
        i += 1;
      }
      const next = startedAt + i * interval;
      if (i * interval >= runMs || stopped()) break;
      try {
        await sleep(Math.max(0, next - performance.now()), undefined, { signal: plan.signal });
      } catch {
        // Aborted: the loop ends at the next turn.
      }
    }
    await Promise.all(pending);
  } else {
    const worker = async () => {
      for (;;) {
        const sentAt = performance.now();
        if (sentAt >= windowEnd || stopped()) return;
        const measured = sentAt >= measureFrom;
        const { outcome, driverId } = await execute();
        if (measured) measuredRecord(outcome, performance.now() - sentAt, driverId);
      }
    };
    await Promise.all(Array.from({ length: plan.mode.connections }, worker));
  }
  plan.signal?.removeEventListener('abort', onAbort);
  const end = abortedAt === undefined ? windowEnd : Math.min(windowEnd, Math.max(measureFrom, abortedAt));
  return { startedAt, measureFrom, measureTo: Math.max(end, lastSettled), interrupted: abortedAt !== undefined };
}
