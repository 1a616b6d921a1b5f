// Keeps the embedded store's table files out of the process's memory map, so that its memory is
// bounded by LevelDB's block cache (--store-cache-mb) and not by the size of the store.
//
// Why: LevelDB (1.20, the one classic-level builds) memory-maps every table file it opens, up
// to 1,000 at a time per process (util/env_posix.cc: MaxMmaps, compiled in), and reads a mapped
// file in place, bypassing the block cache. Every page a read touches stays in the process's
// resident set while the table is open, and tables stay open in its table cache: on the
// 16M-record store (1.9 GB) serve's RSS grew to 2.2 GB, 1.9 GB of it file-backed, with no
// option to bound it. The limit of 1,000 cannot be set from outside (its setter is a test
// helper), and a table LevelDB opens once the limit is reached is read with pread() into the
// block cache instead, which `cacheSize` bounds.
//
// How: the limit is one counter for the whole process. Before the store opens, this opens a
// holder database of 1,001 tables of one key each (about 4 MB, kept next to the store, copied
// from a template built once per user) and reads every key, so LevelDB opens each of its tables and keeps it in its table
// cache: the first 1,000 take every mapping there is, and the store's own tables, opened
// later, are all read through the block cache. /proc/self/maps then says whether it worked:
// if the holder's 1,001st table was mapped too, this LevelDB maps more than 1,000 files and
// the store's tables will be mapped (the state is 'not-held'; the store works as before).
//
// What it costs: a pread() per block the cache does not hold (the kernel's page cache still
// holds the file; dynalite's queries read through iterators, which do not fill the cache), and
// the index and filter blocks of open tables on the heap (~60 MB at 16M records). Measured at
// 16M records: the store thread's CPU per request 177 against 165 µs (per-thread CPU from
// /proc, one pair of runs), the same throughput within the machine's noise, and RSS 386–471 MB
// against 2.2 GB (the README's bench:scale section).
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { Level } = createRequire(require.resolve('dynalite'))('level');

/** LevelDB's limit on mapped files in one (64-bit) process. */
export const MMAP_LIMIT = 1000;
const HOLDER_TABLES = MMAP_LIMIT + 1;
const keyOf = (i) => String(i).padStart(6, '0');
// Room in the table cache for every holder table. LevelDB keeps max_open_files - 10 tables open,
// in 16 shards of a 16th of that each, chosen by hash: with room for 1,091 a shard overflowed,
// a table was closed and its mapping went to one of the store's. 8× leaves any shard ~4× its
// expected share.
const HOLDER_OPTIONS = { maxOpenFiles: 8 * HOLDER_TABLES, cacheSize: 0, writeBufferSize: 64 * 1024 };

/**
 * Opens (building it first if it is missing or incomplete) the holder database at `dir` and
 * takes LevelDB's mmap slots with it. Resolves to { state, mappedTables, close }: state 'held'
 * (the limit is reached: tables opened from now on are not mapped), 'not-held' (all the
 * holder's tables were mapped: the limit is larger) or 'unverified' (no /proc/self/maps).
 */
export async function occupyMmapSlots(dir) {
  if (!isComplete(dir)) await build(dir);
  const holder = new Level(dir, HOLDER_OPTIONS);
  await holder.open();
  try {
    const keys = Array.from({ length: HOLDER_TABLES }, (_, i) => keyOf(i));
    const values = await holder.getMany(keys);
    if (values.some((value) => value === undefined)) throw new Error(`the mmap slot holder ${dir} lost keys`);
    const mappedTables = mappedTablesUnder(dir);
    const state = mappedTables === undefined ? 'unverified' : mappedTables < HOLDER_TABLES ? 'held' : 'not-held';
    return { state, mappedTables, close: () => holder.close() };
  } catch (error) {
    await holder.close();
    throw error;
  }
}

function tableCount(dir) {
  return readdirSync(dir).filter((name) => name.endsWith('.ldb')).length;
}

function isComplete(dir) {
  return existsSync(dir) && tableCount(dir) === HOLDER_TABLES;
}

/**
 * Puts a holder at `dir`: a copy of the user's template (built on first need), made beside `dir`
 * and renamed, so that a stop midway leaves no half-made holder. Building costs ~2.5 s, since
 * LevelDB syncs every table it writes: once per user, not once per data directory (the test
 * suite, which makes a data directory per service, took twice as long). Where the cache cannot
 * be written, the holder is built in place.
 */
async function build(dir) {
  const making = `${dir}.building`;
  rmSync(making, { recursive: true, force: true });
  const template = await templateOrUndefined().catch(() => undefined);
  try {
    if (!template) throw new Error('no template');
    copyHolder(template, making);
  } catch {
    // No cache, or a template damaged under our feet: this store's own build does as well.
    rmSync(making, { recursive: true, force: true });
    await buildHolder(making);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(making, dir);
}

/**
 * Copies a holder, linking its tables where the file system allows: LevelDB never writes a
 * table file once made, and a copy of 1,001 files took ~180 ms of each first start.
 */
function copyHolder(from, to) {
  mkdirSync(to, { mode: 0o700 });
  for (const name of readdirSync(from)) {
    if (name === 'LOCK') continue;
    if (name.endsWith('.ldb')) {
      try {
        linkSync(path.join(from, name), path.join(to, name));
        continue;
      } catch {
        // another file system (EXDEV), or links refused: copied below
      }
    }
    copyFileSync(path.join(from, name), path.join(to, name));
  }
}

/** The template under the user's cache directory (private to the user), built when missing. */
async function templateOrUndefined() {
  let cache;
  try {
    cache = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'scoredrive');
    mkdirSync(cache, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  const template = path.join(cache, `leveldb-mmap-slots-${HOLDER_TABLES}`);
  if (isComplete(template)) return template;
  const building = mkdtempSync(path.join(cache, 'building-'));
  try {
    await buildHolder(path.join(building, 'db'));
    // Another process may have published one meanwhile (either is as good), which may be in
    // use: only an incomplete one is moved aside. A copy that loses that race builds its own.
    if (isComplete(template)) return template;
    if (existsSync(template)) renameSync(template, path.join(building, 'damaged'));
    renameSync(path.join(building, 'db'), template);
  } catch (error) {
    if (!isComplete(template)) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/**
 * One table per key: each put is followed by a compaction of its own key, which writes the
 * memtable out as a table, placed below level 0 since it overlaps no other, where nothing
 * merges tables this small.
 */
async function buildHolder(dir) {
  const db = new Level(dir, HOLDER_OPTIONS);
  await db.open();
  try {
    for (let i = 0; i < HOLDER_TABLES; i += 1) {
      await db.put(keyOf(i), '-');
      await db.compactRange(keyOf(i), keyOf(i));
    }
  } finally {
    await db.close();
  }
  if (tableCount(dir) !== HOLDER_TABLES) {
    throw new Error(`building the mmap slot holder gave ${tableCount(dir)} tables, not ${HOLDER_TABLES}`);
  }
}

/** How many of the table files under `dir` this process has mapped; undefined without /proc. */
export function mappedTablesUnder(dir) {
  let maps;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return undefined;
  }
  const files = new Set();
  for (const line of maps.split('\n')) {
    const at = line.indexOf(`${dir}/`);
    if (at >= 0 && line.endsWith('.ldb')) files.add(line.slice(at));
  }
  return files.size;
}
