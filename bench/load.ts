/**
 * npm run bench:load — 1,000,000 rows generated, then loaded into a fresh table of the embedded
 * store by `scoredrive load` (a child process, as an operator runs it), against a bare
 * BatchWriteItem loop (pre-built batches, same concurrency, no parsing, validation, rejects or
 * checkpoints) into another fresh table of the same store, in the same run, and by
 * `scoredrive load --import` into a third (the bulk path: same checks, no BatchWriteItem). Prints
 * rows/s for each, the ratios, and each loader's peak memory (max RSS, the store included).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PROJECT_ROOT } from '../src/contract/project-paths';
import { generateScores } from '../src/load/generate';
import { createEmbeddedStoreClient } from '../src/store/client';
import { demoScores } from '../src/store/demo-data';
import { embeddedStoreApi } from '../src/store/dynamodb-api';
import { startEmbeddedStore } from '../src/store/embedded-store';
import { ensureScoresTable } from '../src/store/table';

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 1_000_000);
const MONTHS = 6;
const CONCURRENCY = 8;
const DIR = path.join(PROJECT_ROOT, 'build', 'bench-data', `load-${ROWS}`);
const FILE = path.join(DIR, 'scores.csv');
const DATA_DIR = path.join(DIR, 'store');

await mkdir(DIR, { recursive: true });
await rm(DATA_DIR, { recursive: true, force: true });
await rm(`${FILE}.checkpoint.json`, { force: true });

// 1. Generate.
let started = Date.now();
const text = new PassThrough();
const written = pipeline(text, createWriteStream(FILE));
await generateScores(text, { count: ROWS, months: MONTHS, seed: 1, lastPeriod: '2026-10' });
text.end();
await written;
const generateSeconds = (Date.now() - started) / 1000;

// 2. The bare loop: the store's ceiling for BatchWriteItem at this concurrency.
const store = await startEmbeddedStore(DATA_DIR);
const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
await ensureScoresTable(client, 'bare-loop', true);
const api = embeddedStoreApi(store.requestHandler);
const records = demoScores({ drivers: Math.ceil(ROWS / MONTHS), months: MONTHS, lastPeriod: '2026-10', seed: 1 });
let taken = 0;
// next() by hand: breaking out of a for-of would close the generator.
const nextBatch = () => {
  const batch = [];
  while (batch.length < 25 && taken < ROWS) {
    const next = records.next();
    if (next.done) break;
    batch.push({ PutRequest: { Item: marshall(next.value) } });
    taken += 1;
  }
  return batch;
};
started = Date.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      let pending = batch;
      while (pending.length > 0) {
        const out = await api.call('BatchWriteItem', { RequestItems: { 'bare-loop': pending } });
        pending = (out.UnprocessedItems?.['bare-loop'] ?? []) as typeof pending;
      }
    }
  }),
);
const bareSeconds = (Date.now() - started) / 1000;
client.destroy();
await store.close();

/** `scoredrive load` as an operator runs it, into a new table of the same store; its summary. */
async function runLoader(table: string, extra: string[] = []) {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'bin/scoredrive.js'),
      'load',
      FILE,
      '--data-dir',
      DATA_DIR,
      '--table',
      table,
      '--concurrency',
      String(CONCURRENCY),
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const withStartUp = (Date.now() - started) / 1000;
  const summary =
    /read (\d+), loaded (\d+), rejected (\d+).* ([\d.]+) s, (\d+) rows\/s, peak memory (\d+) MB(?: \(anonymous (\d+) MB)?/.exec(
      out,
    );
  if (code !== 0 || !summary) {
    console.error(out);
    throw new Error(`the loader failed (exit ${code})`);
  }
  const [, read, loaded, rejected, seconds, rate, peakMb, anonymousMb] = summary;
  return { read, loaded, rejected, seconds, rate: Number(rate), peakMb, anonymousMb, withStartUp };
}

// 3. The loader, through BatchWriteItem, into a fresh table of the same store.
const normal = await runLoader('loaded');
// 4. The loader with --import: the same rows and checks, straight into a new table's LevelDB.
const imported = await runLoader('imported', ['--import']);
const bareRate = ROWS / bareSeconds;
const cpu = os.cpus();
console.log(
  [
    `${ROWS} rows · ${cpu.length} × ${cpu[0]?.model}, Node ${process.version}`,
    `generate: ${generateSeconds.toFixed(1)} s, ${Math.round(ROWS / generateSeconds)} rows/s`,
    `bare BatchWriteItem loop (${CONCURRENCY} in flight): ${bareSeconds.toFixed(1)} s, ${Math.round(bareRate)} rows/s`,
    ...(
      [
        ['scoredrive load', normal],
        ['scoredrive load --import', imported],
      ] as const
    ).map(
      ([label, run]) =>
        `${label}: read ${run.read}, loaded ${run.loaded}, rejected ${run.rejected}; ${run.seconds} s loading (${run.withStartUp.toFixed(1)} s with start-up), ${run.rate} rows/s, ${((100 * run.rate) / bareRate).toFixed(0)}% of the bare loop; peak memory (max RSS, embedded store included) ${run.peakMb} MB${run.anonymousMb ? `, anonymous ${run.anonymousMb} MB` : ''}`,
    ),
    existsSync(`${FILE}.checkpoint.json`) ? 'WARNING: a checkpoint was left behind' : '',
  ]
    .filter(Boolean)
    .join('\n'),
);
