/**
 * `scoredrive load`: streams a monthly file into the scores table. Every valid row is written
 * once (BatchWriteItem, several batches in flight, UnprocessedItems and throttling retried with
 * capped, jittered exponential backoff); every invalid row goes to the rejects file with its
 * line and reason. A checkpoint records the longest prefix of the file that is durably handled,
 * so after a crash a rerun continues from there: rows past it may be written again, which is
 * harmless (a put of the same item), and none is lost.
 */
import { rm } from 'node:fs/promises';
import { MAX_BATCH_ITEMS, putBatch } from '../store/batch-writer';
import type { DynamoDBApi } from '../store/dynamodb-api';
import {
  type Checkpoint,
  type LoadCounters,
  readCheckpoint,
  removeCheckpoint,
  sameFile,
  writeCheckpoint,
} from './checkpoint';
import { openLoadInput } from './input';
import { RejectsFile } from './rejects-file';
import { readRows } from './rows';

export interface LoadOptions {
  readonly api: DynamoDBApi;
  readonly tableName: string;
  readonly file: string;
  /** @default `<file>.rejects.csv` (`load-stdin.rejects.csv` for stdin) */
  readonly rejectsFile?: string;
  /** @default `<file>.checkpoint.json`; stdin cannot be resumed */
  readonly checkpointFile?: string;
  /** Batches in flight. @default 8 */
  readonly concurrency?: number;
  /** Attempts per batch before the load stops (its checkpoint stays, for a rerun). @default 10 */
  readonly maxAttempts?: number;
  /** Ignore an existing checkpoint and load the whole file. */
  readonly restart?: boolean;
  /** Seconds between checkpoints. @default 2 */
  readonly checkpointSeconds?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Base of the retry backoff in ms (tests shorten it). @default 50 */
  readonly backoffMs?: number;
}

export interface LoadProgress extends LoadCounters {
  readonly file: string;
  readonly bytesRead: number;
  readonly totalBytes?: number;
  /** The line the load resumed after (0 for a fresh start). */
  readonly resumedAfterLine: number;
}

export interface LoadSummary extends LoadProgress {
  readonly seconds: number;
  readonly rejectsFile: string;
}

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/** A stretch of the file, up to `endLine`, whose batch (if any) is written once `done`. */
interface Segment {
  readonly endLine: number;
  readonly rejectsBytes: number;
  readonly counters: LoadCounters;
  done: boolean;
}

export async function loadFile(options: LoadOptions): Promise<LoadSummary> {
  const started = Date.now();
  const input = await openLoadInput(options.file);
  const fromStdin = options.file === '-';
  const checkpointFile = fromStdin ? undefined : (options.checkpointFile ?? `${options.file}.checkpoint.json`);
  const rejectsPath = options.rejectsFile ?? (fromStdin ? 'load-stdin.rejects.csv' : `${options.file}.rejects.csv`);

  const previous = checkpointFile && !options.restart ? await readCheckpoint(checkpointFile) : undefined;
  if (previous && (!input.identity || !sameFile(previous.identity, input.identity))) {
    throw new LoadError(
      `${options.file} changed since its checkpoint ${checkpointFile} was written; rerun with --restart to load it from the start`,
    );
  }
  if (previous && previous.table !== options.tableName) {
    throw new LoadError(`the checkpoint ${checkpointFile} is for table ${previous.table}, not ${options.tableName}`);
  }
  const resumedAfterLine = previous?.lineDone ?? 0;
  const counters: LoadCounters = previous ? { ...previous.counters } : { read: 0, loaded: 0, rejected: 0, retried: 0 };
  const rejects = new RejectsFile(rejectsPath, previous?.rejectsBytes ?? 0);

  const segments: Segment[] = [];
  let durable: Segment | undefined;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const concurrency = options.concurrency ?? 8;

  const progress = (): LoadProgress => ({
    ...counters,
    file: input.name,
    bytesRead: input.bytesRead(),
    totalBytes: input.totalBytes,
    resumedAfterLine,
  });

  /** Moves the durable point over every finished segment at the front. */
  const advance = () => {
    while (segments.length > 0 && segments[0].done) durable = segments.shift();
  };
  const saveCheckpoint = async () => {
    if (!checkpointFile || !input.identity || !durable) return;
    rejects.sync();
    await writeCheckpoint(checkpointFile, {
      version: 1,
      file: options.file,
      identity: input.identity,
      table: options.tableName,
      lineDone: durable.endLine,
      rejectsBytes: durable.rejectsBytes,
      counters: durable.counters,
      updatedAt: new Date().toISOString(),
    } satisfies Checkpoint);
  };
  const ticker = setInterval(
    () => {
      options.onProgress?.(progress());
      saveCheckpoint().catch((error) => {
        failure ??= error;
      });
    },
    (options.checkpointSeconds ?? 2) * 1000,
  );

  const writeBatch = (items: Record<string, unknown>[]) =>
    putBatch(options.api, options.tableName, items, {
      maxAttempts: options.maxAttempts,
      backoffMs: options.backoffMs,
      onRetry: (items) => {
        counters.retried += items;
      },
    });

  let batch: Record<string, unknown>[] = [];
  let batchKeys = new Map<string, number>();
  let lastLine = 0;
  const dispatch = async () => {
    const segment: Segment = {
      endLine: lastLine,
      rejectsBytes: rejects.size,
      counters: { ...counters, loaded: counters.loaded + batch.length },
      done: batch.length === 0,
    };
    segments.push(segment);
    if (batch.length > 0) {
      const items = batch;
      counters.loaded += items.length;
      const task = writeBatch(items).then(
        () => {
          segment.done = true;
          advance();
        },
        (error) => {
          failure ??= error;
        },
      );
      inFlight.add(task);
      task.finally(() => inFlight.delete(task));
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    } else {
      advance();
    }
    batch = [];
    batchKeys = new Map();
  };

  try {
    for await (const row of readRows(input)) {
      if (failure) break;
      if (row.line <= resumedAfterLine) continue;
      counters.read += 1;
      lastLine = row.line;
      if (!row.result.ok) {
        counters.rejected += 1;
        rejects.add(row.line, row.result.reason, row.text);
        continue;
      }
      const { record } = row.result;
      const key = `${record.driverId}\u0000${record.period}`;
      const earlier = batchKeys.get(key);
      if (earlier !== undefined) {
        counters.rejected += 1;
        rejects.add(row.line, `duplicate key (driverId, period) of line ${earlier} in the same batch`, row.text);
        continue;
      }
      batchKeys.set(key, row.line);
      batch.push(record as unknown as Record<string, unknown>);
      if (batch.length === MAX_BATCH_ITEMS) await dispatch();
    }
    if (!failure) await dispatch();
    await Promise.allSettled(inFlight);
    if (failure) throw failure;
    advance();
  } finally {
    clearInterval(ticker);
    try {
      await saveCheckpoint();
    } finally {
      rejects.close();
    }
  }
  if (checkpointFile) await removeCheckpoint(checkpointFile);
  // A rejects file with only its header says nothing; leave none.
  if (counters.rejected === 0) await rm(rejectsPath, { force: true });
  const summary: LoadSummary = {
    ...progress(),
    seconds: (Date.now() - started) / 1000,
    rejectsFile: rejectsPath,
  };
  options.onProgress?.(summary);
  return summary;
}
