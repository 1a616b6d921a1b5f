/**
 * The store's worker reads Query pages with iterator.nextvSync() and items with getSync() on its
 * own thread instead of a round trip through libuv's thread pool per read (patches/classic-level
 * and abstract-level; classic-level built from that source at install by
 * scripts/build-store-binding.mjs). These hold the synchronous read to what nextv() gives: the
 * same entries, decoded the same way, the same end, the same refusals. dynalite-range-reads
 * holds the Query pages built on it to DynamoDB's order, on disk (these reads) and in memory
 * (nextv(): memory-level has no nextvSync).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClassicLevelDb, type ClassicLevelIterator, dynalitesClassicLevel } from '../../src/store/dynalite-level';
import { startEmbeddedStore } from '../../src/store/embedded-store';

const ClassicLevel = dynalitesClassicLevel();

const KEYS = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(4, '0')}`);
const itemOf = (key: string) => ({ key, score: { N: String(key.length * 7) }, text: 'é😀'.repeat(40) });

describe('synchronous LevelDB reads (classic-level built from its patched source)', () => {
  let dir: string;
  let db: ClassicLevelDb;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sync-reads-'));
    db = new ClassicLevel(dir, { valueEncoding: 'json' });
    await db.open();
    await db.batch(KEYS.map((key) => ({ type: 'put', key, value: itemOf(key) })));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what this checkout loads: the build at install succeeded', () => {
    expect(db.supports.nextvSync).toBe(true);
  });

  it.each([
    ['forward', { keyEncoding: 'buffer' }, 'k0100'],
    ['reverse', { keyEncoding: 'buffer', reverse: true }, 'k0100'],
    ['forward, a range', { gte: 'k0010', lt: 'k0020' }, 'k0012'],
    ['reverse, a range', { gt: 'k0010', lte: 'k0020', reverse: true }, 'k0015'],
  ])('gives what nextv() gives, chunk by chunk to the end (%s)', async (_name, options, target) => {
    const readAll = async (
      read: (it: ClassicLevelIterator) => Promise<[unknown, unknown][]> | [unknown, unknown][],
    ) => {
      const it = db.iterator(options);
      const chunks: [unknown, unknown][][] = [];
      try {
        it.seek(target);
        for (let chunk = await read(it); chunk.length > 0; chunk = await read(it)) chunks.push(chunk);
        // Past the end it stays ended, as nextv() does.
        chunks.push(await read(it));
      } finally {
        await it.close();
      }
      return chunks;
    };
    const sizes = [1, 7, 1000];
    let call = 0;
    const asynchronous = await readAll((it) => it.nextv(sizes[call++ % sizes.length]));
    call = 0;
    const synchronous = await readAll((it) => it.nextvSync(sizes[call++ % sizes.length]));
    expect(synchronous).toEqual(asynchronous);
    expect(synchronous.length).toBeGreaterThan(2);
    // Keys as asked (buffers or strings), values decoded from JSON like nextv()'s.
    const [firstKey, firstValue] = synchronous[0][0];
    expect(firstValue).toEqual(itemOf(String(firstKey)));
  });

  it('reads again from where a new seek() puts it, after the end', async () => {
    const it = db.iterator({ reverse: true });
    try {
      it.seek('k0005');
      expect(it.nextvSync(10).map(([key]) => key)).toEqual(['k0005', 'k0004', 'k0003', 'k0002', 'k0001', 'k0000']);
      expect(it.nextvSync(10)).toEqual([]);
      it.seek('k0299~');
      expect(it.nextvSync(1)).toEqual([['k0299', itemOf('k0299')]]);
    } finally {
      await it.close();
    }
  });

  it('refuses a closed iterator, a read while nextv() is running, and a size that is not an integer', async () => {
    const busy = db.iterator({});
    const running = busy.nextv(5);
    expect(() => busy.nextvSync(1)).toThrow(expect.objectContaining({ code: 'LEVEL_ITERATOR_BUSY' }));
    expect(await running).toHaveLength(5);
    expect(() => busy.nextvSync(1.5)).toThrow(TypeError);
    await busy.close();
    expect(() => busy.nextvSync(1)).toThrow(expect.objectContaining({ code: 'LEVEL_ITERATOR_NOT_OPEN' }));
  });

  it('getSync() reads an item, and undefined for none', () => {
    expect(db.getSync('k0042')).toEqual(itemOf('k0042'));
    expect(db.getSync('missing')).toBeUndefined();
  });
});

describe('the embedded store', () => {
  it("says its Query reads run on the store's own thread", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sync-reads-store-'));
    const store = await startEmbeddedStore(dataDir);
    try {
      expect(store.rangeReads).toBe('store-thread');
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
