/**
 * One bench run, wired: pick a driver, build and authenticate its request, send it, check the
 * answer, tally it; the scheduler decides when. Returns the result (no driverId in it).
 */
import type { Auth } from './auth';
import { checkAnswer, NO_ANSWER, type Outcome } from './check';
import { createHttpClient } from './http-client';
import { createDriverPicker, createRedactor } from './ids';
import type { ProgressFigures } from './progress';
import { type BenchResult, finiteOrNull, machineInfo } from './result';
import { type LoadMode, runLoop } from './scheduler';
import { evaluateSlos, overThresholds, type Slo } from './slo';
import { RunStats } from './stats';
import type { Target } from './target';

export interface DriverIdSet {
  readonly ids: readonly string[];
  readonly source: 'demo' | 'file';
  readonly file?: string;
  readonly demo?: { readonly drivers: number; readonly months: number; readonly seed: number };
}

export interface BenchConfig {
  readonly target: Target;
  readonly auth: Auth;
  readonly driverIds: DriverIdSet;
  /** Share of requests for made-up drivers (expected: null / 404). */
  readonly unknownShare: number;
  readonly mode: LoadMode;
  /** The rate as the user wrote it (fixed-rate mode). */
  readonly rateText?: string;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly slos: readonly Slo[];
  readonly signal?: AbortSignal;
  /** Called about every second. */
  readonly onProgress?: (figures: ProgressFigures) => void;
}

export async function runBench(config: BenchConfig): Promise<BenchResult> {
  const { target, auth, mode } = config;
  const client = createHttpClient(target.origin, mode.kind === 'rate' ? mode.maxInFlight : mode.connections);
  const stats = new RunStats(overThresholds(config.slos), createRedactor(config.driverIds.ids), config.timeoutMs);
  const pick = createDriverPicker(config.driverIds.ids, config.unknownShare);

  const execute = async () => {
    const { driverId, exists } = pick();
    let outcome: Outcome;
    try {
      const request = await auth.apply(target.request(driverId));
      const reply = await client.send(request, config.timeoutMs);
      outcome =
        reply.kind === 'answer'
          ? checkAnswer(target.api, driverId, exists, reply.status, reply.body)
          : reply.kind === 'timeout'
            ? NO_ANSWER.timeout(config.timeoutMs)
            : NO_ANSWER.network(reply.message);
    } catch (error) {
      // Only signing can throw here (credentials that cannot be refreshed).
      outcome = { ok: false, answered: false, kind: 'signing', detail: (error as Error).message };
    }
    return { outcome, driverId };
  };

  const started = new Date();
  const loopStart = performance.now();
  const measureFrom = loopStart + config.warmupMs;
  const progress = config.onProgress
    ? setInterval(() => {
        const now = performance.now();
        const warm = now < measureFrom;
        const seconds = (now - (warm ? loopStart : measureFrom)) / 1000;
        config.onProgress?.({
          phase: warm ? 'warm-up' : 'measuring',
          elapsedSeconds: seconds,
          totalSeconds: (warm ? config.warmupMs : config.durationMs) / 1000,
          count: stats.count,
          requestsPerSecond: warm || seconds <= 0 ? 0 : stats.answered / seconds,
          p99: stats.latency.percentile(99),
          errors: stats.errorCount,
        });
      }, 1000)
    : undefined;
  let timing: Awaited<ReturnType<typeof runLoop>>;
  try {
    timing = await runLoop(
      { mode, warmupMs: config.warmupMs, durationMs: config.durationMs, signal: config.signal },
      execute,
      (outcome, latencyMs, driverId) => stats.record(outcome, latencyMs, driverId),
    );
  } finally {
    if (progress) clearInterval(progress);
    await client.close();
  }
  const ended = new Date();

  const measuredSeconds = Math.max(0, (timing.measureTo - timing.measureFrom) / 1000);
  const requestsPerSecond = measuredSeconds > 0 ? stats.answered / measuredSeconds : 0;
  const summary = stats.latency.summary();
  const slo = evaluateSlos(config.slos, {
    count: stats.count,
    ok: stats.ok,
    answered: stats.answered,
    timed: stats.timed,
    errors: stats.errorCount,
    requestsPerSecond,
    latency: (statistic) =>
      statistic === 'max' ? summary.max : statistic === 'mean' ? summary.mean : stats.latency.percentile(statistic),
    over: (thresholdMs) => stats.over(thresholdMs),
  });
  const sorted = <T>(map: Map<string, T>) => Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
  return {
    url: target.displayUrl,
    api: target.api,
    auth: auth.kind,
    mode: mode.kind,
    rate: mode.kind === 'rate' ? { perSecond: mode.perSecond, text: config.rateText ?? `${mode.perSecond}/s` } : null,
    connections: mode.kind === 'connections' ? mode.connections : null,
    maxInFlight: mode.kind === 'rate' ? mode.maxInFlight : null,
    durationSeconds: config.durationMs / 1000,
    warmupSeconds: config.warmupMs / 1000,
    timeoutMs: config.timeoutMs,
    measuredSeconds: finiteOrNull(measuredSeconds) ?? 0,
    interrupted: timing.interrupted,
    driverIds: {
      source: config.driverIds.source,
      count: config.driverIds.ids.length,
      unknownShare: config.unknownShare,
      ...(config.driverIds.file ? { file: config.driverIds.file } : {}),
      ...(config.driverIds.demo ? { demo: config.driverIds.demo } : {}),
    },
    count: stats.count,
    ok: stats.ok,
    answered: stats.answered,
    timed: stats.timed,
    errors: sorted(stats.errors),
    errorSamples: sorted(stats.samples),
    requestsPerSecond: finiteOrNull(requestsPerSecond, 2) ?? 0,
    latencyMs: {
      p50: finiteOrNull(summary.p50),
      p90: finiteOrNull(summary.p90),
      p99: finiteOrNull(summary.p99),
      p99_8: finiteOrNull(summary.p99_8),
      p99_9: finiteOrNull(summary.p99_9),
      max: finiteOrNull(summary.max),
      mean: finiteOrNull(summary.mean),
    },
    over1000ms: { count: summary.overThreshold, share: stats.timed ? summary.overThreshold / stats.timed : null },
    slo,
    passed: stats.ok > 0 && slo.every((verdict) => verdict.met),
    machine: machineInfo(),
    started: started.toISOString(),
    ended: ended.toISOString(),
  };
}
