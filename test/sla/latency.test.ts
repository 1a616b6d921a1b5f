/** Percentile maths of the bench and the report, against distributions whose quantiles are known. */
import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../src/sla/latency';

/** Exact nearest-rank percentile of sorted values. */
function exact(sorted: number[], percent: number): number {
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)];
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PERCENTS = [50, 90, 99, 99.8, 99.9];

describe('LatencyRecorder', () => {
  it('gives the percentiles of 1..1000 ms to within 0.1%', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms += 1) recorder.record(ms);
    const s = recorder.summary();
    expect(s.count).toBe(1000);
    for (const [got, want] of [
      [s.p50, 500],
      [s.p90, 900],
      [s.p99, 990],
      [s.p99_8, 998],
      [s.p99_9, 999],
    ]) {
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(want * 1.001);
    }
    expect(s.max).toBe(1000);
    expect(s.mean).toBeCloseTo(500.5, 0);
  });

  it('matches exact percentiles of a long-tailed (log-normal) sample to within 0.1%', () => {
    const next = random(42);
    const values: number[] = [];
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 200_000; i += 1) {
      // Box-Muller: median e^1.5 ≈ 4.5 ms, a tail reaching hundreds of ms, like a real service.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      const ms = Math.exp(1.5 + 0.9 * normal);
      values.push(ms);
      recorder.record(ms);
    }
    values.sort((a, b) => a - b);
    for (const percent of PERCENTS) {
      const want = exact(values, percent);
      expect(Math.abs(recorder.percentile(percent) - want) / want, `p${percent}`).toBeLessThan(0.001);
    }
    expect(recorder.percentile(100)).toBe(values[values.length - 1]);
  });

  it('reads p99.8 off a bimodal sample where 0.3% of answers are slow', () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 9970; i += 1) recorder.record(5);
    for (let i = 0; i < 30; i += 1) recorder.record(1500);
    // 99.7% are fast, so p99.7 is fast and p99.8 is slow: the SLA's percentile is the slow one.
    expect(recorder.percentile(99.7)).toBeCloseTo(5, 1);
    expect(recorder.percentile(99.8)).toBeGreaterThanOrEqual(1500);
    expect(recorder.overThreshold).toBe(30);
  });

  it('counts answers over 1000 ms exactly: 1000 ms itself is within', () => {
    const recorder = new LatencyRecorder();
    for (const ms of [999.99, 1000, 1000.01, 1000.5, 2000]) recorder.record(ms);
    expect(recorder.overThreshold).toBe(3);
  });

  it('merges recorders as if all samples went to one', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    const all = new LatencyRecorder();
    for (let ms = 1; ms <= 500; ms += 1) {
      a.record(ms);
      all.record(ms);
    }
    for (let ms = 501; ms <= 2000; ms += 1) {
      b.record(ms);
      all.record(ms);
    }
    b.add(a);
    expect(b.summary()).toEqual(all.summary());
  });

  it('keeps coarse recorders within 1%', () => {
    const recorder = new LatencyRecorder({ coarse: true });
    for (let ms = 1; ms <= 1000; ms += 1) recorder.record(ms);
    for (const [percent, want] of [
      [50, 500],
      [99, 990],
      [99.8, 998],
    ]) {
      expect(recorder.percentile(percent)).toBeGreaterThanOrEqual(want);
      expect(recorder.percentile(percent)).toBeLessThanOrEqual(want * 1.01);
    }
  });

  it('says NaN, not 0, when there is nothing to measure, and refuses nonsense', () => {
    const s = new LatencyRecorder().summary();
    expect(s.count).toBe(0);
    expect(s.p99_8).toBeNaN();
    expect(s.max).toBeNaN();
    expect(() => new LatencyRecorder().record(-1)).toThrow(RangeError);
    expect(() => new LatencyRecorder().record(Number.NaN)).toThrow(RangeError);
  });
});
