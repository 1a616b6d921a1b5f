/**
 * Store failures that no retry can mend, told apart from throttling. When the disk under the
 * store is full (or failing, or read-only), nothing written will succeed, yet the answers look
 * retryable: the embedded store's LevelDB fails the put with `LEVEL_IO_ERROR` ("IO error:
 * …/000003.log: No space left on device"), dynalite throws it, the worker dies, and every
 * request after that gets 503 ServiceUnavailable ("the embedded store is not running"); an
 * endpoint over HTTP answers a 500 carrying the IO error. The batch writer retries both and
 * would end in "DynamoDB keeps throttling". This wrapper stops at the first such answer with
 * the cause in words.
 */
import { statfsSync } from 'node:fs';
import { BatchWriteError } from '../store/batch-writer';
import type { DynamoDBApi, WireAnswer } from '../store/dynamodb-api';
import type { ImportFailure } from '../store/table-import';
import { STORE_NOT_RUNNING } from '../store/worker-transport';

/** The store cannot write to its disk (full, failing, read-only): retrying does not change that. */
export class StoreDiskError extends Error {
  override readonly name = 'StoreDiskError';
}

/** The embedded store stopped for another reason: it does not come back on its own. */
export class StoreStoppedError extends Error {
  override readonly name = 'StoreStoppedError';
}

/** How storage engines word a failed write (LevelDB, SQLite under DynamoDB Local, errno texts). */
const DISK_MESSAGE =
  /IO error|No space left on device|ENOSPC|EDQUOT|Disk quota exceeded|Read-only file system|EROFS|Input\/output error|EIO\b|database or disk is full|SQLITE_FULL|SQLITE_IOERR/i;

/** "the store could not write to disk: no space left on device (IO error: …)" */
export function describeStoreDiskError(message: string): string {
  const words = /No space left on device|ENOSPC|database or disk is full|SQLITE_FULL/i.test(message)
    ? 'no space left on device'
    : /Disk quota exceeded|EDQUOT/i.test(message)
      ? 'disk quota exceeded'
      : /Read-only file system|EROFS/i.test(message)
        ? 'the file system is read-only'
        : 'an I/O error';
  return `the store could not write to disk: ${words} (${message})`;
}

/** The store stopped and the disk under it is all but full: the likely cause, which its own error may not name. */
class LowDiskSpace extends Error {}

/**
 * Below this, a stopped store is taken to have run out of space: LevelDB writes its log and
 * its tables a few MB at a time.
 */
const LOW_SPACE_BYTES = 16 * 1024 * 1024;

/**
 * Why the embedded store's worker stopped, for the user. Its error crosses the thread boundary
 * as a message only, and not always the telling one: a store reopened on a full disk fails its
 * recovery with an IO error but dies saying "Database is closed". So when the message names no
 * disk problem, the free space under the data directory is looked at.
 */
export function explainStoreStop(error: Error | undefined, dataDir: string): Error {
  const reason = error ?? new Error('the worker exited');
  if (DISK_MESSAGE.test(reason.message)) return reason;
  let free: number | undefined;
  try {
    const space = statfsSync(dataDir);
    free = space.bavail * space.bsize;
  } catch {
    return reason;
  }
  if (free >= LOW_SPACE_BYTES) return reason;
  return new LowDiskSpace(`${free} bytes free under ${dataDir}; the store said "${reason.message}"`);
}

/** Why the embedded store's worker stopped, as the error to stop a load with. */
export function storeStopError(reason: Error | undefined): StoreDiskError | StoreStoppedError {
  if (reason instanceof LowDiskSpace) {
    return new StoreDiskError(`the store could not write to disk: no space left on device (${reason.message})`);
  }
  if (reason && DISK_MESSAGE.test(reason.message)) return new StoreDiskError(describeStoreDiskError(reason.message));
  return new StoreStoppedError(`the embedded store stopped${reason ? `: ${reason.message}` : ''}`);
}

/**
 * `api` with its unmendable failures thrown (StoreDiskError, StoreStoppedError). `stopReason` tells why the
 * embedded store's worker stopped, once it has (undefined for other endpoints).
 */
/** The unmendable failure a store's message names (a disk problem, a stopped store), if any. */
function unmendableFailure(message: string, stopReason: () => Error | undefined): Error | undefined {
  if (DISK_MESSAGE.test(message)) return new StoreDiskError(describeStoreDiskError(message));
  if (message === STORE_NOT_RUNNING) return storeStopError(stopReason());
  return undefined;
}

export function guardStoreApi(api: DynamoDBApi, stopReason: () => Error | undefined = () => undefined): DynamoDBApi {
  const check = (statusCode: number, message: string) => {
    const failure = statusCode >= 500 ? unmendableFailure(message, stopReason) : undefined;
    if (failure) throw failure;
  };
  return {
    async callWire(action, body): Promise<WireAnswer> {
      const answer = await api.callWire(action, body);
      if (answer.statusCode >= 500) check(answer.statusCode, messageOf(answer.body));
      return answer;
    },
    async call(operation, input) {
      try {
        return await api.call(operation, input);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== undefined) check(status, String((error as Error).message ?? ''));
        throw error;
      }
    },
  };
}

/**
 * A table import's failed step as the error to stop a load with: a disk problem, a stopped
 * store, or a refusal (BatchWriteError).
 */
export function importStepFailure(stopReason: () => Error | undefined = () => undefined): ImportFailure {
  return (error) => unmendableFailure(error.message, stopReason) ?? new BatchWriteError(error.message);
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    return String(parsed.message ?? parsed.Message ?? '');
  } catch {
    return body;
  }
}
