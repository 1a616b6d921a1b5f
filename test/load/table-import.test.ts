/**
 * `scoredrive load --import`: a bulk import into a new table of the embedded store, with the
 * normal path's validation, rejects and exactness, and a table that is never half visible. The
 * files are the broken-input fixtures (22 kinds of broken row among 200 valid ones, each format).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/load/checkpoint';
import { generateScores } from '../../src/load/generate';
import { LoadFailure } from '../../src/load/load-failure';
import { loadFile } from '../../src/load/loader';
import { importStepFailure } from '../../src/load/store-errors';
import { BatchWriteError } from '../../src/store/batch-writer';
import type { EmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { TableImport } from '../../src/store/table-import';
import { runScoredrive } from '../helpers/cli';
import { tempDir } from '../helpers/service';
import { brokenCsv, brokenJsonl } from './broken-files';
import { digestOf, readRejects, TABLE, tableDigest, withStore } from './helpers';

const require = createRequire(import.meta.url);

/** Edits the store's LevelDB directly while no store runs on it (dynalite's keys, JSON values). */
async function editStore(
  edit: (db: { get(key: string): Promise<any>; put(key: string, value: unknown): Promise<void> }) => Promise<void>,
) {
  const { Level } = createRequire(require.resolve('dynalite'))('level');
  const db = new Level(path.join(dir, 'data', 'dynamodb'), { valueEncoding: 'json' });
  try {
    await edit(db);
  } finally {
    await db.close();
  }
}

let dir: string;
let removeDir: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-import-'));
});
afterEach(async () => removeDir());

/** Runs `use` on the embedded store of `<dir>/data`, no table created. */
const withBareStore = <T>(use: (store: EmbeddedStore, client: DynamoDBClient) => Promise<T>) =>
  withStore(dir, use, { createTable: false });

const beginImport = (store: EmbeddedStore, restart = false) =>
  TableImport.begin(store.requestHandler, TABLE, { restart, failure: importStepFailure() });

const importFile = (tableImport: TableImport, file: string) =>
  loadFile({ writeBatch: tableImport.write, tableName: TABLE, file, restart: !tableImport.resumed });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => `${error.name}: ${error.message}`,
  );

/** What a caller of the store sees of the table: whether it exists, and one of its rows. */
async function visibility(client: DynamoDBClient, driverId: string, period: string) {
  return {
    describe: await refusal(client.send(new DescribeTableCommand({ TableName: TABLE }))),
    get: await refusal(
      client.send(new GetItemCommand({ TableName: TABLE, Key: { driverId: { S: driverId }, period: { S: period } } })),
    ),
  };
}

/** dynalite's answers, worded as DynamoDB's: DescribeTable names the table, GetItem does not. */
const INVISIBLE = {
  describe: `ResourceNotFoundException: Requested resource not found: Table: ${TABLE} not found`,
  get: 'ResourceNotFoundException: Requested resource not found',
};
const BEING_IMPORTED = `ResourceInUseException: Table ${TABLE} is being imported (scoredrive load --import): run the import again to finish it, or with --restart to start it over`;

