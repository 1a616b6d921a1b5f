/**
 * The SLA report of a deployed stage, from the metrics AppSync and API Gateway publish to
 * CloudWatch (`scoredrive report --source cloudwatch`). One GetMetricData request set gives, per
 * API and per bucket, calls, 4xx, 5xx, latency p50/p99/p99.8 and the percentile rank at the SLA
 * threshold, plus the whole range's percentiles as a single period.
 *
 * What CloudWatch cannot say is written in the report's notes: its latency covers every answer,
 * errors included, so the positive answers within the threshold are an estimate; percentiles of
 * two APIs cannot be combined; a bucket is a whole CloudWatch period.
 */
import {
  type CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MessageData,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { NO_PERCENTILES, SLA_TARGET, SLA_THRESHOLD_MS } from './latency';
import {
  API_LABELS,
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

export interface CloudWatchSourceOptions {
  /** Credentials and region come from the caller's client (the standard chain, as a rule). */
  readonly client: CloudWatchClient;
  /** The ScoreDrive stage, e.g. `prod`; also the API Gateway stage name. */
  readonly stage: string;
  /** The client's region, named in the report's source line only. */
  readonly region: string;
  /** The AppSync API id (namespace AWS/AppSync, dimension GraphQLAPIId); the GraphQL series is empty without it. */
  readonly graphqlApiId?: string;
  /** The API Gateway REST API name (namespace AWS/ApiGateway, dimensions ApiName and Stage); the REST series is empty without it. */
  readonly restApiName?: string;
  readonly from: Date;
  /** End of the range, exclusive. */
  readonly to: Date;
  /** The time the report is made at, for `generatedAt` and CloudWatch's retention rules. @default new Date() */
  readonly now?: Date;
}

/** CloudWatch answers at most 500 queries in one GetMetricData call. */
const MAX_QUERIES_PER_CALL = 500;
/** A report's queries fit in one or two pages; far more means CloudWatch keeps answering with a token. */
const MAX_PAGES = 100;

const DAY_MS = 86_400_000;
const PR_STAT = `PR(:${SLA_THRESHOLD_MS})`;

/** Statistics read per bucket: the key names the report field (or the estimate it feeds). */
const BUCKET_STATS = [
  { key: 'errors4xx', metricName: '4XXError', stat: 'Sum', label: '4xx' },
  { key: 'errors5xx', metricName: '5XXError', stat: 'Sum', label: '5xx' },
  { key: 'p50', metricName: 'Latency', stat: 'p50', label: 'p50' },
  { key: 'p99', metricName: 'Latency', stat: 'p99', label: 'p99' },
  { key: 'p99_8', metricName: 'Latency', stat: 'p99.8', label: 'p99.8' },
  { key: 'withinPercent', metricName: 'Latency', stat: PR_STAT, label: `% within ${SLA_THRESHOLD_MS} ms` },
] as const;

/** Statistics read once over the whole range, for the summary. */
const RANGE_STATS = [
  { key: 'p50', stat: 'p50' },
  { key: 'p90', stat: 'p90' },
  { key: 'p99', stat: 'p99' },
  { key: 'p99_8', stat: 'p99.8' },
  { key: 'p99_9', stat: 'p99.9' },
  { key: 'max', stat: 'Maximum' },
] as const;

type RangeKey = (typeof RANGE_STATS)[number]['key'];

interface ApiMetrics {
  readonly api: ApiName;
  readonly namespace: string;
  readonly dimensions: Dimension[];
  /** The metric and statistic counting calls. */
  readonly calls: { readonly metricName: string; readonly stat: string };
}

/** Datapoints of a set of queries, as CloudWatch returned them. */
export interface MetricData {
  /** Values by query Id, then by timestamp (epoch ms). */
  readonly values: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** What CloudWatch said without failing (partial data, messages on the whole call), for the notes. */
  readonly warnings: readonly string[];
}

/**
 * Runs GetMetricData for `queries` over [start, end): at most 500 queries a call, oldest data
 * first, following NextToken until the data is complete. Throws, naming the queries and
 * CloudWatch's messages, when a query ends in `InternalError` or `Forbidden`.
 */
export async function fetchMetricData(
  client: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  start: Date,
  end: Date,
): Promise<MetricData> {
  const values = new Map<string, Map<number, number>>();
  const warnings = new Set<string>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    const chunk = queries.slice(i, i + MAX_QUERIES_PER_CALL);
    const labels = new Map(chunk.map((q) => [q.Id ?? '', q.Label ?? q.Id ?? '']));
    const outcome = new Map<string, { status: string; messages: MessageData[] }>();
    let nextToken: string | undefined;
    let pages = 0;
    do {
      pages += 1;
      if (pages > MAX_PAGES) throw new Error(`CloudWatch GetMetricData was still paging after ${MAX_PAGES} pages`);
      const page = await send(client, chunk, start, end, nextToken);
      for (const result of page.MetricDataResults ?? []) {
        const id = result.Id ?? '';
        if (!labels.has(id)) continue;
        const series = values.get(id) ?? new Map<number, number>();
        values.set(id, series);
        const timestamps = result.Timestamps ?? [];
        const resultValues = result.Values ?? [];
        for (let j = 0; j < timestamps.length && j < resultValues.length; j += 1) {
          series.set(new Date(timestamps[j] as Date).getTime(), resultValues[j] as number);
        }
        const previous = outcome.get(id)?.messages ?? [];
        outcome.set(id, {
          status: result.StatusCode ?? 'Complete',
          messages: [...previous, ...(result.Messages ?? [])],
        });
      }
      for (const message of page.Messages ?? []) warnings.add(`CloudWatch said: ${describe(message)}`);
      nextToken = page.NextToken;
    } while (nextToken);

    const failed = [...outcome].filter(([, o]) => o.status === 'InternalError' || o.status === 'Forbidden');
    if (failed.length > 0) {
      const lines = failed.map(
        ([id, o]) =>
          `${labels.get(id)} (${id}): ${o.status}${o.messages.length ? ` — ${o.messages.map(describe).join('; ')}` : ''}`,
      );
      throw new Error(`CloudWatch could not return every metric:\n  ${lines.join('\n  ')}`);
    }
    const partial = [...outcome].filter(([, o]) => o.status === 'PartialData').map(([id]) => labels.get(id));
    if (partial.length > 0) warnings.add(`CloudWatch returned partial data for: ${partial.join(', ')}.`);
  }
  return { values, warnings: [...warnings] };
}

async function send(
  client: CloudWatchClient,
  queries: MetricDataQuery[],
  start: Date,
  end: Date,
  nextToken: string | undefined,
): Promise<GetMetricDataCommandOutput> {
  try {
    return await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
    );
  } catch (error) {
    const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`CloudWatch GetMetricData failed: ${name}${message}`, { cause: error });
  }
}

