/** The SLA report as the terminal shows it: the verdict and the summary table. */
import { formatCount, formatMs, formatPercent, ratioOf } from './format';
import { API_LABELS, API_NAMES, type ReportSummary, type SlaReport } from './report-model';

function verdictLine(report: SlaReport): string {
  const { verdict } = report;
  const target = `target ${formatPercent(verdict.target)} within ${formatCount(verdict.thresholdMs)} ms`;
  if (verdict.met === null) return `SLA: NO DATA — no positive answers in the range (${target})`;
  return `SLA: ${verdict.met ? 'MET' : 'BROKEN'} — ${formatPercent(verdict.share)} of positive answers within ${formatCount(verdict.thresholdMs)} ms (${target})`;
}

export function reportText(report: SlaReport): string {
  const header = ['', 'calls', '4xx', '5xx', 'p50 ms', 'p99 ms', 'p99.8 ms', 'max ms', 'within SLA'];
  const row = (label: string, s: ReportSummary) => [
    label,
    formatCount(s.calls),
    formatCount(s.errors4xx),
    formatCount(s.errors5xx),
    formatMs(s.p50),
    formatMs(s.p99),
    formatMs(s.p99_8),
    formatMs(s.max),
    formatPercent(ratioOf(s.positiveWithinThreshold, s.positive)),
  ];
  const rows = [
    header,
    ...API_NAMES.map((api) => row(API_LABELS[api], report.summary[api])),
    row('Total', report.summary.total),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
  );
  return [
    `${report.title} · stage ${report.stage} · ${report.from} – ${report.to} · ${report.sourceDetail}`,
    ...table,
    verdictLine(report),
    ...report.notes.map((note) => `note: ${note}`),
  ].join('\n');
}