describe('load --import', () => {
  for (const [format, make, name] of [
    ['CSV', brokenCsv, 'scores.csv'],
    ['JSON lines', brokenJsonl, 'scores.jsonl'],
  ] as const) {
    it(`${format}: the same rows and the same rejects as the normal path, in a table created at the end`, async () => {
      const expected = await make();
      const file = path.join(dir, name);
      await writeFile(file, expected.bytes);
      await withBareStore(async (store, client) => {
        const tableImport = await beginImport(store);
        expect(tableImport.resumed).toBe(false);
        const summary = await importFile(tableImport, file);
        expect(summary).toMatchObject({
          read: expected.valid.length + expected.rejects.length,
          loaded: expected.valid.length,
          rejected: expected.rejects.length,
        });
        const first = expected.valid[0]?.record as { driverId: string; period: string };
        expect(await visibility(client, first.driverId, first.period)).toEqual(INVISIBLE);

        await tableImport.commit();
        const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
        expect(Table?.TableStatus).toBe('ACTIVE');
        expect(await tableDigest(client)).toEqual(digestOf(expected.valid.map((v) => v.record)));
        // Read as the API reads: the newest month of a driver, by a newest-first Query.
        const newest = await client.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'driverId = :d',
            ExpressionAttributeValues: { ':d': { S: first.driverId } },
            ScanIndexForward: false,
            Limit: 1,
          }),
        );
        const periods = expected.valid
          .map((v) => v.record as { driverId: string; period: string })
          .filter((r) => r.driverId === first.driverId)
          .map((r) => r.period)
          .sort();
        expect(newest.Items?.[0]?.period?.S).toBe(periods.at(-1));
      });
      expect(await readRejects(file)).toEqual(expected.rejects);
    });
  }

  it('is never half visible: a stopped import leaves no table, refuses CreateTable of its name, and resumes exactly', async () => {
    const expected = await brokenCsv();
    const file = path.join(dir, 'scores.csv.gz');
    const complete = gzipSync(expected.bytes);
    await writeFile(file, complete.subarray(0, Math.floor(complete.length * 0.6)));
    const first = expected.valid[0]?.record as { driverId: string; period: string };

    await withBareStore(async (store, client) => {
      const failure = await importFile(await beginImport(store), file).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(LoadFailure);
      expect((failure as LoadFailure).kind).toBe('input');
      expect((failure as LoadFailure).summary.loaded).toBeGreaterThan(0);
      expect(await visibility(client, first.driverId, first.period)).toEqual(INVISIBLE);
      expect(await refusal(ensureScoresTable(client, TABLE, true))).toBe(BEING_IMPORTED);
    });
    const checkpoint = JSON.parse(await readFile(`${file}.checkpoint.json`, 'utf8')) as Checkpoint;

    // After a restart of the store, the unfinished import is still known.
    await withBareStore(async (store, client) => {
      expect(await refusal(ensureScoresTable(client, TABLE, true))).toBe(BEING_IMPORTED);
      await writeFile(file, complete);
      const tableImport = await beginImport(store);
      expect(tableImport.resumed).toBe(true);
      const rerun = await importFile(tableImport, file);
      expect(checkpoint.lineDone).toBeGreaterThan(0);
      expect(rerun.resumedAfterLine).toBe(checkpoint.lineDone);
      expect(rerun.loaded).toBe(expected.valid.length);
      await tableImport.commit();
      expect(await tableDigest(client)).toEqual(digestOf(expected.valid.map((v) => v.record)));
    });
    expect(await readRejects(file)).toEqual(expected.rejects);
  });

  it.each([
    ['before dynalite made the table ACTIVE', 'CREATING'],
    ['after dynalite made the table ACTIVE', 'ACTIVE'],
  ])('finishes a commit stopped %s: the table is ACTIVE, whole, and the import forgotten', async (_when, status) => {
    const expected = await brokenCsv();
    const file = path.join(dir, 'scores.csv');
    await writeFile(file, expected.bytes);
    await withBareStore(async (store) => {
      const tableImport = await beginImport(store);
      await importFile(tableImport, file);
      await tableImport.commit();
    });
    // The state a stop during commit leaves (a kill, a power cut): dynalite's CreateTable wrote
    // the table, CREATING, and makes it ACTIVE on its next turn; the import's marker goes last.
    await editStore(async (db) => {
      const table = await db.get(`table~${TABLE}`);
      await db.put(`table~${TABLE}`, { ...table, TableStatus: status });
      await db.put(`scoredrive-import~${TABLE}`, {
        tableName: TABLE,
        createTable: {},
        startedAt: '2026-12-02T00:00:00Z',
      });
    });
    await withBareStore(async (store, client) => {
      const described = await client.send(new DescribeTableCommand({ TableName: TABLE }));
      expect(described.Table?.TableStatus).toBe('ACTIVE');
      expect(await tableDigest(client)).toEqual(digestOf(expected.valid.map((v) => v.record)));
      // Forgotten: a new import of the name is refused because the table exists, not resumed.
      expect(await refusal(beginImport(store))).toMatch(/already exists/);
    });
    await editStore(async (db) => {
      expect(await db.get(`scoredrive-import~${TABLE}`)).toBeUndefined();
    });
  });

  it('--restart drops what an unfinished import staged', async () => {
    // Stale rows of other drivers (another seed), so any that survived would change the digest.
    const staleText = new PassThrough();
    const staleChunks: Buffer[] = [];
    staleText.on('data', (chunk: Buffer) => staleChunks.push(chunk));
    await generateScores(staleText, { count: 300, seed: 12, months: 3, lastPeriod: '2026-10', format: 'jsonl' });
    const stale = Buffer.concat(staleChunks);
    const fresh = await brokenCsv();
    const freshDrivers = new Set(fresh.valid.map((v) => (v.record as { driverId: string }).driverId));
    expect(freshDrivers.has(JSON.parse(stale.toString('utf8').split('\n')[0] as string).driverId)).toBe(false);
    const staleFile = path.join(dir, 'stale.jsonl.gz');
    const freshFile = path.join(dir, 'fresh.csv');
    const staleGzip = gzipSync(stale);
    await writeFile(staleFile, staleGzip.subarray(0, Math.floor(staleGzip.length * 0.6)));
    await writeFile(freshFile, fresh.bytes);
    await withBareStore(async (store, client) => {
      const stopped = await importFile(await beginImport(store), staleFile).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(stopped).toBeInstanceOf(LoadFailure);
      expect((stopped as LoadFailure).summary.loaded).toBeGreaterThan(0);
      const tableImport = await beginImport(store, true);
      expect(tableImport.resumed).toBe(false);
      await importFile(tableImport, freshFile);
      await tableImport.commit();
      expect(await tableDigest(client)).toEqual(digestOf(fresh.valid.map((v) => v.record)));
    });
  });

  it.each([
    ['an empty file', 'empty.csv', ''],
    [
      'a CSV of its header alone',
      'header.csv',
      'driverId,period,score,band,acceleration,braking,cornering,speeding,nightDriving,kmDriven,trips,modelVersion,updatedAt\n',
    ],
    ['a JSON-lines file of blank lines', 'blank.jsonl', '\n\r\n\n'],
  ])('%s: reads no row, rejects none, and makes an empty table', async (_name, name, text) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    await withBareStore(async (store, client) => {
      const tableImport = await beginImport(store);
      expect(await importFile(tableImport, file)).toMatchObject({ read: 0, loaded: 0, rejected: 0 });
      await tableImport.commit();
      const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(await tableDigest(client)).toEqual(digestOf([]));
    });
    // Nothing was rejected, so no rejects file is left beside it.
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
  });

  it('refuses, before any row is read, a table name DynamoDB would not create', async () => {
    await withBareStore(async (store, client) => {
      const refused = await TableImport.begin(store.requestHandler, 'ab', { failure: importStepFailure() }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(BatchWriteError);
      expect((refused as Error).message).toBe(
        'table ab cannot be created: TableName must be at least 3 characters long and at most 255 characters long',
      );
      // Nothing was begun: no marker refuses a CreateTable of the name afterwards.
      expect(await refusal(ensureScoresTable(client, 'ab', true))).toMatch(/^ValidationException: .*TableName/);
    });
  });

  it('refuses a table that exists, and leaves it as it was', async () => {
    await withBareStore(async (store, client) => {
      await ensureScoresTable(client, TABLE, true);
      const row = { driverId: { S: 'KEEPMEKEEPME0001' }, period: { S: '2026-10' }, score: { N: '70' } };
      await client.send(new PutItemCommand({ TableName: TABLE, Item: row }));
      const before = await tableDigest(client);
      const refused = await beginImport(store).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(BatchWriteError);
      expect((refused as Error).message).toBe(
        `table ${TABLE} already exists: an import creates a new table (load without --import to add to it)`,
      );
      expect(before.count).toBe(1);
      expect(await tableDigest(client)).toEqual(before);
    });
  });
});

