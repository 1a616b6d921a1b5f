/**
 * `scoredrive load`: streams a monthly file into the scores table. Every valid row is written
 * once (BatchWriteItem, several batches in flight, UnprocessedItems and throttling retried with
 * capped, jittered exponential backoff); every invalid row goes to the rejects file with its
 * line and reason. A checkpoint records the longest prefix of the file that is durably handled,
 * so after a crash a rerun continues from there: rows past it may be written again, which is
 * harmless (a put of the same item), and none is lost.
 *
 * A load that cannot go on (a damaged input, a full disk, a store that stopped) still ends in
 * order: the batches in flight are waited for, the checkpoint is written for what is durable,
 * and a LoadFailure carries the reason in words and the counters so far.
 */
import type { ScoreRecord } from '../domain/score';
import { MAX_BATCH_ITEMS, putBatch } from '../store/batch-writer';
import type { DynamoDBApi } from '../store/dynamodb-api';
import { type Checkpoint, type EndedEarly, type LoadCounters, removeCheckpoint, writeCheckpoint } from './checkpoint';
import { DurableBatches } from './durable-batches';
import { type FileIdentity, InputDataError, type LoadInput, openLoadInput } from './input';
import { failureKind, LoadFailure } from './load-failure';
import { RejectsFile } from './rejects-file';
import { checkpointToResume } from './resume';
import { type InputRow, readRows } from './rows';
import { guardStoreApi } from './store-errors';

/**
 * Where valid rows go: BatchWriteItem through a DynamoDB API (the normal path), or a writer of
 * whole batches (a table import, src/store/table-import.ts) that throws the store-errors.ts
 * errors itself.
 */
export type LoadTarget =
  | { readonly api: DynamoDBApi; readonly writeBatch?: never }
  | { readonly writeBatch: (records: readonly ScoreRecord[]) => Promise<void>; readonly api?: never };

export type LoadOptions = LoadTarget & {
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
  /**
   * Once the file is loaded, keep its checkpoint, marked finished, instead of removing it: a
   * rerun then skips the file (what the command of several files asks, until all are loaded).
   */
  readonly keepFinished?: boolean;
  /** Seconds between checkpoints. @default 2 */
  readonly checkpointSeconds?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Base of the retry backoff in ms (tests shorten it). @default 50 */
  readonly backoffMs?: number;
  /** Why the embedded store stopped, if it has: names a full disk under it. */
  readonly storeStopReason?: () => Error | undefined;
};

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
  /** Not read: its checkpoint says an earlier run loaded the whole file (the counters are that run's). */
  readonly alreadyLoaded?: boolean;
}

/** BatchWriteItem through `api`, its unmendable failures named (store-errors.ts). */
function batchWriter(api: DynamoDBApi, options: LoadOptions) {
  const guarded = guardStoreApi(api, options.storeStopReason);
  return (items: readonly ScoreRecord[], onRetry: (items: number) => void) =>
    putBatch(guarded, options.tableName, items, {
      maxAttempts: options.maxAttempts,
      backoffMs: options.backoffMs,
      onRetry,
    });
}

/** A row's table key, (driverId, period), as one string. */
const rowKey = (record: ScoreRecord) => `${record.driverId}\u0000${record.period}`;

/** Where a file's checkpoint goes unless the caller says otherwise. */
export const defaultCheckpointFile = (file: string) => `${file}.checkpoint.json`;

