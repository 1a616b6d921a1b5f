import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/sla/report-html';
import type { ReportBucket, ReportSummary, SlaReport } from '../../src/sla/report-model';

function aSummary(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    calls: 12_345,
    errors4xx: 12,
    errors5xx: 2,
    p50: 4.267,
    p90: 45.678,
    p99: 87.6,
    p99_8: 140.2,
    p99_9: 250,
    max: 1234.5,
    positive: 12_331,
    positiveWithinThreshold: 12_325,
    ...overrides,
  };
}

function aBucket(start: string, overrides: Partial<ReportBucket> = {}): ReportBucket {
  return { start, calls: 1200, errors4xx: 3, errors5xx: 1, p50: 12.34, p99: 87.6, p99_8: 140, ...overrides };
}

const STARTS = ['2026-09-01T10:00:00.000Z', '2026-09-01T11:00:00.000Z', '2026-09-01T12:00:00.000Z'];

function aReport(overrides: Partial<SlaReport> = {}): SlaReport {
  return {
    title: 'ScoreDrive SLA report',
    stage: 'prod',
    source: 'access-log',
    sourceDetail: '.scoredrive/access-log',
    from: '2026-09-01T10:00:00.000Z',
    to: '2026-09-01T13:00:00.000Z',
    bucketSeconds: 3600,
    generatedAt: '2026-09-02T08:15:30.000Z',
    bucketStarts: STARTS,
    series: {
      // The middle bucket had no GraphQL call: its percentiles are null.
      graphql: [
        aBucket(STARTS[0]),
        aBucket(STARTS[1], { calls: 0, errors4xx: 0, errors5xx: 0, p50: null, p99: null, p99_8: null }),
        aBucket(STARTS[2]),
      ],
      rest: STARTS.map((s) => aBucket(s, { calls: 300, p50: 20 })),
    },
    summary: {
      graphql: aSummary(),
      rest: aSummary({ calls: 2000, errors4xx: 40, errors5xx: 0, positive: 1960, positiveWithinThreshold: 1960 }),
      total: aSummary({
        calls: 14_345,
        errors4xx: 52,
        errors5xx: 2,
        p50: null,
        p90: null,
        p99: null,
        p99_8: null,
        p99_9: null,
        max: null,
        positive: 14_291,
        positiveWithinThreshold: 14_285,
      }),
    },
    verdict: { thresholdMs: 1000, target: 0.998, share: 14_285 / 14_291, met: true },
    notes: ['Latency is measured at the offline server, from request to response.'],
    ...overrides,
  };
}

/** The text of each cell of the summary row headed `label`. */
function summaryRow(page: string, label: string): string[] {
  const table = page.slice(page.indexOf('<table id="summary">'), page.indexOf('</table>'));
  const row = table.split('<tr').find((r) => r.includes(`<th scope="row">${label}</th>`));
  if (row === undefined) throw new Error(`no summary row ${label}`);
  return [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1] ?? '');
}

function embeddedData(page: string): any {
  const json = /<script type="application\/json" id="sla-report-data">(.*?)<\/script>/s.exec(page)?.[1];
  if (json === undefined) throw new Error('no embedded data');
  return JSON.parse(json);
}

function verdictHeadline(page: string): string {
  return /<p class="verdict-headline">(.*?)<\/p>/.exec(page)?.[1] ?? '';
}

