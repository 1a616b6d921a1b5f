/**
 * npm run bench:scale — does the offline API slow down as the store grows? `score(driverId)` on
 * a store of BENCH_RECORDS records (default 2,000,000; 16,000,000 is the client's volume)
 * against the same measurement on 100,000 records, in the same run, alternated (small, big,
 * small, big) so drift of the machine falls on both; prints each run, the means and their ratio.
 *
 * Each store is built once and cached under build/bench-data/scale-<records>: the rows are
 * generated (seed 1, 6 months a driver, newest month 2026-10) and bulk-imported with
 * `scoredrive load --import`, whose summary line is kept with the store and printed. Requests
 * go to 50,000 drivers spread evenly over the whole key space; one answer in 50 is checked
 * against the generator's newest month for its driver. Any wrong body fails the run.
 * BENCH_SERVE_ARGS adds options to `scoredrive serve` (e.g. "--store-map-tables").
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PROJECT_ROOT } from '../src/contract/project-paths';
import { generateScores } from '../src/load/generate';
import { demoScores } from '../src/store/demo-data';
import {
  type ExpectedScore,
  expectedScoreOf,
  run,
  type ScoreLike,
  startServerOn,
  stealNote,
  wrongNote,
} from './harness';
import { gaugeHost, hostGaugeNote, processCpuMs } from './host-gauge';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 2_000_000);
const BASE_RECORDS = 100_000;
const MONTHS = 6;
const SEED = 1;
const LAST_PERIOD = '2026-10';
const SAMPLE_DRIVERS = 50_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SERVE_ARGS = (process.env.BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean);
const WARMUP_S = 5;
const TABLE = 'scoredrive-dev-scores';
const QUERY =
  'query Score($id: ID!) { score(driverId: $id) { driverId period score band factors { braking speeding } } }';

interface BuiltStore {
  readonly dataDir: string;
  readonly records: number;
  /** The import's summary line, as `scoredrive load --import` printed it when the store was built. */
  readonly importSummary: string;
  readonly expected: Map<string, ExpectedScore>;
}

function runCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/scoredrive.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    process.stdout.write(chunk);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`scoredrive ${args[0]} exited with ${code}`)),
    ),
  );
}

/**
 * The newest month of every k-th driver: the drivers asked for, and what each answer must say.
 * Of the rows the store holds: like `generateScores`, the first `records` of the generator's, so
 * when `records` is not a multiple of MONTHS the last driver's newest month is an earlier one.
 */
function sampleExpected(records: number): Map<string, ExpectedScore> {
  const drivers = Math.ceil(records / MONTHS);
  const every = Math.max(1, Math.floor(drivers / SAMPLE_DRIVERS));
  const expected = new Map<string, ExpectedScore>();
  let index = -1;
  let previous: string | undefined;
  let rows = 0;
  for (const r of demoScores({ drivers, months: MONTHS, lastPeriod: LAST_PERIOD, seed: SEED })) {
    rows += 1;
    if (rows > records) break;
    if (r.driverId !== previous) {
      index += 1;
      previous = r.driverId;
    }
    // Records come oldest month first: the last one kept per driver is its newest.
    if (index % every === 0) {
      expected.set(r.driverId, expectedScoreOf(r));
    }
  }
  return expected;
}