const scoredrive = (args: string[]) => runScoredrive(['load', ...args]);

describe('load --import, through the command', () => {
  it('imports, says so, and refuses a second import into the same table', async () => {
    const expected = await brokenCsv();
    const file = path.join(dir, 'scores.csv');
    await writeFile(file, expected.bytes);
    const args = [file, '--import', '--data-dir', path.join(dir, 'data'), '--table', TABLE, '--max-rejects', '1000'];
    const first = await scoredrive(args);
    expect(first.err).not.toMatch(/\n\s+at /);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`table ${TABLE}: created by the import, ${expected.valid.length} rows written`);

    const second = await scoredrive(args);
    expect(second.code).toBe(1);
    expect(second.err.trim()).toBe(
      `scoredrive: table ${TABLE} already exists: an import creates a new table (load without --import to add to it)`,
    );
  });

  it('refuses --import with another endpoint: it writes into the embedded store only', async () => {
    const file = path.join(dir, 'scores.csv');
    await writeFile(file, (await brokenCsv()).bytes);
    const run = await scoredrive([file, '--import', '--dynamodb-endpoint', 'http://127.0.0.1:9', '--table', TABLE]);
    expect(run.code).toBe(1);
    expect(run.err.trim()).toBe(
      'scoredrive: --import writes into the embedded store only; on AWS a new table is imported from S3 with DynamoDB ImportTable',
    );
  });

  it.each([
    ['the normal path', []],
    ['--import', ['--import']],
  ])(
    '%s: a rerun after a stop at the second file does not read the first again, and loses nothing',
    async (_name, mode) => {
      const first = await brokenCsv();
      const fileA = path.join(dir, 'month-a.csv');
      const fileB = path.join(dir, 'month-b.jsonl');
      await writeFile(fileA, first.bytes);
      const data = path.join(dir, 'data');
      const args = [fileA, fileB, ...mode, '--data-dir', data, '--table', TABLE, '--max-rejects', '1000'];

      // The second file is not there yet: the command stops at it, after loading the first.
      const stopped = await scoredrive(args);
      expect(stopped.code).toBe(3);
      expect(stopped.out).toContain(`month-a.csv: read ${first.valid.length + first.rejects.length}`);
      expect(existsSync(`${fileA}.checkpoint.json`)).toBe(true);

      const secondText = new PassThrough();
      const chunks: Buffer[] = [];
      secondText.on('data', (chunk: Buffer) => chunks.push(chunk));
      const written = await generateScores(secondText, {
        count: 60,
        seed: 5,
        months: 2,
        lastPeriod: '2026-10',
        format: 'jsonl',
      });
      secondText.end();
      await writeFile(fileB, Buffer.concat(chunks));

      const rerun = await scoredrive(args);
      expect(rerun.err).not.toMatch(/\n\s+at /);
      expect(rerun.code).toBe(0);
      expect(rerun.out).toContain(
        `month-a.csv: already loaded by the run that stopped (read ${first.valid.length + first.rejects.length}, loaded ${first.valid.length}, rejected ${first.rejects.length}); not read again`,
      );
      expect(rerun.out).toMatch(new RegExp(`month-b\\.jsonl: read ${written}, loaded ${written}, rejected 0`));
      if (mode.length > 0) {
        expect(rerun.out).toContain(
          `table ${TABLE}: created by the import, ${first.valid.length + written} rows written`,
        );
      }
      const generated = Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      const table = await withStore(dir, (_store, client) => tableDigest(client), { createTable: false });
      expect(table).toEqual(digestOf([...first.valid.map((v) => v.record), ...generated]));
      // Once every file is loaded, no checkpoint is left: the next run of the command loads them again.
      expect(existsSync(`${fileA}.checkpoint.json`)).toBe(false);
      expect(existsSync(`${fileB}.checkpoint.json`)).toBe(false);
      // The first file's rejects, written by the first run, are still there and whole.
      expect(await readRejects(fileA)).toEqual(first.rejects);
    },
  );

  it('a run of the first file alone, after a stop at the second, says it is loaded and leaves no checkpoint behind', async () => {
    const first = await brokenCsv();
    const fileA = path.join(dir, 'month-a.csv');
    await writeFile(fileA, first.bytes);
    const common = ['--data-dir', path.join(dir, 'data'), '--table', TABLE, '--max-rejects', '1000'];
    expect((await scoredrive([fileA, path.join(dir, 'missing.csv'), ...common])).code).toBe(3);

    const alone = await scoredrive([fileA, ...common]);
    expect(alone.code).toBe(0);
    expect(alone.out).toContain('month-a.csv: already loaded by the run that stopped');
    expect(existsSync(`${fileA}.checkpoint.json`)).toBe(false);
    // So the next run loads it again, as a run of a file with no checkpoint does.
    const again = await scoredrive([fileA, ...common]);
    expect(again.out).toContain(
      `month-a.csv: read ${first.valid.length + first.rejects.length}, loaded ${first.valid.length}`,
    );
  });
});

describe('the store side of an import write', () => {
  it('refuses a write whose keys and items do not pair up, or whose items are not JSON text, writing none of it', async () => {
    await withBareStore(async (store, client) => {
      await beginImport(store);
      const key = { driverId: { S: 'D1' }, period: { S: '2026-10' } };
      const item = JSON.stringify({ ...key, score: { N: '80' } });
      const write = (step: Record<string, unknown>) =>
        refusal(store.requestHandler.storeStep({ op: 'write', tableName: TABLE, ...step }));
      expect(await write({ keys: [key, key], values: [item] })).toBe(
        'StoreStepError: an import write needs as many keys as items',
      );
      expect(await write({ keys: [key], values: [{ ...key }] })).toBe(
        'StoreStepError: an import write takes each item as JSON text',
      );
      expect(await write({ keys: [key] })).toBe('StoreStepError: an import write needs as many keys as items');
      await store.requestHandler.storeStep({ op: 'commit', tableName: TABLE });
      expect(await tableDigest(client)).toEqual(digestOf([]));
    });
  });
});
