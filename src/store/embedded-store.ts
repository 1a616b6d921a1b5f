/**
 * The embedded DynamoDB-compatible store: dynalite (LevelDB on disk) in a worker thread,
 * reached by the server and our tools over the worker's message port (see worker-transport.ts
 * and dynamodb-api.ts). It opens no port unless asked to (`listen: true`, for tests and tools
 * that need an HTTP endpoint for a generic DynamoDB client), and then demands requests signed
 * with the data directory's store credentials (store-credentials.ts, request-signature.js).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock';
import { loadDynalitesLevelBinding } from './dynalite-level';
import { ensurePrivateDir } from './private-files';
import { resolveStoreCredentials, type StoreCredentials } from './store-credentials';
import { WorkerRequestHandler } from './worker-transport';

export interface EmbeddedStore {
  /** http://127.0.0.1:<port> when the store listens (`listen: true`); undefined otherwise. */
  readonly endpoint?: string;
  /** SDK request handler reaching the store over the worker's message port (no TCP). */
  readonly requestHandler: WorkerRequestHandler;
  /** The table's exact item count, from its keys alone (no item is decoded). */
  countItems(tableName: string): Promise<number>;
  /**
   * How LevelDB reads the store's table files: 'cached', through the block cache only (none is
   * memory-mapped, so the store's memory does not grow with what it reads); 'mapped', in place from
   * memory maps that grow with the store (`mapTables`, or a LevelDB that maps more files than
   * leveldb-mmap-slots.js can hold); 'unverified', held without /proc/self/maps to check.
   */
  readonly tableReads: TableReads;
  /**
   * Where a Query's LevelDB reads run: 'store-thread', on the store's own thread (classic-level
   * built from its patched source at install, scripts/build-store-binding.mjs); 'thread-pool',
   * through libuv's pool and back, some 65 µs more CPU per query (the prebuilt binary, when that
   * build failed).
   */
  readonly rangeReads: RangeReads;
  close(): Promise<void>;
}

/** A store listening on loopback TCP: `endpoint` takes requests signed (SigV4) with `credentials`. */
export interface ListeningEmbeddedStore extends EmbeddedStore {
  readonly endpoint: string;
  /** The access key the endpoint demands, also in `<dataDir>/store-credentials`. */
  readonly credentials: StoreCredentials;
}

export type TableReads = 'cached' | 'mapped' | 'unverified';
export type RangeReads = 'store-thread' | 'thread-pool';

/** The worker's first message (dynalite-worker.js): how it reads, or why it could not start. */
interface WorkerStarted {
  port?: number;
  ready?: boolean;
  tableReads: TableReads;
  rangeReads: RangeReads;
  error?: string;
}

export interface EmbeddedStoreOptions {
  /** Open a loopback port for any DynamoDB client (signed requests only). @default false */
  readonly listen?: boolean;
  /** LevelDB's block cache, in MiB: the store's main memory besides its write buffers. @default 64 */
  readonly cacheMb?: number;
  /**
   * Let LevelDB memory-map the table files, as it does by default: a little less store CPU per
   * read, but a resident set that grows to the size of the store (leveldb-mmap-slots.js).
   * @default false
   */
  readonly mapTables?: boolean;
  /**
   * The store is opened to write much at once (a load): LevelDB's write buffers are 64 MiB
   * instead of 16 (levelOptionsFor). @default false
   */
  readonly bulkWrites?: boolean;
  /** Hears of a worker that dies on its own (requests then fail fast with 503). */
  readonly onStopped?: (error?: Error) => void;
}

/**
 * LevelDB's native binding, loaded once by this (the main) thread and never let go. Node unloads
 * a native addon that only a worker loaded when that worker exits, but LevelDB's background
 * compaction thread outlives every database: if it still had work, it ran into unmapped code and
 * the process died of SIGSEGV (exit 139) after a heavy write load, in about one run of two
 * after a 200,000-row import (gdb: the crashing thread's frames all unmapped, the worker's
 * isolate being deleted). Holding the library here keeps it mapped for the process's life
 * (nodejs/node#43534 shows the same remedy). Resolved as dynalite resolves it, so it is the
 * same file the worker opens; loaded by the first store started, not by importing this module
 * (a server on another endpoint never needs it).
 */
let levelDbBindingHeld = false;
function holdLevelDbBinding(): void {
  if (levelDbBindingHeld) return;
  loadDynalitesLevelBinding();
  levelDbBindingHeld = true;
}

