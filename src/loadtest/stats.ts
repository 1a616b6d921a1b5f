/**
 * The tally of the measured part of a run: requests, successes, errors by kind (with the first
 * detail of each, redacted), and latencies in a LatencyRecorder (HDR histogram), plus exact
 * counts over the thresholds objectives name. The latency sample is every answered request and
 * every request the client gave up on: a time-out at its elapsed time (at least the timeout), a
 * request never sent for overload at the timeout. So a server that stalls past the timeout shows
 * in the percentiles and the share over 1 s instead of dropping out of them.
 */
import { LatencyRecorder, SLA_THRESHOLD_MS } from '../sla/latency';
import type { ErrorKind, Outcome } from './check';

export class RunStats {
  /** Requests due in the measured window, sent or not (overload). */
  count = 0;
  ok = 0;
  /** Requests that got an HTTP answer, right or wrong. */
  answered = 0;
  readonly errors = new Map<ErrorKind, number>();
  /** The first detail seen for each kind. */
  readonly samples = new Map<ErrorKind, string>();
  readonly latency = new LatencyRecorder({ thresholdMs: SLA_THRESHOLD_MS });
  private readonly overCounts: Map<number, number>;

  constructor(
    overThresholdsMs: readonly number[] = [],
    /** Applied to a detail before it is kept: removes driverIds. */
    private readonly redact: (text: string, asked?: string) => string = (text) => text,
    /** What a request given up on counts as, at least. */
    private readonly timeoutMs = 10_000,
  ) {
    this.overCounts = new Map(overThresholdsMs.map((ms) => [ms, 0]));
  }

  /** One request's outcome, and its latency from when it was due. */
  record(outcome: Outcome, latencyMs: number, driverId?: string): void {
    this.count += 1;
    if (outcome.answered) this.answered += 1;
    const timed = outcome.answered
      ? latencyMs
      : outcome.kind === 'timeout'
        ? Math.max(latencyMs, this.timeoutMs)
        : outcome.kind === 'overload'
          ? this.timeoutMs
          : undefined;
    if (timed !== undefined) {
      this.latency.record(timed);
      for (const [threshold, n] of this.overCounts) if (timed > threshold) this.overCounts.set(threshold, n + 1);
    }
    if (outcome.ok) {
      this.ok += 1;
      return;
    }
    this.errors.set(outcome.kind, (this.errors.get(outcome.kind) ?? 0) + 1);
    if (!this.samples.has(outcome.kind)) this.samples.set(outcome.kind, this.redact(outcome.detail, driverId));
  }

  /** The latency sample's size: answers, time-outs and overload skips. */
  get timed(): number {
    return this.latency.count;
  }

  get errorCount(): number {
    return this.count - this.ok;
  }

  /** Answers slower than `thresholdMs`, exact for 1000 ms and the thresholds given at construction. */
  over(thresholdMs: number): number {
    if (thresholdMs === SLA_THRESHOLD_MS) return this.latency.overThreshold;
    const counted = this.overCounts.get(thresholdMs);
    if (counted === undefined) throw new RangeError(`answers over ${thresholdMs} ms were not counted`);
    return counted;
  }
}
