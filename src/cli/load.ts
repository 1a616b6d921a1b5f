/**
 * `scoredrive load` and `scoredrive generate` as a user runs them: where the data goes (the
 * embedded store of a data directory, any endpoint, or a table on AWS), a progress bar on a
 * terminal and plain lines otherwise, a summary, and the exit code:
 *
 * - 0: every file loaded;
 * - 1: the store refused the writes or kept throttling them, or another error;
 * - 2: more rows rejected than --max-rejects allows;
 * - 3: an input cannot be read to its end (truncated or corrupt gzip, a read error, a wrong
 *   CSV header): what was read before is loaded and checkpointed;
 * - 4: a write failed on a disk (no space left, I/O error, read-only, permission denied): the
 *   rejects file, the checkpoint, or the embedded store's own files.
 *
 * A load that stops prints its summary so far and one line saying why and how to continue. Of
 * several files, those loaded before the stop stay checkpointed as finished, and the rerun
 * skips them; the checkpoints go once every file is loaded.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import cliProgress from 'cli-progress';
import { removeCheckpoint } from '../load/checkpoint';
import { generateScores, type LoadFormat } from '../load/generate';
import { describeFileError } from '../load/io-errors';
import { type FailureKind, LoadFailure } from '../load/load-failure';
import { defaultCheckpointFile, type LoadProgress, type LoadSummary, loadFile } from '../load/loader';
import { type MemoryPeak, watchMemory } from '../load/memory-watch';
import {
  explainStoreStop,
  importStepFailure,
  StoreDiskError,
  StoreStoppedError,
  storeStopError,
} from '../load/store-errors';
import { BatchWriteError } from '../store/batch-writer';
import { createDynamoDBClient, createEmbeddedStoreClient } from '../store/client';
import { type DynamoDBApi, embeddedStoreApi, sdkDynamoDBApi } from '../store/dynamodb-api';
import { startEmbeddedStore } from '../store/embedded-store';
import { ensureScoresTable } from '../store/table';
import { TableImport } from '../store/table-import';

const EXIT_CODES: Record<FailureKind, number> = { input: 3, disk: 4, store: 1, checkpoint: 1 };

/** Where rows go, and why the embedded store stopped if it did. */
interface Target {
  readonly api: DynamoDBApi;
  /** With --import: the new table the rows go into, created at the end. */
  readonly tableImport?: TableImport;
  readonly stopReason: () => Error | undefined;
  close(): Promise<void>;
}

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
  /** Bulk-import into a new table of the embedded store (src/store/table-import.ts). */
  readonly import?: boolean;
  /** The embedded store's LevelDB block cache, in MiB. */
  readonly storeCacheMb?: number;
  /** Let LevelDB memory-map the store's table files (src/store/embedded-store.ts). */
  readonly storeMapTables?: boolean;
}

/** Refused option combinations, said before anything is opened. */
export class LoadUsageError extends Error {
  override readonly name = 'LoadUsageError';
}

/** The failures a load reports in one line (they carry their cause in words), not as a crash. */
const isReportedStoreFailure = (error: unknown): error is Error =>
  error instanceof StoreDiskError || error instanceof StoreStoppedError || error instanceof BatchWriteError;

