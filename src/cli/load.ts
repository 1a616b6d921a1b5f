/**
 * `scoredrive load` and `scoredrive generate` as a user runs them: where the data goes (the
 * embedded store of a data directory, any endpoint, or a table on AWS), a progress bar on a
 * terminal and plain lines otherwise, a summary, and the exit code.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import cliProgress from 'cli-progress';
import { generateScores, type LoadFormat } from '../load/generate';
import { type LoadProgress, type LoadSummary, loadFile } from '../load/loader';
import { type MemoryPeak, watchMemory } from '../load/memory-watch';
import { createDynamoDBClient, createEmbeddedStoreClient } from '../store/client';
import { type DynamoDBApi, embeddedStoreApi, sdkDynamoDBApi } from '../store/dynamodb-api';
import { startEmbeddedStore } from '../store/embedded-store';
import { ensureScoresTable } from '../store/table';

export interface LoadCommandOptions {
  readonly files: string[];
  readonly table: string;
  readonly dataDir: string;
  readonly dynamodbEndpoint?: string;
  readonly aws: boolean;
  readonly createTable: boolean;
  readonly rejects?: string;
  readonly maxRejects: number;
  readonly concurrency: number;
  readonly restart: boolean;
}

/** Where rows go: returns the API and how to let go of it. */
async function openTarget(options: LoadCommandOptions): Promise<{ api: DynamoDBApi; close: () => Promise<void> }> {
  if (options.dynamodbEndpoint || options.aws) {
    const client = createDynamoDBClient({ endpoint: options.aws ? undefined : options.dynamodbEndpoint });
    await ensureScoresTable(client, options.table, options.createTable);
    return { api: sdkDynamoDBApi(client), close: async () => client.destroy() };
  }
  const store = await startEmbeddedStore(options.dataDir);
  const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
  await ensureScoresTable(client, options.table, true);
  return {
    api: embeddedStoreApi(store.requestHandler),
    close: async () => {
      client.destroy();
      await store.close();
    },
  };
}

function reporter(): { update: (p: LoadProgress) => void; stop: () => void } {
  const started = Date.now();
  const rate = (p: LoadProgress) => Math.round(p.read / Math.max(0.001, (Date.now() - started) / 1000));
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          '{file} [{bar}] {percentage}% | {read} rows, {rate} rows/s | loaded {loaded}, rejected {rejected} | ETA {eta_formatted}',
        stream: process.stderr,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update: (p) => {
        if (!begun) {
          bar.start(p.totalBytes ?? 0, 0, {});
          begun = true;
        }
        bar.update(p.bytesRead, { file: p.file, read: p.read, rate: rate(p), loaded: p.loaded, rejected: p.rejected });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      const share = p.totalBytes ? ` (${((100 * p.bytesRead) / p.totalBytes).toFixed(1)}%)` : '';
      console.error(
        `${new Date().toISOString()} ${p.file}: ${p.read} rows read${share}, ${p.loaded} loaded, ${p.rejected} rejected, ${rate(p)} rows/s`,
      );
    },
    stop: () => {},
  };
}

function summaryLine(s: LoadSummary, memory: MemoryPeak): string {
  const resumed = s.resumedAfterLine > 0 ? ` (resumed after line ${s.resumedAfterLine})` : '';
  const anonymous =
    memory.peakAnonymousMb === undefined
      ? ''
      : ` (anonymous ${memory.peakAnonymousMb} MB; the rest is mapped files: code and the store's tables)`;
  return `${s.file}${resumed}: read ${s.read}, loaded ${s.loaded}, rejected ${s.rejected}, retried ${s.retried}, ${s.seconds.toFixed(1)} s, ${Math.round(s.read / Math.max(s.seconds, 0.001))} rows/s, peak memory ${memory.maxRssMb} MB${anonymous}${s.rejected ? `; rejects in ${s.rejectsFile}` : ''}`;
}

/** Loads every file in turn; exit code 2 when more rows were rejected than allowed. */
export async function loadCommand(options: LoadCommandOptions): Promise<number> {
  const memory = watchMemory();
  const target = await openTarget(options);
  let rejected = 0;
  try {
    for (const file of options.files) {
      const report = reporter();
      let summary: LoadSummary;
      try {
        summary = await loadFile({
          api: target.api,
          tableName: options.table,
          file,
          rejectsFile: options.rejects,
          concurrency: options.concurrency,
          restart: options.restart,
          onProgress: report.update,
        });
      } finally {
        // Before printing: the bar owns the terminal's last line until it stops.
        report.stop();
      }
      console.log(summaryLine(summary, memory.peak()));
      rejected += summary.rejected;
    }
  } finally {
    memory.stop();
    await target.close();
  }
  if (rejected > options.maxRejects) {
    console.error(`scoredrive: ${rejected} rows rejected, more than --max-rejects ${options.maxRejects}`);
    return 2;
  }
  return 0;
}

export interface GenerateCommandOptions {
  readonly count: number;
  readonly seed?: number;
  readonly months: number;
  readonly format: LoadFormat;
  readonly out?: string;
}

export async function generateCommand(options: GenerateCommandOptions): Promise<void> {
  const started = Date.now();
  const toFile = options.out !== undefined && options.out !== '-';
  const gzip = toFile && options.out?.endsWith('.gz');
  const sink: Writable = toFile ? createWriteStream(options.out as string) : process.stdout;
  const text = new PassThrough();
  const done = gzip ? pipeline(text, createGzip({ level: 6 }), sink) : pipeline(text, sink);
  const rows = await generateScores(text, options);
  text.end();
  await done;
  const seconds = (Date.now() - started) / 1000;
  console.error(`generated ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`);
}
