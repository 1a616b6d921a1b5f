/**
 * The SLA report page in a real browser (Debian's Chromium, driven by playwright-core): opened
 * from a file with no network, it asks for nothing outside the file, logs no error, draws the
 * four charts and shows the verdict. A full-page screenshot is kept as a test artifact,
 * build/test-artifacts/sla-report.png. On a machine without Chromium this file has nothing to run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/sla/report-html';
import {
  API_NAMES,
  type ApiName,
  type ReportBucket,
  type ReportSummary,
  type SlaReport,
  verdictOf,
} from '../../src/sla/report-model';
import { CHROMIUM } from '../helpers/browser';

const ARTIFACTS = fileURLToPath(new URL('../../build/test-artifacts/', import.meta.url));
const CHART_IDS = ['chart-calls', 'chart-latency', 'chart-4xx', 'chart-5xx'];
const BUCKET_SECONDS = 900;
/** REST had no call from 03:00 to 04:00 (buckets 12–15): its latency lines must break there. */
const REST_OUTAGE = [12, 13, 14, 15];

/** A day of 15-minute buckets with a daily traffic curve, a GraphQL latency spike and an outage. */
function aDayReport(): SlaReport {
  const from = Date.parse('2026-09-01T00:00:00Z');
  const bucketStarts = Array.from({ length: 96 }, (_, i) => new Date(from + i * BUCKET_SECONDS * 1000).toISOString());
  const seriesOf = (api: ApiName): ReportBucket[] =>
    bucketStarts.map((start, i) => {
      const traffic = 0.55 - 0.45 * Math.cos((2 * Math.PI * i) / 96);
      const calls =
        api === 'rest' && REST_OUTAGE.includes(i) ? 0 : Math.round((api === 'graphql' ? 9000 : 2500) * traffic);
      const spike = api === 'graphql' && i >= 60 && i <= 62 ? 6 : 1;
      const wobble = 1 + 0.15 * Math.sin(i * 1.7);
      return {
        start,
        calls,
        errors4xx: Math.round(calls * 0.004 * wobble),
        errors5xx: i % 17 === 5 ? 3 + (i % 4) : 0,
        p50: calls === 0 ? null : (api === 'graphql' ? 18 : 24) * wobble,
        p99: calls === 0 ? null : (api === 'graphql' ? 160 : 210) * wobble * spike,
        p99_8: calls === 0 ? null : (api === 'graphql' ? 320 : 380) * wobble * spike,
      };
    });
  const series = { graphql: seriesOf('graphql'), rest: seriesOf('rest') };
  const summaryOf = (buckets: readonly ReportBucket[], over: number, withPercentiles: boolean): ReportSummary => {
    const calls = buckets.reduce((n, b) => n + b.calls, 0);
    const errors4xx = buckets.reduce((n, b) => n + b.errors4xx, 0);
    const errors5xx = buckets.reduce((n, b) => n + b.errors5xx, 0);
    const positive = calls - errors4xx - errors5xx;
    const p = (v: number) => (withPercentiles ? v : null);
    return {
      calls,
      errors4xx,
      errors5xx,
      p50: p(19.4),
      p90: p(61.2),
      p99: p(188),
      p99_8: p(402),
      p99_9: p(733),
      max: p(4210.5),
      positive,
      positiveWithinThreshold: positive - over,
    };
  };
  const graphql = summaryOf(series.graphql, 120, true);
  const rest = summaryOf(series.rest, 9, true);
  const total = summaryOf([...series.graphql, ...series.rest], 129, false);
  return {
    title: 'ScoreDrive SLA report',
    stage: 'prod',
    source: 'cloudwatch',
    sourceDetail: 'eu-west-1, AppSync API abcdefghijklmnopqrstuvwxyz, REST API 0a1b2c3d4e',
    from: bucketStarts[0] ?? '',
    to: new Date(from + 86_400_000).toISOString(),
    bucketSeconds: BUCKET_SECONDS,
    generatedAt: '2026-09-02T06:00:00.000Z',
    bucketStarts,
    series,
    summary: { graphql, rest, total },
    verdict: verdictOf(
      API_NAMES.map((api) => (api === 'graphql' ? graphql : rest)),
      1000,
      0.998,
    ),
    notes: [
      'Latency is CloudWatch’s: AppSync Latency and API Gateway IntegrationLatency, per API.',
      'Percentiles over both APIs together cannot be derived from CloudWatch statistics.',
    ],
  };
}

