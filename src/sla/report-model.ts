/**
 * What an SLA report says, whatever its source (the offline access log or a deployed stage's
 * CloudWatch metrics): per API and per time bucket, calls, 4xx, 5xx and latency percentiles,
 * then totals and the verdict. The HTML page and `report --check` both read this.
 */

import type { PercentileFigures } from './latency';

export type ApiName = 'graphql' | 'rest';
export const API_NAMES: readonly ApiName[] = ['graphql', 'rest'];
export const API_LABELS: Record<ApiName, string> = { graphql: 'GraphQL (AppSync)', rest: 'REST (API Gateway)' };

export interface ReportBucket {
  /** Start of the bucket, ISO-8601 UTC. */
  readonly start: string;
  readonly calls: number;
  readonly errors4xx: number;
  readonly errors5xx: number;
  /** Latency percentiles in ms over every call of the bucket; null when it had none. */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly p99_8: number | null;
}

/** Latency over the whole range; null when the source cannot combine it (CloudWatch totals over APIs). */
export interface ReportSummary extends PercentileFigures {
  readonly calls: number;
  readonly errors4xx: number;
  readonly errors5xx: number;
  /** Positive answers (no 4xx/5xx, no GraphQL error) and how many took at most the threshold. */
  readonly positive: number;
  readonly positiveWithinThreshold: number;
}

export interface SlaVerdict {
  readonly thresholdMs: number;
  /** Required share of positive answers within the threshold, e.g. 0.998. */
  readonly target: number;
  /** positiveWithinThreshold / positive over every API; null with no positive answer. */
  readonly share: number | null;
  /** null when there is nothing to judge. */
  readonly met: boolean | null;
}

export interface SlaReport {
  readonly title: string;
  readonly stage: string;
  readonly source: 'access-log' | 'cloudwatch';
  /** Where the data came from, for the reader (a log directory, a region and API ids). */
  readonly sourceDetail: string;
  /** The range reported, ISO-8601 UTC, end exclusive. */
  readonly from: string;
  readonly to: string;
  readonly bucketSeconds: number;
  readonly generatedAt: string;
  /** Bucket starts shared by every series. */
  readonly bucketStarts: readonly string[];
  readonly series: Readonly<Record<ApiName, readonly ReportBucket[]>>;
  readonly summary: Readonly<Record<ApiName | 'total', ReportSummary>>;
  readonly verdict: SlaVerdict;
  /** Caveats the reader must know (e.g. how CloudWatch defines latency). */
  readonly notes: readonly string[];
}

/** A bucket without calls: no latency at all, not a latency of 0. */
export function emptyBucket(start: string): ReportBucket {
  return { start, calls: 0, errors4xx: 0, errors5xx: 0, p50: null, p99: null, p99_8: null };
}

/** Buckets of these lengths are tried in order; the first giving at most 400 points is used. */
const BUCKET_CHOICES = [10, 60, 300, 900, 3600, 6 * 3600, 86_400];

export function chooseBucketSeconds(fromMs: number, toMs: number, minimum = 0): number {
  const span = Math.max(1, (toMs - fromMs) / 1000);
  return BUCKET_CHOICES.find((s) => s >= minimum && span / s <= 400) ?? 86_400;
}

/** Bucket starts from `fromMs` (aligned down to the bucket) up to `toMs` exclusive. */
export function bucketStarts(fromMs: number, toMs: number, bucketSeconds: number): string[] {
  const step = bucketSeconds * 1000;
  const out: string[] = [];
  for (let t = Math.floor(fromMs / step) * step; t < toMs; t += step) out.push(new Date(t).toISOString());
  return out;
}

export function verdictOf(summaries: readonly ReportSummary[], thresholdMs: number, target: number): SlaVerdict {
  const positive = summaries.reduce((n, s) => n + s.positive, 0);
  const within = summaries.reduce((n, s) => n + s.positiveWithinThreshold, 0);
  const share = positive > 0 ? within / positive : null;
  return { thresholdMs, target, share, met: share === null ? null : share >= target };
}