export async function loadFile(options: LoadOptions): Promise<LoadSummary> {
  const started = Date.now();
  const fromStdin = options.file === '-';
  const checkpointFile = fromStdin ? undefined : (options.checkpointFile ?? defaultCheckpointFile(options.file));
  const rejectsPath = options.rejectsFile ?? (fromStdin ? 'load-stdin.rejects.csv' : `${options.file}.rejects.csv`);
  const name = fromStdin ? 'stdin' : options.file;
  /** A known failure as a LoadFailure with the counters so far; anything else (a bug) as it is. */
  const stopped = (error: unknown, progress: LoadProgress, checkpointLine: number) => {
    const kind = failureKind(error, name);
    if (!kind) return error;
    const summary = { ...progress, seconds: (Date.now() - started) / 1000, rejectsFile: rejectsPath };
    return new LoadFailure((error as Error).message, kind, summary, checkpointLine, { cause: error });
  };
  const nothing: LoadProgress = {
    read: 0,
    loaded: 0,
    rejected: 0,
    retried: 0,
    file: name,
    bytesRead: 0,
    resumedAfterLine: 0,
  };

  let input: LoadInput;
  let previous: Checkpoint | undefined;
  try {
    input = await openLoadInput(options.file);
  } catch (error) {
    throw stopped(error, nothing, 0);
  }
  try {
    previous = options.restart
      ? undefined
      : await checkpointToResume(checkpointFile, input, options.file, options.tableName);
  } catch (error) {
    input.close();
    throw stopped(error, nothing, 0);
  }
  if (previous?.finished) {
    input.close();
    const summary: LoadSummary = {
      ...nothing,
      ...previous.counters,
      resumedAfterLine: previous.lineDone,
      seconds: 0,
      rejectsFile: rejectsPath,
      alreadyLoaded: true,
    };
    options.onProgress?.(summary);
    return summary;
  }
  const resumedAfterLine = previous?.lineDone ?? 0;
  const counters: LoadCounters = previous ? { ...previous.counters } : { read: 0, loaded: 0, rejected: 0, retried: 0 };
  let rejects: RejectsFile;
  try {
    rejects = new RejectsFile(rejectsPath, previous?.rejectsBytes ?? 0);
  } catch (error) {
    input.close();
    throw stopped(error, { ...nothing, ...counters, resumedAfterLine }, resumedAfterLine);
  }
  const writeBatch = options.writeBatch ?? batchWriter(options.api, options);

  /** The line the checkpoint on disk holds as done: what a rerun resumes after. */
  let savedLine = resumedAfterLine;
  /** The first thing that went wrong; the load stops at the next row. */
  let failure: unknown;
  /**
   * Keys of the rows handed to the store and not yet written, with how many batches in flight
   * hold each. Batches finish in any order (and retried items later still), so a row repeating
   * one of these keys waits for them: the later line of the file is the one the table keeps.
   */
  const unwritten = new Map<string, number>();
  const release = (keys: readonly string[]) => {
    for (const key of keys) {
      const left = (unwritten.get(key) ?? 1) - 1;
      if (left === 0) unwritten.delete(key);
      else unwritten.set(key, left);
    }
  };
  const batches = new DurableBatches(
    (items) => {
      const keys = items.map(rowKey);
      for (const key of keys) unwritten.set(key, (unwritten.get(key) ?? 0) + 1);
      return writeBatch(items, (retried) => {
        counters.retried += retried;
      }).finally(() => release(keys));
    },
    options.concurrency ?? 8,
    previous && { endLine: previous.lineDone, rejectsBytes: previous.rejectsBytes, counters: previous.counters },
    {
      written: (rows) => {
        counters.loaded += rows;
      },
      failed: (error) => {
        failure ??= error;
      },
    },
  );

  const progress = (): LoadProgress => ({
    ...counters,
    file: input.name,
    bytesRead: input.bytesRead(),
    totalBytes: input.totalBytes,
    resumedAfterLine,
  });

  /** The checkpoint of this file and table with everything up to `lineDone` handled. */
  const checkpointAt = (
    identity: FileIdentity,
    lineDone: number,
    rejectsBytes: number,
    at: LoadCounters,
  ): Checkpoint => ({
    version: 1,
    file: options.file,
    identity,
    table: options.tableName,
    lineDone,
    rejectsBytes,
    counters: at,
    updatedAt: new Date().toISOString(),
  });
  const writeDurable = async (endedEarly?: EndedEarly) => {
    const durable = batches.durable;
    if (!checkpointFile || !input.identity || !durable) return;
    rejects.sync();
    await writeCheckpoint(checkpointFile, {
      ...checkpointAt(input.identity, durable.endLine, durable.rejectsBytes, durable.counters),
      ...(endedEarly ? { endedEarly } : {}),
    });
    savedLine = durable.endLine;
  };
  // One checkpoint write at a time: the ticker's and the final one share a temporary file.
  let saving: Promise<void> = Promise.resolve();
  const saveCheckpoint = (endedEarly?: EndedEarly) => {
    saving = saving.catch(() => {}).then(() => writeDurable(endedEarly));
    return saving;
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

  let batch: ScoreRecord[] = [];
  let batchKeys = new Map<string, number>();
  let lastLine = resumedAfterLine;
  const dispatch = async () => {
    const items = batch;
    batch = [];
    batchKeys = new Map();
    await batches.dispatch(items, lastLine, rejects.size, counters);
  };

  /** Set when the input cannot be read on: the rows before it are still written and checkpointed. */
  let inputFailure: unknown;
  const rows = readRows(input);
  try {
    while (!failure) {
      let next: IteratorResult<InputRow>;
      try {
        next = await rows.next();
      } catch (error) {
        inputFailure = error;
        break;
      }
      if (next.done) break;
      const row = next.value;
      if (row.line <= resumedAfterLine) continue;
      counters.read += 1;
      lastLine = row.line;
      if (!row.result.ok) {
        counters.rejected += 1;
        rejects.add(row.line, row.result.reason, row.text);
        continue;
      }
      const { record } = row.result;
      const key = rowKey(record);
      const earlier = batchKeys.get(key);
      if (earlier !== undefined) {
        counters.rejected += 1;
        rejects.add(row.line, `duplicate key (driverId, period) of line ${earlier} in the same batch`, row.text);
        continue;
      }
      if (unwritten.has(key)) await batches.settle();
      batchKeys.set(key, row.line);
      batch.push(record);
      if (batch.length === MAX_BATCH_ITEMS) await dispatch();
    }
    if (!failure) await dispatch();
  } catch (error) {
    // The rejects file could not be written: no segment may end at or past the row it was for.
    failure ??= error;
  } finally {
    // Whether read to its end or not, the file is let go now (its read-ahead ends here).
    input.close();
    await rows.return(undefined).catch(() => {});
  }
  failure ??= inputFailure;
  // Never leave writes in flight: the store may be closed right after this returns.
  await batches.settle();
  clearInterval(ticker);
  const endedEarly =
    failure instanceof InputDataError && failure.truncated && input.rawSha256()
      ? { bytes: input.bytesRead(), sha256: input.rawSha256() as string }
      : undefined;
  try {
    // Only a load that stopped needs its final checkpoint: a finished one removes it.
    if (failure) await saveCheckpoint(endedEarly);
    else await saving.catch(() => {});
  } catch (error) {
    failure ??= error;
  }
  try {
    rejects.close();
  } catch (error) {
    failure ??= error;
  }
  if (failure) {
    throw stopped(failure, progress(), checkpointFile ? savedLine : 0);
  }

  if (checkpointFile && options.keepFinished && input.identity) {
    await writeCheckpoint(checkpointFile, {
      ...checkpointAt(input.identity, lastLine, rejects.size, { ...counters }),
      finished: true,
    });
  } else if (checkpointFile) {
    await removeCheckpoint(checkpointFile);
  }
  // A rejects file with only its header says nothing; leave none.
  if (counters.rejected === 0) rejects.removeStale();
  const summary: LoadSummary = {
    ...progress(),
    seconds: (Date.now() - started) / 1000,
    rejectsFile: rejectsPath,
  };
  options.onProgress?.(summary);
  return summary;
}
