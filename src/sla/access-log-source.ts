/**
 * Builds an SLA report from the offline server's access log (see observability/access-log.ts):
 * per API and time bucket, calls, 4xx, 5xx and latency percentiles; per API and in total the
 * summary; and the verdict over positive answers. Memory is bounded by the number of buckets
 * (at most 400 per API, ~9 KB each), not by the number of calls.
 */

import { existsSync } from 'node:fs';
import { emptyReadStats, readAccessLog, type TimeRange } from '../observability/access-log';
import { type ApiCall, outcomeOf } from '../observability/api-call';
import { LatencyRecorder, SLA_TARGET, SLA_THRESHOLD_MS } from './latency';
import {
  API_NAMES,
  type ApiName,
  bucketStarts,
  chooseBucketSeconds,
  emptyBucket,
  type ReportBucket,
  type ReportSummary,
  type SlaReport,
  verdictOf,
} from './report-model';

export interface AccessLogSourceOptions {
  readonly dir: string;
  /** Only calls of this stage; required when the log holds several. */
  readonly stage?: string;
  /** The range, end exclusive; by default the span of the calls in the log. */
  readonly from?: Date;
  readonly to?: Date;
  readonly now?: Date;
}

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

/** Counts and latencies of a set of calls. */
class Tally {
  calls = 0;
  errors4xx = 0;
  errors5xx = 0;
  positive = 0;
  positiveWithin = 0;
  readonly latency: LatencyRecorder;

  /** `coarse` for a chart point (percentiles within 1%), exact to 0.1% for the summary. */
  constructor(coarse: boolean) {
    this.latency = new LatencyRecorder({ coarse });
  }

  add(call: ApiCall): void {
    this.calls += 1;
    const outcome = outcomeOf(call);
    if (outcome === '4xx') this.errors4xx += 1;
    else if (outcome === '5xx') this.errors5xx += 1;
    else {
      this.positive += 1;
      if (call.latencyMs <= SLA_THRESHOLD_MS) this.positiveWithin += 1;
    }
    this.latency.record(call.latencyMs);
  }

  bucket(start: string): ReportBucket {
    return {
      start,
      calls: this.calls,
      errors4xx: this.errors4xx,
      errors5xx: this.errors5xx,
      p50: nullable(this.latency.percentile(50)),
      p99: nullable(this.latency.percentile(99)),
      p99_8: nullable(this.latency.percentile(99.8)),
    };
  }

  summary(): ReportSummary {
    const s = this.latency.summary();
    return {
      calls: this.calls,
      errors4xx: this.errors4xx,
      errors5xx: this.errors5xx,
      p50: nullable(s.p50),
      p90: nullable(s.p90),
      p99: nullable(s.p99),
      p99_8: nullable(s.p99_8),
      p99_9: nullable(s.p99_9),
      max: nullable(s.max),
      positive: this.positive,
      positiveWithinThreshold: this.positiveWithin,
    };
  }
}

const nullable = (n: number) => (Number.isNaN(n) ? null : n);

const inside = (call: ApiCall, range: TimeRange) => {
  const t = Date.parse(call.time);
  return t >= range.fromMs && t < range.toMs;
};

/** First pass, when the stage or the range is not given: the span of the calls and their stages. */
async function scanLog(dir: string, range?: TimeRange): Promise<{ first: number; last: number; stages: Set<string> }> {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const stages = new Set<string>();
  for await (const call of readAccessLog(dir, undefined, range)) {
    if (range && !inside(call, range)) continue;
    const t = Date.parse(call.time);
    first = Math.min(first, t);
    last = Math.max(last, t);
    stages.add(call.stage);
  }
  return { first, last, stages };
}

export async function accessLogReport(options: AccessLogSourceOptions): Promise<SlaReport> {
  if (!existsSync(options.dir)) throw new ReportInputError(`no access log directory at ${options.dir}`);
  let stage = options.stage;
  let fromMs = options.from?.getTime();
  let toMs = options.to?.getTime();
  if (stage === undefined || fromMs === undefined || toMs === undefined) {
    const ranged = fromMs !== undefined && toMs !== undefined;
    const scanned = await scanLog(options.dir, ranged ? { fromMs: fromMs as number, toMs: toMs as number } : undefined);
    // No calls at all: with a range that is an empty report (nothing to judge), without one an error.
    if (scanned.stages.size === 0 && !ranged) {
      throw new ReportInputError(`no API calls in the access log at ${options.dir}`);
    }
    if (scanned.stages.size === 0) stage ??= 'offline';
    if (stage === undefined) {
      if (scanned.stages.size > 1) {
        throw new ReportInputError(
          `the log holds several stages (${[...scanned.stages].join(', ')}); choose one with --stage`,
        );
      }
      [stage] = scanned.stages;
    }
    fromMs ??= scanned.first;
    toMs ??= scanned.last + 1;
  }
  if (!(fromMs < toMs)) throw new ReportInputError('the range is empty: --from must be before --to');

  const bucketSeconds = chooseBucketSeconds(fromMs, toMs);
  const starts = bucketStarts(fromMs, toMs, bucketSeconds);
  const origin = Date.parse(starts[0]);
  const buckets = Object.fromEntries(API_NAMES.map((api) => [api, new Map<number, Tally>()])) as Record<
    ApiName,
    Map<number, Tally>
  >;
  const stats = emptyReadStats();
  // Each call goes to its bucket's chart point and to the exact totals (merging coarse
  // histograms would make the totals coarse too).
  const totals = Object.fromEntries(API_NAMES.map((api) => [api, new Tally(false)])) as Record<ApiName, Tally>;
  const all = new Tally(false);
  for await (const call of readAccessLog(options.dir, stats, { fromMs, toMs })) {
    const t = Date.parse(call.time);
    if (call.stage !== stage || t < fromMs || t >= toMs) continue;
    const index = Math.floor((t - origin) / (bucketSeconds * 1000));
    const perApi = buckets[call.api];
    let tally = perApi.get(index);
    if (!tally) {
      tally = new Tally(true);
      perApi.set(index, tally);
    }
    tally.add(call);
    totals[call.api].add(call);
    all.add(call);
  }
  const summary = {
    graphql: totals.graphql.summary(),
    rest: totals.rest.summary(),
    total: all.summary(),
  };
  const notes = [
    'Latency is measured by the server, from a request’s arrival to its last byte; percentiles cover every call, the verdict positive answers only (no 4xx, 5xx or GraphQL error).',
  ];
  if (stats.broken > 0) notes.push(`${stats.broken} log lines were not API calls (torn or edited) and were skipped.`);
  if (stats.unreadable.length > 0) {
    notes.push(`These log files break off and were read only up to the damage: ${stats.unreadable.join(', ')}.`);
  }
  return {
    title: 'ScoreDrive SLA report',
    stage: stage as string,
    source: 'access-log',
    sourceDetail: `access log ${options.dir} (${stats.files} file${stats.files === 1 ? '' : 's'})`,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    bucketSeconds,
    generatedAt: (options.now ?? new Date()).toISOString(),
    bucketStarts: starts,
    series: {
      graphql: starts.map((start, i) => buckets.graphql.get(i)?.bucket(start) ?? emptyBucket(start)),
      rest: starts.map((start, i) => buckets.rest.get(i)?.bucket(start) ?? emptyBucket(start)),
    },
    summary,
    verdict: verdictOf([summary.graphql, summary.rest], SLA_THRESHOLD_MS, SLA_TARGET),
    notes,
  };
}
