/**
 * The embedded store's memory is bounded by its block cache: no table file of the store is
 * memory-mapped (src/store/leveldb-mmap-slots.js), unless `mapTables` asks for LevelDB's
 * mapping, which grows with the store. Checked in /proc/self/maps: the store's worker is a
 * thread of this process.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BatchWriteItemCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStoreClient } from '../../src/store/client';
import { type EmbeddedStore, type EmbeddedStoreOptions, startEmbeddedStore } from '../../src/store/embedded-store';
import { MMAP_LIMIT, mappedTablesUnder } from '../../src/store/leveldb-mmap-slots.js';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';

const TABLE = 'mmap-test-scores';
const DRIVERS = 300;
const driverId = (i: number) => `DRV${String(i).padStart(13, '0')}`;

let open: { store: EmbeddedStore; client: DynamoDBClient } | undefined;
const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  open?.client.destroy();
  await open?.store.close();
  open = undefined;
  for (const remove of removals.splice(0)) await remove();
});

async function startStore(dataDir: string, options: EmbeddedStoreOptions = {}) {
  const store = await startEmbeddedStore(dataDir, options);
  const client = createEmbeddedStoreClient(undefined, store.requestHandler);
  open = { store, client };
  return open;
}

async function closeStore() {
  open?.client.destroy();
  await open?.store.close();
  open = undefined;
}

/**
 * A data directory whose store has its items in a table file: LevelDB writes the log it
 * recovers at open as a level-0 table.
 */
async function storeWithTables(): Promise<string> {
  const { dir, remove } = await tempDir('scoredrive-mmap-');
  removals.push(remove);
  const { client } = await startStore(dir);
  await ensureScoresTable(client, TABLE, true);
  for (let first = 0; first < DRIVERS; first += 25) {
    const puts = Array.from({ length: 25 }, (_, k) => ({
      PutRequest: { Item: { driverId: { S: driverId(first + k) }, period: { S: '2026-05' }, score: { N: `${k}` } } },
    }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: puts } }));
  }
  await closeStore();
  return dir;
}

async function readEveryItem(client: DynamoDBClient): Promise<number> {
  let found = 0;
  for (let i = 0; i < DRIVERS; i += 1) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { driverId: { S: driverId(i) }, period: { S: '2026-05' } } }),
    );
    if (Item?.score?.N === `${i % 25}`) found += 1;
  }
  return found;
}

const storeTables = async (dataDir: string) =>
  (await readdir(path.join(dataDir, 'dynamodb'))).filter((name) => name.endsWith('.ldb')).length;

describe.runIf(process.platform === 'linux')("the embedded store's table files and memory maps", () => {
  it('reads the store through the block cache: no table of it is mapped, every item is read right', async () => {
    const dataDir = await storeWithTables();
    const { store, client } = await startStore(dataDir);
    expect(store.tableReads).toBe('cached');
    expect(await readEveryItem(client)).toBe(DRIVERS);
    expect(await storeTables(dataDir)).toBeGreaterThan(0);
    expect(mappedTablesUnder(path.join(dataDir, 'dynamodb'))).toBe(0);
    // The holder took every mapping LevelDB gives, and one of its tables went without.
    expect(mappedTablesUnder(path.join(dataDir, 'leveldb-mmap-slots'))).toBe(MMAP_LIMIT);
  });

  it('maps the tables with mapTables, as LevelDB does by default', async () => {
    const dataDir = await storeWithTables();
    const { store, client } = await startStore(dataDir, { mapTables: true });
    expect(store.tableReads).toBe('mapped');
    expect(await readEveryItem(client)).toBe(DRIVERS);
    expect(mappedTablesUnder(path.join(dataDir, 'dynamodb'))).toBeGreaterThan(0);
  });

  it('rebuilds a holder that lost tables, or whose build a stop interrupted', async () => {
    const dataDir = await storeWithTables();
    const holder = path.join(dataDir, 'leveldb-mmap-slots');
    const tables = (await readdir(holder)).filter((name) => name.endsWith('.ldb'));
    expect(tables).toHaveLength(MMAP_LIMIT + 1);
    await rm(path.join(holder, tables[7]));
    await rm(path.join(holder, tables[500]));
    const { store, client } = await startStore(dataDir);
    expect(store.tableReads).toBe('cached');
    expect(await readEveryItem(client)).toBe(DRIVERS);
    expect(mappedTablesUnder(path.join(dataDir, 'dynamodb'))).toBe(0);
    expect((await readdir(holder)).filter((name) => name.endsWith('.ldb'))).toHaveLength(MMAP_LIMIT + 1);
    await closeStore();

    // A build that stopped midway left its directory beside the holder; it is not taken for one.
    await rm(holder, { recursive: true });
    await mkdir(`${holder}.building`);
    await writeFile(path.join(`${holder}.building`, '000005.ldb'), 'half a table');
    const { store: again } = await startStore(dataDir);
    expect(again.tableReads).toBe('cached');
    expect((await readdir(dataDir)).filter((name) => name.startsWith('leveldb-mmap-slots'))).toEqual([
      'leveldb-mmap-slots',
    ]);
  });

  it("links each holder's tables to a template built once in the user's cache, and rebuilds a damaged one", async () => {
    const cache = await tempDir('scoredrive-cache-');
    removals.push(cache.remove);
    const before = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache.dir;
    try {
      const template = path.join(cache.dir, 'scoredrive', `leveldb-mmap-slots-${MMAP_LIMIT + 1}`);
      const first = await storeWithTables();
      const second = await storeWithTables();
      const tables = (await readdir(template)).filter((name) => name.endsWith('.ldb'));
      expect(tables).toHaveLength(MMAP_LIMIT + 1);
      const inode = async (dir: string) => (await stat(path.join(dir, tables[0]))).ino;
      expect(await inode(path.join(first, 'leveldb-mmap-slots'))).toBe(await inode(template));
      expect(await inode(path.join(second, 'leveldb-mmap-slots'))).toBe(await inode(template));

      await rm(path.join(template, tables[3]));
      const third = await storeWithTables();
      expect((await readdir(template)).filter((name) => name.endsWith('.ldb'))).toHaveLength(MMAP_LIMIT + 1);
      const { store, client } = await startStore(third);
      expect(store.tableReads).toBe('cached');
      expect(await readEveryItem(client)).toBe(DRIVERS);
      expect(mappedTablesUnder(path.join(third, 'dynamodb'))).toBe(0);
    } finally {
      if (before === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = before;
    }
  });

  it('refuses to start, saying why and what starts without it, when the holder cannot be made', async () => {
    const { dir, remove } = await tempDir('scoredrive-mmap-');
    removals.push(remove);
    await writeFile(path.join(dir, 'leveldb-mmap-slots'), 'not a directory');
    await expect(startStore(dir)).rejects.toThrow(
      `holding LevelDB's memory maps in ${path.join(dir, 'leveldb-mmap-slots')}: ENOTDIR: not a directory`,
    );
    await expect(startStore(dir)).rejects.toThrow('(--store-map-tables starts without them)');
    const { store } = await startStore(dir, { mapTables: true });
    expect(store.tableReads).toBe('mapped');
  });
});