export const DEFAULT_STORE_CACHE_MB = 64;
const MIB = 1024 * 1024;

/**
 * LevelDB's options for the store. LevelDB's defaults are sized for small databases: 2 MiB
 * table files made a 16M-record store some 1,800 files, more than the 1,000 its table cache
 * holds open, so reads reopened files; an 8 MiB block cache holds little of the index blocks
 * every read needs. With 32 MiB files the 16M-record store built by `npm run bench:scale` is
 * 2.0 GB in 74 files; the block cache is the knob for memory (`--store-cache-mb`). Besides it,
 * LevelDB holds at most two write buffers: 16 MiB each for a server, 64 MiB each for a bulk
 * writer (`scoredrive load`), whose larger level-0 flushes leave compaction less to merge:
 * measured on the slow host of 2026-12-02, a 16M-row `load --import` took 760.0 s with 16 MiB
 * and 548.9 s with 64 MiB (peak RSS 514 and 478 MB).
 */
export function levelOptionsFor(cacheMb = DEFAULT_STORE_CACHE_MB, bulkWrites = false): Record<string, number> {
  return { cacheSize: cacheMb * MIB, writeBufferSize: (bulkWrites ? 64 : 16) * MIB, maxFileSize: 32 * MIB };
}

/** Under the data directory: the database that keeps the store's tables unmapped (leveldb-mmap-slots.js). */
const MMAP_SLOTS_DIR = 'leveldb-mmap-slots';

/** How long close() lets the worker close LevelDB before terminating it. */
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * Starts dynalite on `<dataDir>/dynamodb`; fails at once if another server holds the directory.
 * The data directory and the LevelDB directory are made private (0700).
 */
export async function startEmbeddedStore(
  dataDir: string,
  options: EmbeddedStoreOptions & { listen: true },
): Promise<ListeningEmbeddedStore>;
export async function startEmbeddedStore(dataDir: string, options?: EmbeddedStoreOptions): Promise<EmbeddedStore>;
export async function startEmbeddedStore(
  dataDir: string,
  options: EmbeddedStoreOptions = {},
): Promise<EmbeddedStore | ListeningEmbeddedStore> {
  const onStopped = options.onStopped ?? (() => {});
  holdLevelDbBinding();
  await ensurePrivateDir(dataDir);
  const release = lockDataDir(dataDir);
  try {
    const levelDir = path.join(dataDir, 'dynamodb');
    await ensurePrivateDir(levelDir);
    const credentials = options.listen ? await resolveStoreCredentials(dataDir) : undefined;
    const worker = new Worker(new URL('./dynalite-worker.js', import.meta.url), {
      workerData: {
        path: levelDir,
        credentials,
        levelOptions: levelOptionsFor(options.cacheMb, options.bulkWrites),
        mmapSlotsPath: options.mapTables ? undefined : path.join(dataDir, MMAP_SLOTS_DIR),
      },
    });
    const { port, tableReads, rangeReads } = await new Promise<WorkerStarted>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the embedded store stopped during start-up (exit code ${code})`)),
      );
      worker.once('message', (message: WorkerStarted) =>
        message.port || message.ready ? resolve(message) : reject(new Error(`embedded store: ${message.error}`)),
      );
    });
    worker.removeAllListeners('exit');
    const requestHandler = new WorkerRequestHandler(worker);
    let closing = false;
    let exited = false;
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', () => {
      exited = true;
      requestHandler.destroy();
      if (!closing) onStopped(failure);
    });
    const store: EmbeddedStore = {
      requestHandler,
      tableReads,
      rangeReads,
      async countItems(tableName) {
        return ((await requestHandler.storeStep({ op: 'count', tableName })) as { count: number }).count;
      },
      async close() {
        closing = true;
        // A dead worker has nothing to close. A live one closes LevelDB before it is terminated:
        // terminating during LevelDB's native close is what could crash the process, so it gets
        // up to 30 s (a close normally takes milliseconds).
        if (!exited) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            worker.once('exit', done);
            worker.on('message', (message: { closed?: boolean }) => {
              if (message.closed) done();
            });
            worker.postMessage('close');
          });
        }
        await worker.terminate();
        // 'exit' may come later than terminate() resolves; nothing must wait on a dead port meanwhile.
        requestHandler.destroy();
        release();
      },
    };
    return port !== undefined && credentials ? { ...store, endpoint: `http://127.0.0.1:${port}`, credentials } : store;
  } catch (error) {
    release();
    throw error;
  }
}
