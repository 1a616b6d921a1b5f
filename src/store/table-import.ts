/**
 * A bulk import into a new table of the embedded store, as DynamoDB's ImportTable is on AWS:
 * the loader's valid rows go straight into LevelDB, one batch per call, and the table appears
 * only at `commit()`, with every row in it (the worker's side, and why: table-import-worker.js).
 * Until then GetItem, Query and Scan answer ResourceNotFoundException and a CreateTable for the
 * name is refused, so a crashed or stopped import is never half visible; `begin` on the same
 * table resumes it (its rows kept) or, with `restart`, clears it and starts over.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { BatchWriteError } from './batch-writer';
import { scoresTableDefinition } from './table';
import { StoreStepError, type WorkerRequestHandler } from './worker-transport';

/** Turns a refused or failed step into the error a load stops with (store-errors.ts, batch-writer.ts). */
export type ImportFailure = (error: StoreStepError) => Error;

export class TableImport {
  private constructor(
    private readonly store: WorkerRequestHandler,
    readonly tableName: string,
    /** Whether an unfinished import of the table was found and is continued. */
    readonly resumed: boolean,
    private readonly failure: ImportFailure,
  ) {}

  /** Starts (or resumes) importing into `tableName`, which must not exist yet. */
  static async begin(
    store: WorkerRequestHandler,
    tableName: string,
    options: { restart?: boolean; failure?: ImportFailure } = {},
  ): Promise<TableImport> {
    const failure = options.failure ?? ((error) => new BatchWriteError(error.message));
    const { resumed } = (await importStep(
      store,
      { op: 'begin', createTable: scoresTableDefinition(tableName), restart: options.restart === true },
      failure,
    )) as { resumed: boolean };
    return new TableImport(store, tableName, resumed, failure);
  }

  /** Writes one batch of records (plain objects, marshalled here) in one LevelDB write. */
  readonly write = async (items: readonly Record<string, unknown>[]): Promise<void> => {
    const marshalled = items.map((item) => marshall(item, { removeUndefinedValues: true }));
    await importStep(this.store, { op: 'write', tableName: this.tableName, items: marshalled }, this.failure);
  };

  /** Creates the table over everything written: from now on it answers like any other. */
  async commit(): Promise<void> {
    await importStep(this.store, { op: 'commit', tableName: this.tableName }, this.failure);
  }
}

/** One step of an import in the store's worker, a refused or failed one thrown as `failure` words it. */
async function importStep(
  store: WorkerRequestHandler,
  step: Parameters<WorkerRequestHandler['storeStep']>[0],
  failure: ImportFailure,
): Promise<unknown> {
  try {
    return await store.storeStep(step);
  } catch (error) {
    throw error instanceof StoreStepError ? failure(error) : error;
  }
}
