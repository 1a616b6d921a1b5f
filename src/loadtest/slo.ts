/**
 * Service-level objectives the bench checks at the end of a run: `p99.8<1000` (latency
 * percentile, ms unless `s` is given), `max<=2s`, `mean<50`, `errors<0.1%` (or a count,
 * `errors<=3`), `over1s<0.2%` (answers slower than 1 s), `rps>=100`. A run with no successful
 * answer misses every latency objective: nothing measured is not a pass.
 */
import { formatMs, formatShare, parseDuration } from './units';
import { UsageError } from './usage';

export type Slo =
  | {
      readonly text: string;
      readonly metric: 'latency';
      /** A percentile (0-100], or the maximum or mean. */
      readonly statistic: number | 'max' | 'mean';
      readonly op: '<' | '<=';
      readonly limitMs: number;
    }
  | {
      readonly text: string;
      readonly metric: 'errors';
      readonly op: '<' | '<=';
      readonly limit: number;
      readonly share: boolean;
    }
  | {
      readonly text: string;
      readonly metric: 'over';
      readonly thresholdMs: number;
      readonly op: '<' | '<=';
      readonly limit: number;
      readonly share: boolean;
    }
  | { readonly text: string; readonly metric: 'rps'; readonly op: '>' | '>='; readonly limit: number };

const EXAMPLES = 'e.g. p99.8<1000, p99<=250ms, max<2s, errors<0.1%, over1s<0.2%, rps>=100';

function malformed(text: string, why: string): UsageError {
  return new UsageError(`invalid SLO "${text}": ${why} (${EXAMPLES})`);
}

function latencyLimit(text: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(value);
  if (!match) throw malformed(text, `"${value}" is not a latency in ms`);
  return Number(match[1]) * (match[2]?.toLowerCase() === 's' ? 1000 : 1);
}

function countOrShare(text: string, value: string): { limit: number; share: boolean } {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(value);
  if (!match) throw malformed(text, `"${value}" is neither a percentage nor a count`);
  if (match[2]) {
    const share = Number(match[1]) / 100;
    if (share > 1) throw malformed(text, 'a share cannot exceed 100%');
    return { limit: share, share: true };
  }
  if (!Number.isInteger(Number(match[1]))) throw malformed(text, 'a count is a whole number (add % for a share)');
  return { limit: Number(match[1]), share: false };
}

/** One objective. */
export function parseSlo(input: string): Slo {
  const text = input.trim();
  const match = /^([a-z][a-z0-9.]*)\s*(<=|>=|<|>)\s*(\S(?:.*\S)?)$/i.exec(text);
  if (!match) throw malformed(text, 'expected <metric><operator><limit>');
  const [, rawMetric, rawOp, value] = match;
  const op = rawOp as '<' | '<=' | '>' | '>=';
  const metric = rawMetric.toLowerCase();
  const upper = op === '<' || op === '<=';

  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(metric);
  if (percentile || metric === 'max' || metric === 'mean') {
    if (!upper) throw malformed(text, 'a latency objective is an upper bound: use < or <=');
    let statistic: number | 'max' | 'mean' = metric as 'max' | 'mean';
    if (percentile) {
      statistic = Number(percentile[1]);
      if (!(statistic > 0 && statistic <= 100)) throw malformed(text, 'a percentile is above 0 and at most 100');
    }
    return { text, metric: 'latency', statistic, op: op as '<' | '<=', limitMs: latencyLimit(text, value) };
  }
  if (metric === 'errors') {
    if (!upper) throw malformed(text, 'an error objective is an upper bound: use < or <=');
    return { text, metric: 'errors', op: op as '<' | '<=', ...countOrShare(text, value) };
  }
  const over = /^over(.+)$/.exec(metric);
  if (over) {
    if (!upper) throw malformed(text, 'an objective on slow answers is an upper bound: use < or <=');
    let thresholdMs: number;
    try {
      thresholdMs = parseDuration(over[1]);
    } catch {
      throw malformed(text, `"${over[1]}" is not a duration (over1s, over500ms)`);
    }
    if (thresholdMs <= 0) throw malformed(text, 'the threshold must be above 0');
    return { text, metric: 'over', thresholdMs, op: op as '<' | '<=', ...countOrShare(text, value) };
  }
  if (metric === 'rps') {
    if (upper) throw malformed(text, 'a throughput objective is a lower bound: use > or >=');
    const limit = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value)) throw malformed(text, `"${value}" is not a number of requests per second`);
    return { text, metric: 'rps', op: op as '>' | '>=', limit };
  }
  throw malformed(text, `unknown metric "${rawMetric}"`);
}

