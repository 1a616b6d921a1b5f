/**
 * The CloudWatch source of the SLA report against recorded-style GetMetricData answers
 * (test/fixtures/cloudwatch/, shaped as the SDK returns them): the queries sent, paging, the
 * figures per bucket and over the range, the verdict, and the errors a user meets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type CloudWatchSourceOptions, cloudWatchReport, fetchMetricData } from '../../src/sla/cloudwatch-source';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/cloudwatch');

/** A recorded answer, its ISO timestamps turned into the Date objects the SDK gives. */
function recorded(name: string): GetMetricDataCommandOutput {
  const output = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as GetMetricDataCommandOutput;
  for (const result of output.MetricDataResults ?? []) {
    result.Timestamps = (result.Timestamps as unknown as string[]).map((t) => new Date(t));
  }
  return output;
}

const cloudWatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1' });
beforeEach(() => cloudWatch.reset());
afterAll(() => {
  cloudWatch.restore();
  client.destroy();
});

function options(overrides: Partial<CloudWatchSourceOptions> = {}): CloudWatchSourceOptions {
  return {
    client,
    stage: 'prod',
    region: 'us-east-1',
    graphqlApiId: 'abcd1234efgh5678ijkl',
    restApiName: 'scoredrive-prod-rest',
    from: new Date('2026-09-14T10:00:00Z'),
    to: new Date('2026-09-14T10:05:00Z'),
    now: new Date('2026-09-14T10:30:00Z'),
    ...overrides,
  };
}

function sentInputs() {
  return cloudWatch.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input);
}

/** A query as [Id, Namespace, MetricName, dimensions, Stat, Period]. */
function described(q: MetricDataQuery) {
  const stat = q.MetricStat;
  const dims = (stat?.Metric?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',');
  return [q.Id, stat?.Metric?.Namespace, stat?.Metric?.MetricName, dims, stat?.Stat, stat?.Period];
}

function emptyAnswer(queries: readonly MetricDataQuery[]): GetMetricDataCommandOutput {
  return {
    $metadata: {},
    MetricDataResults: queries.map((q) => ({
      Id: q.Id,
      Label: q.Label,
      Timestamps: [],
      Values: [],
      StatusCode: 'Complete',
    })),
    Messages: [],
  };
}