/** Where rows go: returns the API and how to let go of it. */
async function openTarget(options: LoadCommandOptions): Promise<Target> {
  if (options.import && (options.dynamodbEndpoint || options.aws)) {
    throw new LoadUsageError(
      '--import writes into the embedded store only; on AWS a new table is imported from S3 with DynamoDB ImportTable',
    );
  }
  if (options.dynamodbEndpoint || options.aws) {
    const client = createDynamoDBClient({ endpoint: options.aws ? undefined : options.dynamodbEndpoint });
    await ensureScoresTable(client, options.table, options.createTable);
    return { api: sdkDynamoDBApi(client), stopReason: () => undefined, close: async () => client.destroy() };
  }
  // The worker dies when LevelDB fails a write (a full disk): its error is the only place the cause is told.
  let stopReason: Error | undefined;
  const store = await startEmbeddedStore(options.dataDir, {
    cacheMb: options.storeCacheMb,
    mapTables: options.storeMapTables,
    bulkWrites: true,
    onStopped: (error) => {
      stopReason = explainStoreStop(error, options.dataDir);
    },
  });
  const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
  const close = async () => {
    client.destroy();
    await store.close();
  };
  let tableImport: TableImport | undefined;
  try {
    if (options.import) {
      tableImport = await TableImport.begin(store.requestHandler, options.table, {
        restart: options.restart,
        failure: importStepFailure(() => stopReason),
      });
    } else {
      await ensureScoresTable(client, options.table, true);
    }
  } catch (error) {
    await close();
    throw stopReason ? storeStopError(stopReason) : error;
  }
  return { api: embeddedStoreApi(store.requestHandler), tableImport, stopReason: () => stopReason, close };
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

function summaryLine(s: LoadSummary, memory: MemoryPeak, stopped?: 'stopped'): string {
  const resumed =
    (s.resumedAfterLine > 0 ? ` (resumed after line ${s.resumedAfterLine})` : '') + (stopped ? ' (stopped)' : '');
  const anonymous =
    memory.peakAnonymousMb === undefined
      ? ''
      : ` (anonymous ${memory.peakAnonymousMb} MB; the rest is mapped files: code, and the store's tables with --store-map-tables)`;
  return `${s.file}${resumed}: read ${s.read}, loaded ${s.loaded}, rejected ${s.rejected}, retried ${s.retried}, ${s.seconds.toFixed(1)} s, ${Math.round(s.read / Math.max(s.seconds, 0.001))} rows/s, peak memory ${memory.maxRssMb} MB${anonymous}${s.rejected ? `; rejects in ${s.rejectsFile}` : ''}`;
}

/** What a stopped load prints after its summary: why, and how to go on. */
function failureLine(failure: LoadFailure, file: string): string {
  const next =
    failure.kind === 'checkpoint'
      ? ''
      : failure.checkpointLine > 0
        ? `; the checkpoint keeps lines 1-${failure.checkpointLine} as done: ${failure.kind === 'input' ? `run the same command on the complete ${file}` : 'run the same command again'} to continue after line ${failure.checkpointLine}`
        : '; nothing was checkpointed: the next run starts at line 1';
  return `scoredrive: ${failure.message}${next}`;
}

/** Loads every file in turn; the exit codes are in this file's header. */
export async function loadCommand(options: LoadCommandOptions): Promise<number> {
  const memory = watchMemory();
  let target: Target;
  try {
    target = await openTarget(options);
  } catch (error) {
    memory.stop();
    // The data directory's lock or LevelDB's first files on a full disk; the store dying while it sets up.
    const onDisk = describeFileError(error, 'starting the embedded store in', options.dataDir);
    if (onDisk) console.error(`scoredrive: ${onDisk}`);
    else if (isReportedStoreFailure(error) || error instanceof LoadUsageError)
      console.error(`scoredrive: ${error.message}`);
    else throw error;
    return onDisk || error instanceof StoreDiskError ? EXIT_CODES.disk : EXIT_CODES.store;
  }
  const { tableImport } = target;
  if (tableImport?.resumed) {
    console.error(`scoredrive: continuing the unfinished import into ${options.table} (--restart starts it over)`);
  }
  let rejected = 0;
  let loaded = 0;
  try {
    for (const file of options.files) {
      const report = reporter();
      let outcome: LoadSummary | LoadFailure;
      try {
        outcome = await loadFile({
          ...(tableImport ? { writeBatch: tableImport.write } : { api: target.api }),
          tableName: options.table,
          file,
          rejectsFile: options.rejects,
          concurrency: options.concurrency,
          // A new import holds none of the rows an older checkpoint counts as done.
          restart: options.restart || (tableImport !== undefined && !tableImport.resumed),
          // Until every file is loaded, a finished one stays checkpointed: a rerun after a stop
          // at a later file does not read it again.
          keepFinished: options.files.length > 1,
          onProgress: report.update,
          storeStopReason: target.stopReason,
        });
      } catch (error) {
        if (!(error instanceof LoadFailure)) throw error;
        outcome = error;
      } finally {
        // Before printing: the bar owns the terminal's last line until it stops.
        report.stop();
      }
      if (outcome instanceof LoadFailure) {
        console.log(summaryLine(outcome.summary, memory.peak(), 'stopped'));
        console.error(failureLine(outcome, file));
        return EXIT_CODES[outcome.kind];
      }
      const summary = outcome;
      console.log(
        summary.alreadyLoaded
          ? `${summary.file}: already loaded by the run that stopped (read ${summary.read}, loaded ${summary.loaded}, rejected ${summary.rejected}); not read again (--restart loads it again)`
          : summaryLine(summary, memory.peak()),
      );
      rejected += summary.rejected;
      loaded += summary.loaded;
    }
    if (tableImport) {
      try {
        await tableImport.commit();
      } catch (error) {
        if (!isReportedStoreFailure(error)) throw error;
        console.error(`scoredrive: creating table ${options.table} at the end of the import: ${error.message}`);
        return error instanceof StoreDiskError ? EXIT_CODES.disk : EXIT_CODES.store;
      }
      console.log(`table ${options.table}: created by the import, ${loaded} rows written`);
    }
    // Every file is loaded: no checkpoint may make a later run skip one (a finished one is
    // also left by a run of several files that a run of one of them completes).
    for (const file of options.files) if (file !== '-') await removeCheckpoint(defaultCheckpointFile(file));
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
  let rows: number;
  try {
    // Together: a sink that fails (a full disk) rejects `done` while rows are still being generated.
    [rows] = await Promise.all([
      generateScores(text, options).then((n) => {
        text.end();
        return n;
      }),
      done,
    ]);
  } catch (error) {
    const onDisk = describeFileError(error, 'writing', toFile ? (options.out as string) : 'stdout');
    throw onDisk ? new Error(onDisk, { cause: error }) : error;
  }
  const seconds = (Date.now() - started) / 1000;
  console.error(`generated ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`);
}
