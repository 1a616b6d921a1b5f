// The embedded store's bulk import, as DynamoDB's ImportTable is on AWS: items go straight into
// LevelDB, one batch per message, into a table that does not exist yet, and the table appears
// only when the import commits, whole. Plain JavaScript, run inside the store's worker
// (dynalite-worker.js), next to the dynalite store it writes to.
//
// Why not dynalite's BatchWriteItem: its request path (protocol JSON, validation, per-item
// bookkeeping) is the store's write ceiling; an import of a new table needs none of it. The items
// are validated by the loader before they are sent, exactly as for a normal load.
//
// State, in LevelDB itself (so it is exactly as durable as the items): one marker per unfinished
// import, `scoredrive-import~<table>` → { tableName, createTable, startedAt }. Its items are
// written under dynalite's own keys for that table ('item-<table>~' + dynalite's key), which no
// request can read while the table is not created: GetItem, Query and Scan answer
// ResourceNotFoundException. While a marker exists, a CreateTable for its name is refused (see
// refusesCreateTable), so staged items can never surface in a table created by someone else;
// commit creates the table through dynalite's own CreateTable and then removes the marker.
import { createRequire } from 'node:module';

const { activate: activateTable } = createRequire(import.meta.url)('dynalite/actions/createTable');

const MARKER_PREFIX = 'scoredrive-import~';
/** Keys deleted per LevelDB batch when staged items are cleared (bounded memory). */
const CLEAR_CHUNK = 10_000;

export class ImportError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ImportError';
    this.code = code;
  }
}

/**
 * @param store dynalite's store (db, tableDb, getItemDb)
 * @param dynamoDb dynalite's db module (createKey)
 * @param createTable (input) => Promise<void>: a CreateTable request through dynalite's own
 *   handler, past refusesCreateTable
 * @param checkCreateTable (input) => void: throws what dynalite's CreateTable would refuse
 */
export function createTableImports(store, dynamoDb, createTable, checkCreateTable) {
  /** table name → the CreateTable input of its unfinished import (its key schema). */
  const unfinished = new Map();

  const markerKey = (tableName) => MARKER_PREFIX + tableName;
  const itemPrefix = (tableName) => store.getItemDb(tableName).prefix;

  /** Whether the table exists (`active`: and is ACTIVE, not CREATING). */
  const tableExists = (tableName, active = false) =>
    new Promise((resolve, reject) => {
      store.getTable(tableName, active, (error) => {
        if (!error) return resolve(true);
        if (error.name === 'NotFoundError' || /ResourceNotFoundException/.test(error.body?.__type ?? ''))
          return resolve(false);
        reject(error);
      });
    });

  /** Writes what dynalite's CreateTable writes on its next turn, if that write never happened. */
  async function activate(tableName) {
    const table = await new Promise((resolve, reject) =>
      store.tableDb.get(tableName, (error, value) => (error ? reject(error) : resolve(value))),
    );
    if (table.TableStatus !== 'CREATING') return;
    await new Promise((resolve, reject) =>
      store.tableDb.put(tableName, activateTable(table), (error) => (error ? reject(error) : resolve())),
    );
  }

  async function clearStagedItems(tableName) {
    const prefix = itemPrefix(tableName);
    for (;;) {
      const iterator = store.db.keys({ gte: prefix, lt: `${prefix}\uffff`, limit: CLEAR_CHUNK });
      let keys;
      try {
        keys = await iterator.all();
      } finally {
        await iterator.close().catch(() => {});
      }
      if (keys.length === 0) return;
      await store.db.batch(keys.map((key) => ({ type: 'del', key })));
    }
  }

  return {
    /**
     * Reads the markers left by earlier runs. A marker whose table exists is a commit that was
     * stopped after dynalite's CreateTable wrote the table: finished here, the table made ACTIVE
     * if the stop fell before dynalite's second write (which does it on its next turn), so the
     * table is never left CREATING for good.
     */
    async open() {
      const markers = await store.db.iterator({ gte: MARKER_PREFIX, lt: `${MARKER_PREFIX}\uffff` }).all();
      for (const [key, marker] of markers) {
        if (await tableExists(marker.tableName)) {
          await activate(marker.tableName);
          await store.db.del(key);
        } else unfinished.set(marker.tableName, marker.createTable);
      }
    },

    /** Whether a CreateTable for this name must be refused: an import of it is unfinished. */
    refusesCreateTable(tableName) {
      return unfinished.has(tableName);
    },

    /**
     * Starts an import of `createTable.TableName`, or resumes the unfinished one (its staged
     * items kept) unless `restart`. Answers { resumed }.
     */
    async begin({ createTable: input, restart }) {
      const tableName = input.TableName;
      try {
        checkCreateTable(input);
      } catch (error) {
        throw new ImportError('ValidationException', `table ${tableName} cannot be created: ${error.message}`);
      }
      if (await tableExists(tableName))
        throw new ImportError(
          'TableExists',
          `table ${tableName} already exists: an import creates a new table (load without --import to add to it)`,
        );
      const resumed = unfinished.has(tableName) && !restart;
      if (!resumed) {
        await clearStagedItems(tableName);
        await store.db.put(markerKey(tableName), {
          tableName,
          createTable: input,
          startedAt: new Date().toISOString(),
        });
        unfinished.set(tableName, input);
      }
      return { resumed };
    },

    /**
     * Writes items of an unfinished import, in one LevelDB batch: `values[i]` is an item's
     * DynamoDB JSON as text and `keys[i]` its key attributes, from which dynalite's own
     * createKey makes the LevelDB key. The text is stored as it came (utf8): the bytes dynalite's
     * json encoding would write for the parsed item, without parsing and printing it again.
     */
    async write({ tableName, keys, values }) {
      const table = unfinished.get(tableName);
      if (!table) throw new ImportError('NoImport', `no import of table ${tableName} is under way`);
      if (!Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length)
        throw new ImportError('ValidationException', 'an import write needs as many keys as items');
      const prefix = itemPrefix(tableName);
      const operations = new Array(values.length);
      for (let i = 0; i < values.length; i += 1) {
        if (typeof values[i] !== 'string')
          throw new ImportError('ValidationException', 'an import write takes each item as JSON text');
        operations[i] = {
          type: 'put',
          key: prefix + dynamoDb.createKey(keys[i], table),
          value: values[i],
          valueEncoding: 'utf8',
        };
      }
      await store.db.batch(operations);
      return { written: values.length };
    },

    /** Creates the table over its staged items, then forgets the import. */
    async commit({ tableName }) {
      const table = unfinished.get(tableName);
      if (!table) throw new ImportError('NoImport', `no import of table ${tableName} is under way`);
      await createTable(table);
      // dynalite makes a new table ACTIVE on its next turn: the import is over when it answers.
      while (!(await tableExists(tableName, true))) await new Promise((resolve) => setTimeout(resolve, 5));
      unfinished.delete(tableName);
      await store.db.del(markerKey(tableName));
      return { committed: tableName };
    },
  };
}
