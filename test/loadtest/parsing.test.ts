/** How the bench reads what a user types: rates, durations, shares and SLOs, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { evaluateSlos, parseSlo, parseSlos, type SloFigures } from '../../src/loadtest/slo';
import { parseDuration, parseRate, parseShare } from '../../src/loadtest/units';
import { UsageError } from '../../src/loadtest/usage';

describe('parseRate', () => {
  it('reads requests per second, minute and hour', () => {
    expect(parseRate('500/min').perSecond).toBeCloseTo(500 / 60);
    expect(parseRate('20/s').perSecond).toBe(20);
    expect(parseRate('3600/h').perSecond).toBe(1);
    expect(parseRate(' 2.5 / sec ').perSecond).toBe(2.5);
    expect(parseRate('600/minute').text).toBe('600/min');
  });

  it.each(['500', '500/fortnight', '/min', 'fast', '0/s', '-5/s', '5//s'])('refuses %j with an example', (text) => {
    expect(() => parseRate(text)).toThrow(UsageError);
    expect(() => parseRate(text)).toThrow(/500\/min|above 0/);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m and h', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('0')).toBe(0);
  });

  it.each(['30', '2 weeks', 's', '-1s', '1.s', ''])('refuses %j, naming the option', (text) => {
    expect(() => parseDuration(text, '--duration')).toThrow(/invalid --duration .*e\.g\. 500ms, 30s, 2m, 1h/);
  });
});

describe('parseShare', () => {
  it('reads fractions and percentages', () => {
    expect(parseShare('0.01')).toBe(0.01);
    expect(parseShare('1%')).toBe(0.01);
    expect(parseShare('0')).toBe(0);
  });

  it.each(['1.5', '150%', 'some', '-0.1'])('refuses %j', (text) => {
    expect(() => parseShare(text)).toThrow(UsageError);
  });
});

describe('parseSlo', () => {
  it('reads latency percentiles with < or <=, in ms or s', () => {
    expect(parseSlo('p99.8<1000')).toMatchObject({ metric: 'latency', statistic: 99.8, op: '<', limitMs: 1000 });
    expect(parseSlo('p99 <= 250ms')).toMatchObject({ statistic: 99, op: '<=', limitMs: 250 });
    expect(parseSlo('p50<1.5s')).toMatchObject({ statistic: 50, limitMs: 1500 });
    expect(parseSlo('max<2s')).toMatchObject({ statistic: 'max', limitMs: 2000 });
    expect(parseSlo('mean<20')).toMatchObject({ statistic: 'mean', limitMs: 20 });
  });

  it('reads error and slow-answer objectives as shares or counts, and throughput', () => {
    expect(parseSlo('errors<0.1%')).toMatchObject({ metric: 'errors', limit: 0.001, share: true });
    expect(parseSlo('errors<=3')).toMatchObject({ metric: 'errors', op: '<=', limit: 3, share: false });
    expect(parseSlo('over1s<0.2%')).toMatchObject({ metric: 'over', thresholdMs: 1000, limit: 0.002, share: true });
    expect(parseSlo('over250ms<=5')).toMatchObject({ metric: 'over', thresholdMs: 250, limit: 5, share: false });
    expect(parseSlo('rps>=100')).toMatchObject({ metric: 'rps', op: '>=', limit: 100 });
  });

  it.each([
    ['p99.8<<1000', /not a latency/],
    ['p99.8>1000', /upper bound/],
    ['p101<5', /at most 100/],
    ['p0<5', /above 0/],
    ['latency<5', /unknown metric "latency"/],
    ['errors<lots', /neither a percentage nor a count/],
    ['errors<0.5', /whole number/],
    ['errors<200%', /cannot exceed 100%/],
    ['overnight<1%', /not a duration/],
    ['rps<100', /lower bound/],
    ['p99', /expected <metric><operator><limit>/],
    ['', /expected <metric><operator><limit>/],
  ])('refuses %j clearly', (text, reason) => {
    expect(() => parseSlo(text)).toThrow(UsageError);
    expect(() => parseSlo(text)).toThrow(reason);
    expect(() => parseSlo(text)).toThrow(/e\.g\. p99\.8<1000/);
  });

  it('takes repeated and comma-separated objectives', () => {
    expect(parseSlos(['p99.8<1000,errors<0.1%', 'over1s<0.2%']).map((s) => s.text)).toEqual([
      'p99.8<1000',
      'errors<0.1%',
      'over1s<0.2%',
    ]);
    expect(() => parseSlos(['p99<1000,p99<<1'])).toThrow(UsageError);
    expect(() => parseSlos([' , '])).toThrow(UsageError);
  });
});

describe('evaluateSlos', () => {
  const figures = (overrides: Partial<SloFigures> = {}): SloFigures => ({
    count: 1000,
    ok: 995,
    answered: 1000,
    timed: 1000,
    errors: 5,
    requestsPerSecond: 8.3,
    latency: (statistic) => (statistic === 'max' ? 1500 : statistic === 'mean' ? 12 : statistic >= 99.8 ? 1200 : 40),
    over: (thresholdMs) => (thresholdMs === 1000 ? 3 : 0),
    ...overrides,
  });

  it('says which objective was missed and by how much', () => {
    const [p998, p99, errors, over, rps] = evaluateSlos(
      parseSlos(['p99.8<1000', 'p99<100', 'errors<0.1%', 'over1s<0.2%', 'rps>=10']),
      figures(),
    );
    expect(p998).toMatchObject({ met: false, actual: 1200, limit: 1000 });
    expect(p998.summary).toMatch(/MISSED: 1,200 ms, 200 ms over the limit of 1,000 ms \(20%\)/);
    expect(p99).toMatchObject({ met: true, actual: 40 });
    expect(errors).toMatchObject({ met: false, actual: 0.005 });
    expect(errors.summary).toMatch(/0\.5% \(5 of 1000\), 0\.4% over the limit of 0\.1%/);
    expect(over).toMatchObject({ met: false, actual: 0.003 });
    expect(rps).toMatchObject({ met: false });
    expect(rps.summary).toMatch(/1\.7 req\/s under the limit/);
  });

  it('treats < as strict and <= as inclusive', () => {
    const at = figures({ latency: () => 1000 });
    expect(evaluateSlos(parseSlos(['p99<1000', 'p99<=1000']), at).map((v) => v.met)).toEqual([false, true]);
  });

  it('fails every latency objective when no answer succeeded', () => {
    const none = figures({ ok: 0, errors: 1000, latency: () => 3 });
    const verdicts = evaluateSlos(parseSlos(['p50<1000', 'max<10s', 'mean<1000', 'over1s<=100%']), none);
    expect(verdicts.every((v) => !v.met)).toBe(true);
    expect(verdicts[0].summary).toMatch(/no successful answer/);
  });
});