describe.runIf(existsSync(CHROMIUM))('the SLA report page', () => {
  let dir: string;
  let url: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scoredrive-report-'));
    const file = join(dir, 'sla-report.html');
    writeFileSync(file, renderReportHtml(aDayReport()));
    url = pathToFileURL(file).href;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens offline, draws the four charts, shows the verdict, and is kept as a screenshot', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const offsite: string[] = [];
      await page.route('**/*', async (route) => {
        if (route.request().url().startsWith('file://')) return route.continue();
        offsite.push(route.request().url());
        return route.abort();
      });
      page.on('request', (request) => {
        if (!request.url().startsWith('file://')) offsite.push(request.url());
      });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));

      await page.goto(url, { waitUntil: 'load' });
      // String expressions: this code runs in the page, not under Node's types.
      await page.waitForFunction(
        `document.body.dataset.chartsReady === 'true' && ${JSON.stringify(CHART_IDS)}.every((id) => {
          const chart = Chart.getChart(document.getElementById(id));
          return chart !== undefined && chart.data.datasets.length > 0 && chart.data.datasets.every((d) => d.data.length > 0);
        })`,
      );
      const charts = (await page.evaluate(
        `${JSON.stringify(CHART_IDS)}.map((id) => {
          const canvas = document.getElementById(id);
          const chart = Chart.getChart(canvas);
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
          return {
            id,
            datasets: chart.data.datasets.length,
            points: chart.data.labels.length,
            painted,
            width: canvas.getBoundingClientRect().width,
          };
        })`,
      )) as { id: string; datasets: number; points: number; painted: number; width: number }[];
      expect(charts.map((c) => [c.id, c.datasets, c.points])).toEqual([
        ['chart-calls', 2, 96],
        ['chart-latency', 7, 96],
        ['chart-4xx', 2, 96],
        ['chart-5xx', 2, 96],
      ]);
      for (const chart of charts) {
        expect(chart.painted, `${chart.id} is drawn`).toBeGreaterThan(5000);
        expect(chart.width, `${chart.id} is readable`).toBeGreaterThan(500);
      }
      // REST p50 (dataset 3): the outage buckets are skipped points, a gap in the line.
      const skipped = await page.evaluate(
        `Chart.getChart(document.getElementById('chart-latency')).getDatasetMeta(3).data
          .map((point, i) => point.skip ? i : -1).filter((i) => i >= 0)`,
      );
      expect(skipped).toEqual(REST_OUTAGE);
      // Latency on a log scale, reaching up to the 1,000 ms threshold line.
      const latencyAxis = (await page.evaluate(
        `(() => { const y = Chart.getChart(document.getElementById('chart-latency')).scales.y; return { type: y.type, max: y.max }; })()`,
      )) as { type: string; max: number };
      expect(latencyAxis.type).toBe('logarithmic');
      expect(latencyAxis.max).toBeGreaterThanOrEqual(1000);

      const headline = page.locator('.verdict-headline');
      expect(await headline.isVisible()).toBe(true);
      expect(await headline.textContent()).toMatch(
        /^99\.9\d*% of positive answers within 1,000 ms — target 99\.8% — MET$/,
      );
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

      mkdirSync(ARTIFACTS, { recursive: true });
      const screenshot = join(ARTIFACTS, 'sla-report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(50_000);

      expect(offsite).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