function describe(message: MessageData): string {
  return [message.Code, message.Value].filter(Boolean).join(': ');
}

/**
 * The SLA report of `options.stage` over [from, to) from CloudWatch. Requires `graphqlApiId`,
 * `restApiName` or both; an API not named has an empty series and is left out of the verdict.
 */
export async function cloudWatchReport(options: CloudWatchSourceOptions): Promise<SlaReport> {
  const apis = apiMetricsOf(options);
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) {
    throw new RangeError(
      `the report range must be two dates, the first before the second (got ${options.from} and ${options.to})`,
    );
  }
  const now = options.now ?? new Date();

  // CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days, then hourly data; a
  // finer period than the request's start time allows returns nothing. That start is at most an
  // hour before `from` for any bucket shorter than an hour (longer buckets satisfy every rule).
  const retentionSeconds = minimumPeriodSeconds(Math.floor(fromMs / 3_600_000) * 3_600_000, now.getTime());
  const bucketSeconds = chooseBucketSeconds(fromMs, toMs, retentionSeconds);
  const starts = bucketStarts(fromMs, toMs, bucketSeconds);
  const stepMs = bucketSeconds * 1000;
  // A datapoint is a whole period: the request covers whole buckets, from the first start.
  const startMs = Date.parse(starts[0] as string);
  const endMs = startMs + starts.length * stepMs;
  const rangeSeconds = starts.length * bucketSeconds;

  const queries = apis.flatMap((a) => queriesFor(a, bucketSeconds, rangeSeconds));
  const data = await fetchMetricData(options.client, queries, new Date(startMs), new Date(endMs));

  const series = {} as Record<ApiName, readonly ReportBucket[]>;
  const summary = {} as Record<ApiName | 'total', ReportSummary>;
  const notes: string[] = [];
  for (const api of API_NAMES) {
    const metrics = apis.find((a) => a.api === api);
    if (metrics === undefined) {
      series[api] = starts.map(emptyBucket);
      summary[api] = emptySummary();
      notes.push(
        `${API_LABELS[api]} was not queried: no ${api === 'graphql' ? 'AppSync API id' : 'REST API name'} given.`,
      );
      continue;
    }
    const result = apiReport(api, data.values, starts, startMs, stepMs);
    series[api] = result.buckets;
    summary[api] = result.summary;
    if (result.bucketsWithoutRank > 0) {
      notes.push(
        `${API_LABELS[api]}: ${result.bucketsWithoutRank} bucket(s) had positive answers but no ${PR_STAT} datapoint; none of their answers is counted within ${SLA_THRESHOLD_MS} ms.`,
      );
    }
  }
  summary.total = totalOf([summary.graphql, summary.rest]);

  notes.push(
    `CloudWatch's Latency covers every answer, errors included: the positive answers within ${SLA_THRESHOLD_MS} ms are estimated per bucket as positive answers × ${PR_STAT} / 100, as if errors were as fast as positive answers.`,
    'The total has no percentiles: CloudWatch cannot combine percentiles of two APIs.',
  );
  if (options.graphqlApiId) {
    notes.push(
      "GraphQL calls are the count of AppSync's Latency samples (one per request): AppSync's Requests metric counts every API of the account in the region. GraphQL errors answered with HTTP 200 are not in 4XXError/5XXError, so they count as positive here.",
    );
  }
  if (startMs !== fromMs || endMs !== toMs) {
    notes.push(
      `Buckets are whole ${bucketSeconds}-second CloudWatch periods: the figures cover ${iso(startMs)} to ${iso(endMs)}, a little more than the range asked for.`,
    );
  }
  if (retentionSeconds > 60) {
    notes.push(
      `The range starts over ${retentionSeconds === 300 ? 15 : 63} days ago, when CloudWatch keeps only ${retentionSeconds / 60}-minute data: buckets are at least ${retentionSeconds} s.`,
    );
  }
  notes.push(...data.warnings);

  const parts = [`CloudWatch ${options.region}`];
  if (options.graphqlApiId) parts.push(`AppSync ${options.graphqlApiId}`);
  if (options.restApiName) parts.push(`API Gateway ${options.restApiName}/${options.stage}`);

  return {
    title: 'ScoreDrive SLA report',
    stage: options.stage,
    source: 'cloudwatch',
    sourceDetail: parts.join(' · '),
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    bucketSeconds,
    generatedAt: now.toISOString(),
    bucketStarts: starts,
    series,
    summary,
    verdict: verdictOf([summary.graphql, summary.rest], SLA_THRESHOLD_MS, SLA_TARGET),
    notes,
  };
}