/** The store of `records` rows, built on the first run (generate, then load --import). */
async function builtStore(records: number): Promise<BuiltStore> {
  const dir = path.join(PROJECT_ROOT, 'build', 'bench-data', `scale-${records}`);
  const dataDir = path.join(dir, 'data');
  const doneFile = path.join(dir, 'built.json');
  // expected-sample.json, its name before 2026-12-02, expected the last driver's sixth month,
  // which a store of 100,000 rows does not have (16,667 drivers, the last with four).
  const sampleFile = path.join(dir, 'expected-newest.json');
  if (!existsSync(doneFile)) {
    console.log(`Building a store of ${records} records in ${path.relative(PROJECT_ROOT, dir)} (first run only)…`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const csv = path.join(dir, 'scores.csv');
    const started = Date.now();
    const text = new PassThrough();
    const written = pipeline(text, createWriteStream(csv, { mode: 0o600 }));
    await generateScores(text, { count: records, months: MONTHS, seed: SEED, lastPeriod: LAST_PERIOD });
    text.end();
    await written;
    console.log(`generated ${records} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const out = await runCli(['load', csv, '--import', '--data-dir', dataDir, '--table', TABLE]);
    // The summary line, named by the file's base name (the build directory is the user's own path).
    const importSummary = (out.split('\n').find((line) => line.startsWith(csv)) ?? out.trim()).replace(
      csv,
      'scores.csv',
    );
    await rm(csv, { force: true });
    await writeFile(doneFile, JSON.stringify({ records, importSummary }), {
      mode: 0o600,
    });
  }
  if (!existsSync(sampleFile)) {
    // The sampled drivers are synthetic, but held like any driverIds: private to the user.
    await writeFile(sampleFile, JSON.stringify([...sampleExpected(records)]), { mode: 0o600 });
    await rm(path.join(dir, 'expected-sample.json'), { force: true });
  }
  const built = JSON.parse(await readFile(doneFile, 'utf8')) as { records: number; importSummary: string };
  const expected = new Map(JSON.parse(await readFile(sampleFile, 'utf8')) as [string, ExpectedScore][]);
  return { dataDir, records: built.records, importSummary: built.importSummary, expected };
}

interface Measured {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly checked: number;
  readonly wrong: number;
  readonly failed: number;
  /** The server's CPU time (all its threads) per answer during the measurement, in µs. */
  readonly cpuUsPerRequest: number | undefined;
}

/** Peak and current memory of the server process, from /proc (Linux). */
async function memoryOf(pid: number | undefined): Promise<string> {
  if (pid === undefined) return 'unknown';
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    const mb = (value: number) => Math.round(value / 1024);
    return `RSS ${mb(kb('VmRSS'))} MB (anonymous ${mb(kb('RssAnon'))} MB, file-backed ${mb(kb('RssFile'))} MB), peak ${mb(kb('VmHWM'))} MB`;
  } catch {
    return 'unknown';
  }
}

async function measure(store: BuiltStore): Promise<Measured> {
  const server = await startServerOn(store.dataDir, ['--table', TABLE, ...SERVE_ARGS]);
  try {
    const driverIds = [...store.expected.keys()];
    const go = (seconds: number) =>
      run(
        server.url,
        seconds,
        driverIds,
        (id) => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query: QUERY, variables: { id } }) }),
        (body) => (JSON.parse(body) as { data?: { score?: ScoreLike } }).data?.score,
        store.expected,
      );
    await go(WARMUP_S);
    const cpuBefore = processCpuMs(server.child.pid);
    const outcome = await go(SECONDS);
    const cpuAfter = processCpuMs(server.child.pid);
    const { result, checked, wrong } = outcome;
    const cpuUsPerRequest =
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
    const measured: Measured = {
      rate: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      p999: result.latency.p99_9,
      checked,
      wrong,
      failed: result.non2xx + result.errors + result.timeouts,
      cpuUsPerRequest,
    };
    const cpuNote = cpuUsPerRequest === undefined ? '' : ` · server CPU ${cpuUsPerRequest.toFixed(0)} µs/request`;
    console.log(
      `${String(store.records).padStart(10)} records: ${measured.rate.toFixed(0)} req/s · p50 ${measured.p50} ms · p99 ${measured.p99} ms · p99.9 ${measured.p999} ms · ${checked} bodies checked, ${wrongNote(outcome)}, ${measured.failed} failed · server ${await memoryOf(server.child.pid)}${cpuNote}${stealNote(outcome)}`,
    );
    return measured;
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const base = await builtStore(BASE_RECORDS);
const big = await builtStore(RECORDS);
console.log(`import of the ${base.records} store: ${base.importSummary}`);
console.log(`import of the ${big.records} store: ${big.importSummary}`);
const cpu = os.cpus();
console.log(
  `\nscore(driverId), 10 connections, ${SECONDS} s after a ${WARMUP_S} s warm-up, each size twice, alternated\n` +
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}` +
    (SERVE_ARGS.length > 0 ? `\nserve options: ${SERVE_ARGS.join(' ')}` : '') +
    `\nbefore: ${hostGaugeNote(gaugeHost())}`,
);
const runs = { base: [] as Measured[], big: [] as Measured[] };
for (let round = 0; round < 2; round += 1) {
  runs.base.push(await measure(base));
  runs.big.push(await measure(big));
}
const summary = (label: string, m: Measured[]) =>
  `${label}: ${mean(m.map((x) => x.rate)).toFixed(0)} req/s, p99 ${mean(m.map((x) => x.p99)).toFixed(1)} ms, p99.9 ${mean(m.map((x) => x.p999)).toFixed(1)} ms`;
console.log(
  `\nmeans — ${summary(`${base.records} records`, runs.base)}; ${summary(`${big.records} records`, runs.big)}`,
);
console.log(`after: ${hostGaugeNote(gaugeHost())}`);
const ratio = mean(runs.big.map((x) => x.rate)) / mean(runs.base.map((x) => x.rate));
console.log(`throughput ratio ${big.records} / ${base.records} records: ${ratio.toFixed(3)}`);
const all = [...runs.base, ...runs.big];
if (all.some((m) => m.wrong > 0 || m.failed > 0)) {
  console.error('some answers were wrong or failed');
  process.exitCode = 1;
}