describe('renderReportHtml', () => {
  it('makes one page with no reference outside itself', () => {
    const page = renderReportHtml(aReport());

    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
    expect(page).not.toMatch(/@import|<link[^>]+stylesheet|<script[^>]+src=/i);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(page).not.toContain('sourceMappingURL');
  });

  it('inlines the Chart.js bundle and has a canvas for each of the four charts', () => {
    const page = renderReportHtml(aReport());

    expect(page).toMatch(/Chart\.js v4\.\d+\.\d+/);
    expect(page.length).toBeGreaterThan(200_000);
    for (const id of ['chart-calls', 'chart-latency', 'chart-4xx', 'chart-5xx']) {
      expect(page).toContain(`<canvas id="${id}"`);
    }
  });

  it('shows the header: title, stage, range, source, generated at and bucket length', () => {
    const page = renderReportHtml(aReport());

    expect(page).toContain('<h1>ScoreDrive SLA report</h1>');
    expect(page).toContain('<strong>prod</strong>');
    expect(page).toContain('2026-09-01 10:00 UTC → 2026-09-01 13:00 UTC');
    expect(page).toContain('Access log (offline runtime)');
    expect(page).toContain('.scoredrive/access-log');
    expect(page).toContain('2026-09-02 08:15:30 UTC');
    expect(page).toContain('<dd>1 h</dd>');
  });

  it('fills the summary table with readable numbers, a dash where there is none', () => {
    const page = renderReportHtml(aReport());

    expect(summaryRow(page, 'GraphQL (AppSync)')).toEqual([
      '12,345',
      '12',
      '0.097%',
      '2',
      '0.016%',
      '4.27',
      '45.7',
      '87.6',
      '140',
      '250',
      '1,235',
      '12,331',
      '12,325',
      '99.951%',
    ]);
    expect(summaryRow(page, 'REST (API Gateway)').slice(0, 5)).toEqual(['2,000', '40', '2%', '0', '0%']);
    expect(summaryRow(page, 'Total')).toEqual([
      '14,345',
      '52',
      '0.362%',
      '2',
      '0.013%',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      '14,291',
      '14,285',
      '99.958%',
    ]);
  });

  it('states a met SLA with its share, threshold, target and counts', () => {
    const page = renderReportHtml(aReport({ verdict: { thresholdMs: 1000, target: 0.998, share: 0.9995, met: true } }));

    expect(verdictHeadline(page)).toBe('99.95% of positive answers within 1,000 ms — target 99.8% — MET');
    expect(page).toContain('class="verdict verdict-met"');
    expect(page).toContain('14,285 of 14,291 positive answers within 1,000 ms; 6 over.');
  });

  it('states a broken SLA without rounding the share up to the target', () => {
    const page = renderReportHtml(
      aReport({ verdict: { thresholdMs: 1000, target: 0.998, share: 0.997999, met: false } }),
    );

    expect(verdictHeadline(page)).toBe('99.799% of positive answers within 1,000 ms — target 99.8% — BROKEN');
    expect(page).toContain('class="verdict verdict-broken"');
  });

  it('never shows a share under 100% as 100%', () => {
    const page = renderReportHtml(
      aReport({ verdict: { thresholdMs: 1000, target: 0.998, share: 0.99995, met: true } }),
    );

    expect(verdictHeadline(page)).toMatch(/^99\.995% /);
  });

  it('says NO DATA when there is no positive answer to judge', () => {
    const empty = aSummary({ calls: 0, errors4xx: 0, errors5xx: 0, positive: 0, positiveWithinThreshold: 0 });
    const page = renderReportHtml(
      aReport({
        summary: { graphql: empty, rest: empty, total: empty },
        verdict: { thresholdMs: 1000, target: 0.998, share: null, met: null },
      }),
    );

    expect(verdictHeadline(page)).toBe('No positive answers in the range — target 99.8% — NO DATA');
    expect(page).toContain('class="verdict verdict-nodata"');
    expect(summaryRow(page, 'Total').at(2)).toBe('—');
  });

  it('lists the notes, and leaves the section out when there are none', () => {
    expect(renderReportHtml(aReport())).toContain(
      '<li>Latency is measured at the offline server, from request to response.</li>',
    );
    expect(renderReportHtml(aReport({ notes: [] }))).not.toContain('id="notes-heading"');
  });

  it('embeds per-API datasets on compact UTC labels, with gaps where a bucket had no call', () => {
    const { axis, charts, report } = embeddedData(renderReportHtml(aReport()));

    expect(report.stage).toBe('prod');
    expect(axis.labels).toEqual(['10:00', '11:00', '12:00']);
    expect(axis.title).toBe('Bucket start (UTC, 1 Sep, 2026)');
    expect(axis.titles[0]).toBe('2026-09-01 10:00 UTC');
    const byId = Object.fromEntries(charts.map((c: any) => [c.id, c]));
    expect(byId['chart-calls'].datasets.map((d: any) => [d.label, d.data])).toEqual([
      ['GraphQL (AppSync)', [1200, 0, 1200]],
      ['REST (API Gateway)', [300, 300, 300]],
    ]);
    const latency = byId['chart-latency'].datasets;
    expect(latency.map((d: any) => d.label)).toEqual([
      'GraphQL (AppSync) p50',
      'GraphQL (AppSync) p99',
      'GraphQL (AppSync) p99.8',
      'REST (API Gateway) p50',
      'REST (API Gateway) p99',
      'REST (API Gateway) p99.8',
      'SLA threshold (1,000 ms)',
    ]);
    expect(latency[0].data).toEqual([12.34, null, 12.34]);
    expect(latency[0].spanGaps).toBe(false);
    expect(latency[6].data).toEqual([1000, 1000, 1000]);
    expect(byId['chart-4xx'].datasets.map((d: any) => d.data)).toEqual([
      [3, 0, 3],
      [3, 3, 3],
    ]);
    expect(byId['chart-5xx'].type).toBe('bar');
  });

  it('labels buckets across days with the day, and day buckets with the day alone', () => {
    const acrossDays = ['2026-09-01T23:00:00.000Z', '2026-09-02T00:00:00.000Z'];
    const days = ['2026-09-01T00:00:00.000Z', '2026-09-02T00:00:00.000Z'];

    expect(embeddedData(renderReportHtml(aReport({ bucketStarts: acrossDays }))).axis.labels).toEqual([
      '1 Sep 23:00',
      '2 Sep 00:00',
    ]);
    const daily = embeddedData(renderReportHtml(aReport({ bucketStarts: days, bucketSeconds: 86_400 }))).axis;
    expect(daily.labels).toEqual(['1 Sep', '2 Sep']);
    expect(daily.title).toBe('Day (UTC, 2026)');
  });

  it('keeps markup in report values as text, in the page and in the embedded data', () => {
    const attack = '</script><script>alert(1)</script>';
    const page = renderReportHtml(
      aReport({
        title: attack,
        stage: attack,
        sourceDetail: `<img src=x onerror=alert(1)> & \u2028${attack}`,
        notes: [attack],
      }),
    );

    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    // Only the page's own three scripts open and close.
    expect(page.match(/<script/g)).toHaveLength(3);
    expect(page.match(/<\/script>/g)).toHaveLength(3);
    expect(page).toContain('<strong>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    const open = '<script type="application/json" id="sla-report-data">';
    const json = page.slice(page.indexOf(open) + open.length, page.indexOf('</script>'));
    expect(json).not.toMatch(/[<>&\u2028]/);
    const { report } = embeddedData(page);
    expect(report.stage).toBe(attack);
    expect(report.sourceDetail).toBe(`<img src=x onerror=alert(1)> & \u2028${attack}`);
  });
});