function apiMetricsOf(options: CloudWatchSourceOptions): ApiMetrics[] {
  const apis: ApiMetrics[] = [];
  if (options.graphqlApiId) {
    apis.push({
      api: 'graphql',
      namespace: 'AWS/AppSync',
      dimensions: [{ Name: 'GraphQLAPIId', Value: options.graphqlApiId }],
      // AppSync's Requests is account-wide; every request of the API has one latency sample.
      calls: { metricName: 'Latency', stat: 'SampleCount' },
    });
  }
  if (options.restApiName) {
    apis.push({
      api: 'rest',
      namespace: 'AWS/ApiGateway',
      dimensions: [
        { Name: 'ApiName', Value: options.restApiName },
        { Name: 'Stage', Value: options.stage },
      ],
      calls: { metricName: 'Count', stat: 'Sum' },
    });
  }
  if (apis.length === 0) {
    throw new Error(
      'a CloudWatch report needs the AppSync API id (graphqlApiId), the REST API name (restApiName), or both',
    );
  }
  return apis;
}

/** The shortest period CloudWatch still has data for at a request start of `startMs`. */
function minimumPeriodSeconds(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  if (age > 63 * DAY_MS) return 3600;
  if (age > 15 * DAY_MS) return 300;
  return 60;
}

const bucketId = (api: ApiName, key: string) => `${api}_${key}`;
const rangeId = (api: ApiName, key: string) => `${api}_range_${key}`;

