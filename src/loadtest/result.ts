/**
 * A run's result: the figures (as a JSON document with no driverId and no secret) and their
 * human-readable print-out.
 */

import os from 'node:os';
import type { PercentileFigures } from '../sla/latency';
import type { AuthKind } from './auth';
import type { SloVerdict } from './slo';
import type { BenchApi } from './target';
import { formatDuration, formatMs, formatShare } from './units';

export interface LatencyFigures extends PercentileFigures {
  readonly mean: number | null;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
}

export interface BenchResult {
  /** The endpoint called, without credentials or query. */
  readonly url: string;
  readonly api: BenchApi;
  readonly auth: AuthKind;
  readonly mode: 'rate' | 'connections';
  /** Fixed-rate mode: the rate asked for. */
  readonly rate: { readonly perSecond: number; readonly text: string } | null;
  /** Max-throughput mode: concurrent requests. */
  readonly connections: number | null;
  /** Fixed-rate mode: the cap on outstanding requests. */
  readonly maxInFlight: number | null;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly timeoutMs: number;
  /** From the end of the warm-up to the last answer (shorter than asked when interrupted). */
  readonly measuredSeconds: number;
  readonly interrupted: boolean;
  readonly driverIds: {
    readonly source: 'demo' | 'file';
    /** Distinct ids drawn from. */
    readonly count: number;
    readonly unknownShare: number;
    readonly file?: string;
    readonly demo?: { readonly drivers: number; readonly months: number; readonly seed: number };
  };
  /** Requests due in the measured window (sent, or skipped as overload). */
  readonly count: number;
  /** Requests whose answer passed every check. */
  readonly ok: number;
  /** Requests that got an HTTP answer. */
  readonly answered: number;
  /** The latency sample: answers, plus time-outs (at their elapsed time) and overload skips (at the timeout). */
  readonly timed: number;
  readonly errors: Record<string, number>;
  /** The first detail seen for each error kind (driverIds redacted). */
  readonly errorSamples: Record<string, string>;
  /** Answers per second over the measured window. */
  readonly requestsPerSecond: number;
  /** Over the latency sample (`timed`), in ms; null when it is empty. */
  readonly latencyMs: LatencyFigures;
  readonly over1000ms: { readonly count: number; readonly share: number | null };
  readonly slo: readonly SloVerdict[];
  /** Every SLO met, and at least one successful answer. */
  readonly passed: boolean;
  readonly machine: MachineInfo;
  readonly started: string;
  readonly ended: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
  };
}

/** Rounded to `digits` decimals; NaN (no sample) becomes null, as JSON has no NaN. */
export const finiteOrNull = (value: number, digits = 3): number | null =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

const thousands = (n: number) => n.toLocaleString('en-US');

/** The print-out, one line per figure. */
export function formatResult(result: BenchResult, authDescription: string, outFile?: string): string {
  const l = result.latencyMs;
  const mode =
    result.mode === 'rate'
      ? `fixed rate ${result.rate?.text} (${result.rate?.perSecond.toFixed(result.rate.perSecond < 10 ? 2 : 1)} req/s, open loop, at most ${result.maxInFlight} in flight)`
      : `max throughput, ${result.connections} connections (closed loop)`;
  const ids =
    result.driverIds.source === 'demo'
      ? `${thousands(result.driverIds.count)} demo drivers (${result.driverIds.demo?.months} months, seed ${result.driverIds.demo?.seed})`
      : `${thousands(result.driverIds.count)} from ${result.driverIds.file}`;
  const errorKinds = Object.entries(result.errors).sort(([, a], [, b]) => b - a);
  const lines = [
    '',
    `ScoreDrive bench: ${result.api === 'graphql' ? 'GraphQL score(driverId)' : 'REST GET /drivers/{driverId}/score'} at ${result.url}`,
    `  auth        ${authDescription}`,
    `  load        ${mode}`,
    `  time        ${formatDuration(result.durationSeconds * 1000)} after a ${formatDuration(result.warmupSeconds * 1000)} warm-up, timeout ${formatDuration(result.timeoutMs)}${result.interrupted ? `; INTERRUPTED after ${result.measuredSeconds.toFixed(1)} s` : ''}`,
    `  driver ids  ${ids}${result.driverIds.unknownShare > 0 ? `, ${Number((100 * result.driverIds.unknownShare).toPrecision(6))}% made-up ids mixed in (expected: not found)` : ''}`,
    '',
    `  requests    ${thousands(result.count)}: ${thousands(result.ok)} ok, ${thousands(result.count - result.ok)} errors (${result.count ? formatShare((result.count - result.ok) / result.count) : '–'})`,
    ...errorKinds.map(
      ([kind, n]) => `    ${kind.padEnd(32)} ${String(n).padStart(8)}  e.g. ${result.errorSamples[kind] ?? ''}`,
    ),
    `  throughput  ${result.requestsPerSecond.toFixed(1)} req/s over ${result.measuredSeconds.toFixed(1)} s`,
    `  latency     p50 ${formatMs(l.p50)} · p90 ${formatMs(l.p90)} · p99 ${formatMs(l.p99)} · p99.8 ${formatMs(l.p99_8)} · p99.9 ${formatMs(l.p99_9)} · max ${formatMs(l.max)} · mean ${formatMs(l.mean)}  (${thousands(result.answered)} answers${result.timed > result.answered ? `, ${thousands(result.timed - result.answered)} given up on at ${formatMs(result.timeoutMs)} or more` : ''})`,
    `  over 1 s    ${thousands(result.over1000ms.count)} (${result.over1000ms.share === null ? '–' : formatShare(result.over1000ms.share)})`,
    `  machine     ${result.machine.cores} × ${result.machine.cpu}, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, ${result.machine.os}`,
    `  started     ${result.started}, ended ${result.ended}`,
  ];
  if (result.slo.length > 0) {
    lines.push(
      '',
      `  SLOs        ${result.slo.every((v) => v.met) ? 'all met' : `${result.slo.filter((v) => !v.met).length} of ${result.slo.length} MISSED`}`,
    );
    for (const verdict of result.slo)
      lines.push(`    ${verdict.met ? 'ok  ' : 'FAIL'} ${verdict.slo.padEnd(20)} ${verdict.summary}`);
  }
  if (result.ok === 0) lines.push('', '  FAILED: no successful answer');
  if (outFile) lines.push('', `  result      ${outFile}`);
  lines.push('');
  return lines.join('\n');
}