/** Every objective of repeated and comma-separated `--slo` values. */
export function parseSlos(values: readonly string[]): Slo[] {
  const parts = values.flatMap((value) => value.split(',')).map((part) => part.trim());
  // A stray comma is forgiven; an objective that is nothing but blanks is not.
  if (values.length > 0 && parts.every((part) => part === '')) return [parseSlo('')];
  return parts.filter((part) => part !== '').map(parseSlo);
}

/** What a verdict is computed from: the figures of the measured part of a run. */
export interface SloFigures {
  readonly count: number;
  readonly ok: number;
  readonly answered: number;
  /** The latency sample: answers, time-outs and overload skips. */
  readonly timed: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  /** Latency at a percentile, the max or the mean, in ms (NaN with no sample). */
  latency(statistic: number | 'max' | 'mean'): number;
  /** Answers slower than `thresholdMs` (strictly), exact. */
  over(thresholdMs: number): number;
}

export interface SloVerdict {
  readonly slo: string;
  readonly met: boolean;
  /** The measured value in `unit`; null when nothing could be measured. */
  readonly actual: number | null;
  readonly limit: number;
  readonly unit: 'ms' | 'share' | 'count' | 'req/s';
  /** One line for people: the figure, and by how much it missed. */
  readonly summary: string;
}

/** The thresholds `over…` objectives need counted exactly during the run. */
export function overThresholds(slos: readonly Slo[]): number[] {
  return slos.flatMap((slo) => (slo.metric === 'over' ? [slo.thresholdMs] : []));
}

const holds = (actual: number, op: string, limit: number) =>
  op === '<' ? actual < limit : op === '<=' ? actual <= limit : op === '>' ? actual > limit : actual >= limit;

const fmt = (value: number, unit: SloVerdict['unit']): string => {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'share') return formatShare(value);
  if (unit === 'req/s') return `${value.toFixed(1)} req/s`;
  return String(value);
};

function verdict(slo: Slo, actual: number | null, limit: number, unit: SloVerdict['unit'], detail = ''): SloVerdict {
  if (actual === null || Number.isNaN(actual)) {
    return { slo: slo.text, met: false, actual: null, limit, unit, summary: `missed: ${detail || 'nothing measured'}` };
  }
  const met = holds(actual, slo.op, limit);
  const shown = `${fmt(actual, unit)}${detail}`;
  if (met) return { slo: slo.text, met, actual, limit, unit, summary: `met: ${shown}` };
  const gap = Math.abs(actual - limit);
  const by =
    gap === 0
      ? `at the limit, needs ${slo.op} ${fmt(limit, unit)}`
      : `${fmt(gap, unit)} ${slo.op.startsWith('>') ? 'under' : 'over'} the limit of ${fmt(limit, unit)}${
          unit === 'ms' || unit === 'req/s' ? ` (${((100 * gap) / limit).toFixed(0)}%)` : ''
        }`;
  return { slo: slo.text, met, actual, limit, unit, summary: `MISSED: ${shown}, ${by}` };
}

export function evaluateSlo(slo: Slo, figures: SloFigures): SloVerdict {
  switch (slo.metric) {
    case 'latency':
      if (figures.ok === 0) return verdict(slo, null, slo.limitMs, 'ms', 'no successful answer to measure');
      return verdict(slo, figures.latency(slo.statistic), slo.limitMs, 'ms');
    case 'errors':
      if (figures.count === 0) return verdict(slo, null, slo.limit, slo.share ? 'share' : 'count', 'no request sent');
      return slo.share
        ? verdict(slo, figures.errors / figures.count, slo.limit, 'share', ` (${figures.errors} of ${figures.count})`)
        : verdict(slo, figures.errors, slo.limit, 'count', ` of ${figures.count}`);
    case 'over': {
      if (figures.ok === 0) {
        return verdict(slo, null, slo.limit, slo.share ? 'share' : 'count', 'no successful answer to measure');
      }
      const over = figures.over(slo.thresholdMs);
      return slo.share
        ? verdict(slo, over / figures.timed, slo.limit, 'share', ` (${over} of ${figures.timed})`)
        : verdict(slo, over, slo.limit, 'count', ` of ${figures.timed}`);
    }
    case 'rps':
      return verdict(slo, figures.requestsPerSecond, slo.limit, 'req/s');
  }
}

export function evaluateSlos(slos: readonly Slo[], figures: SloFigures): SloVerdict[] {
  return slos.map((slo) => evaluateSlo(slo, figures));
}