function queriesFor(metrics: ApiMetrics, bucketSeconds: number, rangeSeconds: number): MetricDataQuery[] {
  const query = (id: string, label: string, metricName: string, stat: string, period: number): MetricDataQuery => ({
    Id: id,
    Label: `${API_LABELS[metrics.api]} ${label}`,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: metrics.namespace, MetricName: metricName, Dimensions: metrics.dimensions },
      Period: period,
      Stat: stat,
    },
  });
  const { api } = metrics;
  return [
    query(bucketId(api, 'calls'), 'calls', metrics.calls.metricName, metrics.calls.stat, bucketSeconds),
    ...BUCKET_STATS.map((s) => query(bucketId(api, s.key), s.label, s.metricName, s.stat, bucketSeconds)),
    // One period over the whole range: a multiple of the bucket, so of 60 s and of the retention step.
    ...RANGE_STATS.map((s) => query(rangeId(api, s.key), `${s.stat} over the range`, 'Latency', s.stat, rangeSeconds)),
  ];
}

function apiReport(
  api: ApiName,
  values: MetricData['values'],
  starts: readonly string[],
  startMs: number,
  stepMs: number,
): { buckets: ReportBucket[]; summary: ReportSummary; bucketsWithoutRank: number } {
  // Datapoints are placed in the bucket holding their timestamp (CloudWatch stamps a period with its start).
  const perBucket = (key: string): (number | undefined)[] => {
    const out: (number | undefined)[] = new Array(starts.length).fill(undefined);
    for (const [t, v] of values.get(bucketId(api, key)) ?? []) {
      const i = Math.floor((t - startMs) / stepMs);
      if (i >= 0 && i < out.length) out[i] = v;
    }
    return out;
  };
  const calls = perBucket('calls');
  const e4 = perBucket('errors4xx');
  const e5 = perBucket('errors5xx');
  const p50 = perBucket('p50');
  const p99 = perBucket('p99');
  const p99_8 = perBucket('p99_8');
  const within = perBucket('withinPercent');

  let positive = 0;
  let positiveWithin = 0;
  let bucketsWithoutRank = 0;
  const buckets = starts.map((start, i): ReportBucket => {
    const n = calls[i] ?? 0;
    const errors4xx = e4[i] ?? 0;
    const errors5xx = e5[i] ?? 0;
    const good = Math.max(0, n - errors4xx - errors5xx);
    positive += good;
    const rank = within[i];
    if (rank === undefined) {
      if (good > 0) bucketsWithoutRank += 1;
    } else {
      positiveWithin += (good * rank) / 100;
    }
    const latency = (v: number | undefined) => (n > 0 && v !== undefined ? v : null);
    return {
      start,
      calls: n,
      errors4xx,
      errors5xx,
      p50: latency(p50[i]),
      p99: latency(p99[i]),
      p99_8: latency(p99_8[i]),
    };
  });

  const totalCalls = sum(buckets.map((b) => b.calls));
  const overRange = (key: RangeKey): number | null => {
    if (totalCalls === 0) return null;
    const series = values.get(rangeId(api, key));
    return series === undefined || series.size === 0 ? null : ([...series.values()][0] as number);
  };
  return {
    buckets,
    bucketsWithoutRank,
    summary: {
      calls: totalCalls,
      errors4xx: sum(buckets.map((b) => b.errors4xx)),
      errors5xx: sum(buckets.map((b) => b.errors5xx)),
      p50: overRange('p50'),
      p90: overRange('p90'),
      p99: overRange('p99'),
      p99_8: overRange('p99_8'),
      p99_9: overRange('p99_9'),
      max: overRange('max'),
      positive,
      // An estimate: keep three decimals, not the float noise of the sum.
      positiveWithinThreshold: Math.round(positiveWithin * 1000) / 1000,
    },
  };
}

function totalOf(summaries: readonly ReportSummary[]): ReportSummary {
  const total = (pick: (s: ReportSummary) => number) => sum(summaries.map(pick));
  return {
    calls: total((s) => s.calls),
    errors4xx: total((s) => s.errors4xx),
    errors5xx: total((s) => s.errors5xx),
    ...NO_PERCENTILES,
    positive: total((s) => s.positive),
    positiveWithinThreshold: Math.round(total((s) => s.positiveWithinThreshold) * 1000) / 1000,
  };
}

function emptySummary(): ReportSummary {
  return totalOf([]);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