describe('cloudWatchReport', () => {
  describe('for both APIs over five minutes (two pages)', () => {
    beforeEach(() => {
      cloudWatch
        .on(GetMetricDataCommand)
        .resolvesOnce(recorded('prod-5-minutes.page-1.json'))
        .resolvesOnce(recorded('prod-5-minutes.page-2.json'));
    });

    it('asks for each API its calls, errors and latency statistics per minute, and latency over the range', async () => {
      await cloudWatchReport(options());

      const [first] = sentInputs();
      expect(first?.StartTime).toEqual(new Date('2026-09-14T10:00:00Z'));
      expect(first?.EndTime).toEqual(new Date('2026-09-14T10:05:00Z'));
      expect(first?.ScanBy).toBe('TimestampAscending');
      expect(first?.NextToken).toBeUndefined();
      const appSync = ['AWS/AppSync', 'GraphQLAPIId=abcd1234efgh5678ijkl'];
      const apiGateway = ['AWS/ApiGateway', 'ApiName=scoredrive-prod-rest,Stage=prod'];
      expect(first?.MetricDataQueries?.map(described)).toEqual([
        ['graphql_calls', appSync[0], 'Latency', appSync[1], 'SampleCount', 60],
        ['graphql_errors4xx', appSync[0], '4XXError', appSync[1], 'Sum', 60],
        ['graphql_errors5xx', appSync[0], '5XXError', appSync[1], 'Sum', 60],
        ['graphql_p50', appSync[0], 'Latency', appSync[1], 'p50', 60],
        ['graphql_p99', appSync[0], 'Latency', appSync[1], 'p99', 60],
        ['graphql_p99_8', appSync[0], 'Latency', appSync[1], 'p99.8', 60],
        ['graphql_withinPercent', appSync[0], 'Latency', appSync[1], 'PR(:1000)', 60],
        ['graphql_range_p50', appSync[0], 'Latency', appSync[1], 'p50', 300],
        ['graphql_range_p90', appSync[0], 'Latency', appSync[1], 'p90', 300],
        ['graphql_range_p99', appSync[0], 'Latency', appSync[1], 'p99', 300],
        ['graphql_range_p99_8', appSync[0], 'Latency', appSync[1], 'p99.8', 300],
        ['graphql_range_p99_9', appSync[0], 'Latency', appSync[1], 'p99.9', 300],
        ['graphql_range_max', appSync[0], 'Latency', appSync[1], 'Maximum', 300],
        ['rest_calls', apiGateway[0], 'Count', apiGateway[1], 'Sum', 60],
        ['rest_errors4xx', apiGateway[0], '4XXError', apiGateway[1], 'Sum', 60],
        ['rest_errors5xx', apiGateway[0], '5XXError', apiGateway[1], 'Sum', 60],
        ['rest_p50', apiGateway[0], 'Latency', apiGateway[1], 'p50', 60],
        ['rest_p99', apiGateway[0], 'Latency', apiGateway[1], 'p99', 60],
        ['rest_p99_8', apiGateway[0], 'Latency', apiGateway[1], 'p99.8', 60],
        ['rest_withinPercent', apiGateway[0], 'Latency', apiGateway[1], 'PR(:1000)', 60],
        ['rest_range_p50', apiGateway[0], 'Latency', apiGateway[1], 'p50', 300],
        ['rest_range_p90', apiGateway[0], 'Latency', apiGateway[1], 'p90', 300],
        ['rest_range_p99', apiGateway[0], 'Latency', apiGateway[1], 'p99', 300],
        ['rest_range_p99_8', apiGateway[0], 'Latency', apiGateway[1], 'p99.8', 300],
        ['rest_range_p99_9', apiGateway[0], 'Latency', apiGateway[1], 'p99.9', 300],
        ['rest_range_max', apiGateway[0], 'Latency', apiGateway[1], 'Maximum', 300],
      ]);
      for (const q of first?.MetricDataQueries ?? []) expect(q.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    });

    it('follows NextToken with the same queries and range until the last page', async () => {
      await cloudWatchReport(options());

      const [first, second, ...more] = sentInputs();
      expect(more).toEqual([]);
      expect(second).toEqual({ ...first, NextToken: 'eyJwYWdlIjoyfQ==' });
    });

    it('reports calls, 4xx, 5xx and percentiles per minute, a minute without datapoints as no call', async () => {
      const report = await cloudWatchReport(options());

      expect(report.bucketSeconds).toBe(60);
      expect(report.bucketStarts).toEqual([
        '2026-09-14T10:00:00.000Z',
        '2026-09-14T10:01:00.000Z',
        '2026-09-14T10:02:00.000Z',
        '2026-09-14T10:03:00.000Z',
        '2026-09-14T10:04:00.000Z',
      ]);
      expect(report.series.graphql.map((b) => [b.calls, b.errors4xx, b.errors5xx, b.p50, b.p99, b.p99_8])).toEqual([
        [1000, 10, 0, 40, 300, 900],
        [1200, 0, 2, 45, 350, 1100],
        [0, 0, 0, null, null, null],
        // 10:03 (second page) has no 4XXError datapoint: no client error.
        [800, 0, 0, 38, 280, 700],
        [1000, 5, 5, 42, 320, 950],
      ]);
      expect(report.series.rest.map((b) => [b.calls, b.errors4xx, b.errors5xx, b.p50, b.p99, b.p99_8])).toEqual([
        [500, 20, 0, 25, 200, 600],
        [600, 0, 0, 30, 250, 1200],
        [400, 0, 1, 28, 230, 800],
        [500, 0, 0, 27, 210, 700],
        [0, 0, 0, null, null, null],
      ]);
    });

    it('sums each API over the range and takes its percentiles from the one whole-range period', async () => {
      const report = await cloudWatchReport(options());

      // Positive answers: calls − 4xx − 5xx per minute; within 1000 ms: positive × PR(:1000) / 100.
      // GraphQL: 990×0.999 + 1198×0.9975 + 800×1 + 990×0.9985 = 989.01 + 1195.005 + 800 + 988.515.
      expect(report.summary.graphql).toEqual({
        calls: 4000,
        errors4xx: 15,
        errors5xx: 7,
        p50: 41,
        p90: 120,
        p99: 310,
        p99_8: 980,
        p99_9: 1150,
        max: 2300,
        positive: 3978,
        positiveWithinThreshold: 3972.53,
      });
      // REST: 480×1 + 600×0.995 + 399×0.999 + 500×1 = 480 + 597 + 398.601 + 500.
      expect(report.summary.rest).toEqual({
        calls: 2000,
        errors4xx: 20,
        errors5xx: 1,
        p50: 28,
        p90: 90,
        p99: 230,
        p99_8: 1050,
        p99_9: 1300,
        max: 1800,
        positive: 1979,
        positiveWithinThreshold: 1975.601,
      });
      expect(report.summary.total).toEqual({
        calls: 6000,
        errors4xx: 35,
        errors5xx: 8,
        p50: null,
        p90: null,
        p99: null,
        p99_8: null,
        p99_9: null,
        max: null,
        positive: 5957,
        positiveWithinThreshold: 5948.131,
      });
      expect(report.notes.join('\n')).toMatch(/cannot combine percentiles/);
    });

    it('meets the SLA when 99.8% of the positive answers are estimated within 1000 ms', async () => {
      const report = await cloudWatchReport(options());

      expect(report.verdict.thresholdMs).toBe(1000);
      expect(report.verdict.target).toBe(0.998);
      expect(report.verdict.share).toBeCloseTo(5948.131 / 5957, 9); // 0.99851…
      expect(report.verdict.met).toBe(true);
      expect(report.notes.join('\n')).toMatch(/Latency covers every answer, errors included/);
    });

    it('names the stage, the region and both APIs', async () => {
      const report = await cloudWatchReport(options());

      expect(report).toMatchObject({
        title: 'ScoreDrive SLA report',
        stage: 'prod',
        source: 'cloudwatch',
        sourceDetail: 'CloudWatch us-east-1 · AppSync abcd1234efgh5678ijkl · API Gateway scoredrive-prod-rest/prod',
        from: '2026-09-14T10:00:00.000Z',
        to: '2026-09-14T10:05:00.000Z',
        generatedAt: '2026-09-14T10:30:00.000Z',
      });
      // An aligned range is reported as asked, without a note about widening it.
      expect(report.notes.join('\n')).not.toMatch(/more than the range asked for/);
    });
  });

  describe('for GraphQL only, 25 days back', () => {
    const august = () =>
      options({
        restApiName: undefined,
        from: new Date('2026-08-20T00:00:00Z'),
        to: new Date('2026-08-20T00:30:00Z'),
        now: new Date('2026-09-14T10:30:00Z'),
      });
    beforeEach(() => {
      cloudWatch.on(GetMetricDataCommand).resolvesOnce(recorded('prod-august-graphql.json'));
    });

    it('uses 5-minute periods, the shortest CloudWatch keeps after 15 days, and only AppSync metrics', async () => {
      const report = await cloudWatchReport(august());

      expect(report.bucketSeconds).toBe(300);
      const [input, ...more] = sentInputs();
      expect(more).toEqual([]);
      expect(input?.StartTime).toEqual(new Date('2026-08-20T00:00:00Z'));
      expect(input?.EndTime).toEqual(new Date('2026-08-20T00:30:00Z'));
      const queries = input?.MetricDataQueries ?? [];
      expect(new Set(queries.map((q) => q.MetricStat?.Metric?.Namespace))).toEqual(new Set(['AWS/AppSync']));
      expect(queries.filter((q) => !q.Id?.includes('_range_')).map((q) => q.MetricStat?.Period)).toEqual(
        Array(7).fill(300),
      );
      expect(queries.filter((q) => q.Id?.includes('_range_')).map((q) => q.MetricStat?.Period)).toEqual(
        Array(6).fill(1800),
      );
      expect(report.notes.join('\n')).toMatch(/only 5-minute data/);
    });

    it('misses the SLA when fewer than 99.8% of positive answers are within 1000 ms', async () => {
      const report = await cloudWatchReport(august());

      // 2970×0.995 … : 2985 + 2940.3 + 2981.03 + 2997 + 2988 of 3000 + 2970 + 2990 + 3000 + 3000.
      expect(report.summary.graphql.positive).toBe(14_960);
      expect(report.summary.graphql.positiveWithinThreshold).toBe(14_891.33);
      expect(report.verdict.share).toBeCloseTo(14_891.33 / 14_960, 9); // 0.99541…
      expect(report.verdict.met).toBe(false);
      expect(report.series.graphql[3]).toEqual({
        start: '2026-08-20T00:15:00.000Z',
        calls: 0,
        errors4xx: 0,
        errors5xx: 0,
        p50: null,
        p99: null,
        p99_8: null,
      });
    });

    it('leaves the REST series empty and says it was not queried', async () => {
      const report = await cloudWatchReport(august());

      expect(report.series.rest).toHaveLength(6);
      expect(report.series.rest.every((b) => b.calls === 0 && b.p99 === null)).toBe(true);
      expect(report.summary.rest.calls).toBe(0);
      expect(report.sourceDetail).toBe('CloudWatch us-east-1 · AppSync abcd1234efgh5678ijkl');
      expect(report.notes.join('\n')).toMatch(/REST \(API Gateway\) was not queried/);
    });
  });

  it('widens a range that does not fall on whole minutes to whole periods, and says so', async () => {
    cloudWatch.on(GetMetricDataCommand).callsFake((input) => emptyAnswer(input.MetricDataQueries));

    const report = await cloudWatchReport(
      options({
        graphqlApiId: undefined,
        from: new Date('2026-09-14T10:00:30Z'),
        to: new Date('2026-09-14T10:04:10Z'),
      }),
    );

    const [input] = sentInputs();
    expect(input?.StartTime).toEqual(new Date('2026-09-14T10:00:00Z'));
    expect(input?.EndTime).toEqual(new Date('2026-09-14T10:05:00Z'));
    expect(input?.MetricDataQueries?.find((q) => q.Id === 'rest_range_p99')?.MetricStat?.Period).toBe(300);
    expect(report.from).toBe('2026-09-14T10:00:30.000Z');
    expect(report.notes.join('\n')).toMatch(/cover 2026-09-14T10:00:00.000Z to 2026-09-14T10:05:00.000Z/);
    // No datapoint at all: nothing to judge.
    expect(report.series.rest.map((b) => b.calls)).toEqual([0, 0, 0, 0, 0]);
    expect(report.summary.rest.p99).toBeNull();
    expect(report.verdict).toMatchObject({ share: null, met: null });
  });

  it('refuses a report with neither an AppSync API id nor a REST API name, before calling CloudWatch', async () => {
    await expect(cloudWatchReport(options({ graphqlApiId: undefined, restApiName: undefined }))).rejects.toThrow(
      /needs the AppSync API id \(graphqlApiId\), the REST API name \(restApiName\), or both/,
    );
    expect(sentInputs()).toEqual([]);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(cloudWatchReport(options({ to: new Date('2026-09-14T09:00:00Z') }))).rejects.toThrow(
      /first before the second/,
    );
  });

  it("names the metrics and CloudWatch's message when CloudWatch refuses them", async () => {
    cloudWatch.on(GetMetricDataCommand).resolvesOnce(recorded('forbidden.json'));

    const failure = cloudWatchReport(options({ restApiName: undefined }));

    await expect(failure).rejects.toThrow(
      /GraphQL \(AppSync\) calls \(graphql_calls\): Forbidden — Forbidden: Authentication too complex to retrieve cross region data/,
    );
  });

  it('names the AWS error when GetMetricData itself fails', async () => {
    const denied = Object.assign(
      new Error('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudwatch:GetMetricData'),
      { name: 'AccessDeniedException' },
    );
    cloudWatch.on(GetMetricDataCommand).rejectsOnce(denied);

    await expect(cloudWatchReport(options())).rejects.toThrow(
      'CloudWatch GetMetricData failed: AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized',
    );
  });
});

describe('fetchMetricData', () => {
  const start = new Date('2026-09-14T10:00:00Z');
  const end = new Date('2026-09-14T10:05:00Z');
  const queries = (n: number): MetricDataQuery[] =>
    Array.from({ length: n }, (_, i) => ({
      Id: `q${i}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' },
        Period: 60,
        Stat: 'Sum',
      },
    }));

  it('sends at most 500 queries a call and keeps the values of every call by Id', async () => {
    cloudWatch.on(GetMetricDataCommand).callsFake((input) => ({
      $metadata: {},
      MetricDataResults: input.MetricDataQueries.map((q: MetricDataQuery) => ({
        Id: q.Id,
        Timestamps: [start],
        Values: [Number(q.Id?.slice(1))],
        StatusCode: 'Complete',
      })),
    }));

    const data = await fetchMetricData(client, queries(501), start, end);

    expect(sentInputs().map((i) => i.MetricDataQueries?.length)).toEqual([500, 1]);
    expect(data.values.get('q0')?.get(start.getTime())).toBe(0);
    expect(data.values.get('q500')?.get(start.getTime())).toBe(500);
  });

  it('warns when CloudWatch still calls the data partial on its last page', async () => {
    cloudWatch.on(GetMetricDataCommand).resolvesOnce({
      $metadata: {},
      MetricDataResults: [{ Id: 'q0', Timestamps: [start], Values: [3], StatusCode: 'PartialData' }],
      Messages: [{ Code: 'MaxMetricsExceeded', Value: 'Maximum number of allowed metrics exceeded' }],
    });

    const data = await fetchMetricData(client, queries(1), start, end);

    expect(data.warnings).toEqual([
      'CloudWatch said: MaxMetricsExceeded: Maximum number of allowed metrics exceeded',
      'CloudWatch returned partial data for: q0.',
    ]);
  });
});
