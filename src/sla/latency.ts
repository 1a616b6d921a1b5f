/**
 * Latency distributions for the bench and the report. Percentiles come from an HDR histogram
 * (hdr-histogram-js, the library autocannon uses): values are kept in microseconds with three
 * significant digits, so any percentile is within 0.1% of the exact one (1% for `coarse`), in bounded memory
 * whatever the number of samples (a month of access logs is ~11 million lines). The count over
 * the SLA threshold is kept exactly, apart from the histogram, because the verdict rests on it.
 */
import * as hdr from 'hdr-histogram-js';

/** The contract: 99.8% of positive answers within 1000 ms. */
export const SLA_THRESHOLD_MS = 1000;
export const SLA_TARGET = 0.998;

/** Longest latency the histogram tells apart (longer values are recorded as this): one hour. */
const HIGHEST_MICROS = 3_600_000_000;

/** Latency figures in ms as reports and results hold them: null where there was nothing to measure. */
export interface PercentileFigures {
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly p99_8: number | null;
  readonly p99_9: number | null;
  readonly max: number | null;
}

/** For a total the source cannot combine (CloudWatch percentiles across APIs). */
export const NO_PERCENTILES: PercentileFigures = {
  p50: null,
  p90: null,
  p99: null,
  p99_8: null,
  p99_9: null,
  max: null,
};

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p99_8: number;
  readonly p99_9: number;
  readonly max: number;
  readonly mean: number;
  /** Samples strictly over the SLA threshold, exact. */
  readonly overThreshold: number;
}

export class LatencyRecorder {
  private readonly histogram: hdr.Histogram;
  private readonly thresholdMs: number;
  private over = 0;
  private maxMs = 0;

  /**
   * `coarse` keeps two significant digits instead of three (percentiles within 1%, a tenth of
   * the memory: ~9 KB instead of ~95 KB): right for the report's hundreds of per-bucket chart
   * points, not for totals. (hdr-histogram-js's packed arrays save memory too, but measured,
   * merging them was a thousand times slower.)
   */
  constructor(options: { coarse?: boolean; thresholdMs?: number } = {}) {
    this.thresholdMs = options.thresholdMs ?? SLA_THRESHOLD_MS;
    this.histogram = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_MICROS,
      numberOfSignificantValueDigits: options.coarse ? 2 : 3,
    });
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a latency: ${ms}`);
    this.histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * 1000))));
    if (ms > this.thresholdMs) this.over += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Adds every sample of `other` (same threshold) to this one. */
  add(other: LatencyRecorder): void {
    this.histogram.add(other.histogram);
    this.over += other.over;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  get overThreshold(): number {
    return this.over;
  }

  /**
   * The latency at or under which `percent`% of samples fall (nearest rank), in ms, to within 0.1%
   * (the top of the histogram bucket holding that sample); NaN when there are no samples.
   */
  percentile(percent: number): number {
    if (this.count === 0) return Number.NaN;
    if (percent >= 100) return this.maxMs;
    // The histogram answers with the top of the value's bucket; never above the true maximum.
    return Math.min(this.maxMs, this.histogram.getValueAtPercentile(percent) / 1000);
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p99_8: this.percentile(99.8),
      p99_9: this.percentile(99.9),
      max: this.count === 0 ? Number.NaN : this.maxMs,
      mean: this.count === 0 ? Number.NaN : this.histogram.mean / 1000,
      overThreshold: this.over,
    };
  }
}
