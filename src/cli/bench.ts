/**
 * `scoredrive bench <url>`: load an API (offline or deployed, GraphQL or REST) at a fixed rate
 * or at full speed, check every answer, print the figures, write them as JSON, and exit 0 when
 * every --slo holds, 1 when one is missed (or nothing succeeded), 2 on a usage error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveAuth } from '../loadtest/auth';
import { demoDriverIds, demoPlanOfDataDir, readDriverIdsFile, SERVE_DEMO } from '../loadtest/ids';
import { progressReporter } from '../loadtest/progress';
import { type BenchResult, formatResult } from '../loadtest/result';
import { type BenchConfig, type DriverIdSet, runBench } from '../loadtest/run';
import type { LoadMode } from '../loadtest/scheduler';
import { parseSlos } from '../loadtest/slo';
import { type BenchApi, createTarget, isLoopback } from '../loadtest/target';
import { formatDuration, parseDuration, parseRate, parseShare } from '../loadtest/units';
import { UsageError } from '../loadtest/usage';

export interface BenchCommandOptions {
  readonly url: string;
  readonly api: BenchApi;
  readonly apiKey?: string;
  readonly iam?: boolean;
  readonly region?: string;
  readonly dataDir: string;
  readonly rate?: string;
  readonly connections?: number;
  readonly maxInFlight?: number;
  readonly duration: string;
  readonly warmup: string;
  readonly timeout: string;
  readonly ids?: string;
  readonly demoDrivers?: number;
  readonly demoMonths?: number;
  readonly unknownShare: string;
  readonly slo: readonly string[];
  readonly out?: string;
}

export interface BenchIo {
  /** The result print-out. */
  readonly out: (text: string) => void;
  /** The plan, warnings and usage errors. */
  readonly err: (text: string) => void;
  /** Where progress goes; null for none. */
  readonly progress: NodeJS.WriteStream | null;
  readonly env: NodeJS.ProcessEnv;
  /** Ctrl-C ends the run early (with a result); a second one exits. */
  readonly handleSignals: boolean;
}

const defaultIo = (): BenchIo => ({
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  progress: process.stderr,
  env: process.env,
  handleSignals: true,
});

export const DEFAULT_RATE = '500/min';
export const DEFAULT_MAX_IN_FLIGHT = 1000;

function loadMode(options: BenchCommandOptions): { mode: LoadMode; rateText?: string } {
  if (options.rate !== undefined && options.connections !== undefined) {
    throw new UsageError('--rate (fixed rate) and --connections (max throughput) exclude each other: choose one');
  }
  if (options.connections !== undefined) {
    if (options.maxInFlight !== undefined) throw new UsageError('--max-in-flight applies to --rate only');
    return { mode: { kind: 'connections', connections: options.connections } };
  }
  const rate = parseRate(options.rate ?? DEFAULT_RATE);
  return {
    mode: { kind: 'rate', perSecond: rate.perSecond, maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT },
    rateText: rate.text,
  };
}

async function driverIdSet(options: BenchCommandOptions, loopback: boolean): Promise<DriverIdSet> {
  if (options.ids !== undefined) {
    if (options.demoDrivers !== undefined || options.demoMonths !== undefined) {
      throw new UsageError('--demo-drivers and --demo-months describe generated ids: they do not apply with --ids');
    }
    return { ids: await readDriverIdsFile(options.ids), source: 'file', file: options.ids };
  }
  // The offline server's own record of what it seeded, when the bench is aimed at it.
  const seeded = loopback ? await demoPlanOfDataDir(options.dataDir) : undefined;
  const demo = {
    drivers: options.demoDrivers ?? seeded?.drivers ?? SERVE_DEMO.drivers,
    months: options.demoMonths ?? seeded?.months ?? SERVE_DEMO.months,
    seed: seeded?.seed ?? SERVE_DEMO.seed,
  };
  return { ids: demoDriverIds(demo), source: 'demo', demo };
}

/** Everything checked and resolved before the first request. */
async function prepare(options: BenchCommandOptions, env: NodeJS.ProcessEnv): Promise<BenchConfig> {
  const target = createTarget(options.url, options.api);
  const { mode, rateText } = loadMode(options);
  const durationMs = parseDuration(options.duration, '--duration');
  if (durationMs <= 0) throw new UsageError('--duration must be above 0');
  const warmupMs = parseDuration(options.warmup, '--warmup');
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be above 0');
  const unknownShare = parseShare(options.unknownShare, '--unknown-share');
  const slos = parseSlos(options.slo);
  const auth = await resolveAuth(target, {
    apiKey: options.apiKey,
    envApiKey: env.SCOREDRIVE_API_KEY,
    iam: options.iam,
    region: options.region,
    envRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    dataDir: options.dataDir,
  });
  const driverIds = await driverIdSet(options, isLoopback(target.url));
  return { target, auth, driverIds, unknownShare, mode, rateText, warmupMs, durationMs, timeoutMs, slos };
}

function defaultOutFile(result: BenchResult): string {
  return `bench-${result.api}-${result.started.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`;
}

function planLine(config: BenchConfig): string {
  const load =
    config.mode.kind === 'rate'
      ? `${config.rateText} (open loop)`
      : `${config.mode.connections} connections (closed loop)`;
  const ids =
    config.driverIds.source === 'file'
      ? `${config.driverIds.ids.length} driver ids from ${config.driverIds.file}`
      : `${config.driverIds.ids.length} demo driver ids`;
  return `bench: ${config.target.displayUrl} at ${load} for ${formatDuration(config.durationMs)} after a ${formatDuration(config.warmupMs)} warm-up; auth ${config.auth.description}; ${ids}`;
}

export async function benchCommand(options: BenchCommandOptions, io: BenchIo = defaultIo()): Promise<number> {
  let config: BenchConfig;
  try {
    config = await prepare(options, io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`scoredrive bench: ${error.message}`);
      return 2;
    }
    throw error;
  }
  io.err(planLine(config));

  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    io.err('\nstopping: waiting for the requests in flight (Ctrl-C again to quit at once)');
    stop.abort();
  };
  if (io.handleSignals) process.on('SIGINT', onSigint);
  const reporter = io.progress ? progressReporter(io.progress) : undefined;
  let result: BenchResult;
  try {
    result = await runBench({ ...config, signal: stop.signal, onProgress: reporter?.update });
  } finally {
    reporter?.stop();
    if (io.handleSignals) process.off('SIGINT', onSigint);
  }

  const outFile = options.out ?? defaultOutFile(result);
  // The figures are printed first: a result file that cannot be written must not lose the run.
  io.out(formatResult(result, config.auth.description, outFile));
  try {
    await mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
    await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    io.err(`scoredrive bench: could not write ${outFile}: ${(error as Error).message}`);
    return 2;
  }
  return result.passed ? 0 : 1;
}
