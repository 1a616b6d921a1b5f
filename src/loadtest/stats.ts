/**
 * The tally of the measured part of a run: requests, successes, errors by kind (with the first
 * detail of each, redacted), and the latency of every answered request in a LatencyRecorder
 * (HDR histogram), plus exact counts over the thresholds objectives name.
 */
import { LatencyRecorder, SLA_THRESHOLD_MS } from '../sla/latency';
import type { ErrorKind, Outcome } from './check';

export class RunStats {
  /** Requests due in the measured window, sent or not (overload). */
  count = 0;
  ok = 0;
  /** Requests that got an HTTP answer, right or wrong: the latency sample. */
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
  ) {
    this.overCounts = new Map(overThresholdsMs.map((ms) => [ms, 0]));
  }

  /** One request's outcome; `latencyMs` counts only when it was answered. */
  record(outcome: Outcome, latencyMs: number, driverId?: string): void {
    this.count += 1;
    if (outcome.answered) {
      this.answered += 1;
      this.latency.record(latencyMs);
      for (const [threshold, n] of this.overCounts) if (latencyMs > threshold) this.overCounts.set(threshold, n + 1);
    }
    if (outcome.ok) {
      this.ok += 1;
      return;
    }
    this.errors.set(outcome.kind, (this.errors.get(outcome.kind) ?? 0) + 1);
    if (!this.samples.has(outcome.kind)) this.samples.set(outcome.kind, this.redact(outcome.detail, driverId));
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
