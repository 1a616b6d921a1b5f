/**
 * Why a load stopped before the end of its file, sorted by what the operator does next: fix or
 * re-fetch the input, free the disk, or look at the store. Each kind has its own exit code
 * (src/cli/load.ts). Errors that are none of these (bugs) are not sorted and keep their stack.
 */
import { BatchWriteError } from '../store/batch-writer';
import { InputDataError } from './input';
import { FileAccessError, isDiskFull } from './io-errors';
import type { LoadSummary } from './loader';
import { CheckpointMismatchError } from './resume';
import { LoadFileError } from './rows';
import { StoreDiskError, StoreStoppedError } from './store-errors';

export type FailureKind =
  /** The input cannot be read to its end: damaged gzip, a read error, a wrong CSV header. */
  | 'input'
  /** Writing failed on a disk: the rejects file, the checkpoint, or the store's own files. */
  | 'disk'
  /** The store refused the writes or kept throttling them. */
  | 'store'
  /** A checkpoint that does not belong to this file or table. */
  | 'checkpoint';

export class LoadFailure extends Error {
  override readonly name = 'LoadFailure';
  constructor(
    message: string,
    readonly kind: FailureKind,
    /** The counters when it stopped: what was read, written and rejected. */
    readonly summary: LoadSummary,
    /** The last line the checkpoint holds as done (0: none); a rerun resumes after it. */
    readonly checkpointLine: number,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** The kind of a known failure; undefined for anything else. */
export function failureKind(error: unknown, inputName: string): FailureKind | undefined {
  if (error instanceof InputDataError || error instanceof LoadFileError) return 'input';
  if (error instanceof FileAccessError) return error.file === inputName && !isDiskFull(error) ? 'input' : 'disk';
  if (error instanceof StoreDiskError) return 'disk';
  if (error instanceof StoreStoppedError || error instanceof BatchWriteError) return 'store';
  if (error instanceof CheckpointMismatchError) return 'checkpoint';
  return undefined;
}
