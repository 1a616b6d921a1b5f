/**
 * A bulk import into a new table of the embedded store, as DynamoDB's ImportTable is on AWS:
 * the loader's valid rows go straight into LevelDB, one batch per call, and the table appears
 * only at `commit()`, with every row in it (the worker's side, and why: table-import-worker.js).
 * Until then GetItem, Query and Scan answer ResourceNotFoundException and a CreateTable for the
 * name is refused, so a crashed or stopped import is never half visible; `begin` on the same
 * table resumes it (its rows kept) or, with `restart`, clears it and starts over.
 */
import { TABLE_KEY } from '../contract/data-sources';
import type { ScoreRecord } from '../domain/score';
import { BatchWriteError } from './batch-writer';
import { scoreItem } from './score-item';
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

  /**
   * Writes one batch of checked records in one LevelDB write. Each goes to the worker as its
   * item's JSON text, with its key attributes beside it for the worker to make the LevelDB key:
   * measured on a 1,000,000-row import, copying the items as objects over the message port
   * (structured clone) took ~20% of the loader thread's CPU; a string is copied whole.
   */
  readonly write = async (records: readonly ScoreRecord[]): Promise<void> => {
    const keys: Record<string, { S: string }>[] = [];
    const values: string[] = [];
    for (const record of records) {
      const item = scoreItem(record);
      keys.push({ [TABLE_KEY.partitionKey]: item.driverId, [TABLE_KEY.sortKey]: item.period });
      values.push(JSON.stringify(item));
    }
    await importStep(this.store, { op: 'write', tableName: this.tableName, keys, values }, this.failure);
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
