/**
 * Issue 12, finding 3: a full disk, and other I/O errors, named as what they are. We cannot fill
 * a disk in CI, so ENOSPC comes from /dev/full (the kernel's own answer) or is injected into the
 * loader's file writes (node:fs mocked below), and the store's full disk is answered the way the
 * embedded store answers it (measured on a 2 MB tmpfs: LevelDB fails the put with LEVEL_IO_ERROR
 * "IO error: …/000003.log: No space left on device", the worker dies, and every request after
 * that gets 503 ServiceUnavailable "the embedded store is not running").
 */
import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from '../../src/load/checkpoint';
import { generateScores } from '../../src/load/generate';
import { LoadFailure } from '../../src/load/load-failure';
import { loadFile } from '../../src/load/loader';
import { CSV_COLUMNS, fromCsvRow } from '../../src/load/score-row';
import { explainStoreStop } from '../../src/load/store-errors';
import { type DynamoDBApi, embeddedStoreApi } from '../../src/store/dynamodb-api';
import { runScoredrive } from '../helpers/cli';
import { tempDir } from '../helpers/service';
import { digestOf, TABLE, tableDigest, withStore } from './helpers';

/** What the mocked file system fails, and when. */
const inject = vi.hoisted(() => ({
  /** Rejects-file writes that succeed before every later one fails with ENOSPC (undefined: none fails). */
  rejectsWritesBeforeFull: undefined as number | undefined,
  rejectsWrites: 0,
  rejectsFds: new Set<number>(),
  checkpointFull: false,
  /** What statfs says is free (undefined: the truth). */
  freeBytes: undefined as number | undefined,
  enospc(syscall: string): NodeJS.ErrnoException {
    return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), {
      code: 'ENOSPC',
      errno: -28,
      syscall,
    });
  },
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((file: string, ...rest: never[]) => {
    const fd = (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
    if (String(file).endsWith('.rejects.csv')) inject.rejectsFds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  const writeSync = ((fd: number, ...rest: never[]) => {
    if (inject.rejectsFds.has(fd) && inject.rejectsWritesBeforeFull !== undefined) {
      inject.rejectsWrites += 1;
      if (inject.rejectsWrites > inject.rejectsWritesBeforeFull) throw inject.enospc('write');
    }
    return (fs.writeSync as (...args: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  const statfsSync = ((file: string, ...rest: never[]) => {
    const real = (fs.statfsSync as (...args: unknown[]) => ReturnType<typeof fs.statfsSync>)(file, ...rest);
    return inject.freeBytes === undefined ? real : { ...real, bsize: 1, bavail: inject.freeBytes };
  }) as typeof fs.statfsSync;
  const mocked = { openSync, writeSync, statfsSync };
  return { ...fs, default: { ...fs, ...mocked }, ...mocked };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (file: string, ...rest: never[]) => {
    const handle = await (fsp.open as (...args: unknown[]) => ReturnType<typeof fsp.open>)(file, ...rest);
    if (inject.checkpointFull && String(file).endsWith('.checkpoint.json.tmp')) {
      handle.writeFile = async () => {
        throw inject.enospc('write');
      };
    }
    return handle;
  }) as typeof fsp.open;
  return { ...fsp, default: { ...fsp, open }, open };
});

let dir: string;
let removeDir: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-load-disk-'));
  Object.assign(inject, {
    rejectsWritesBeforeFull: undefined,
    rejectsWrites: 0,
    checkpointFull: false,
    freeBytes: undefined,
  });
  inject.rejectsFds.clear();
});
afterEach(async () => removeDir());

/** A CSV of `count` generated rows, `period 2026-13` on the given lines; what the table must then hold. */
async function csvWithRejects(count: number, brokenLines: number[]) {
  const text = new PassThrough();
  const chunks: Buffer[] = [];
  text.on('data', (c) => chunks.push(c));
  await generateScores(text, { count, seed: 5, months: 4, lastPeriod: '2026-10' });
  text.end();
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  const valid: unknown[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line === '') return;
    if (brokenLines.includes(i + 1)) {
      lines[i] = line.replace(/,2026-\d\d,/, ',2026-13,');
      return;
    }
    const [values] = parse(line) as string[][];
    const result = fromCsvRow(Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, values[j]])));
    if (result.ok) valid.push(result.record);
  });
  const file = path.join(dir, 'scores.csv');
  await writeFile(file, lines.join('\n'));
  return { file, expected: digestOf(valid), brokenLines };
}

const rejectLines = async (file: string) =>
  (parse(await readFile(file), { columns: true }) as { line: string }[]).map((r) => Number(r.line));

async function failureOf(load: Promise<unknown>): Promise<LoadFailure> {
  const outcome = await load.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(LoadFailure);
  return outcome as LoadFailure;
}

const readCheckpoint = async (file: string) =>
  JSON.parse(await readFile(`${file}.checkpoint.json`, 'utf8')) as Checkpoint;

describe('no space left on device', () => {
  it('on the rejects file (/dev/full): exit 4 naming the file, checkpoint and summary, the device left alone; a rerun completes exactly', async () => {
    const { file, expected, brokenLines } = await csvWithRejects(2_000, [600, 900, 1_200]);
    const dataDir = path.join(dir, 'data');
    const run = (...extra: string[]) =>
      runScoredrive(
        ['load', file, '--data-dir', dataDir, '--table', TABLE]
          .concat(['--max-rejects', '100', '--concurrency', '2'])
          .concat(extra),
      );

    const full = await run('--rejects', '/dev/full');
    const checkpoint = await readCheckpoint(file);
    expect(full.code).toBe(4);
    expect(full.err.trim().split('\n').at(-1)).toBe(
      `scoredrive: no space left on device while writing /dev/full; the checkpoint keeps lines 1-${checkpoint.lineDone} as done: run the same command again to continue after line ${checkpoint.lineDone}`,
    );
    expect(full.err).not.toMatch(/^\s+at /m);
    expect(full.out).toMatch(new RegExp(`^${file} \\(stopped\\): read \\d+, loaded \\d+, rejected \\d+`));
    expect(checkpoint.lineDone).toBeGreaterThan(1);
    expect(checkpoint.lineDone).toBeLessThan(600);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);

    const rerun = await run();
    expect(rerun.code).toBe(0);
    expect(rerun.out).toMatch(`resumed after line ${checkpoint.lineDone}`);
    expect(await rejectLines(`${file}.rejects.csv`)).toEqual(brokenLines);
    await withStore(dir, async (_store, client) => {
      expect(await tableDigest(client)).toEqual(expected);
    });
  });

  it('on the rejects file mid-load (injected): the checkpoint stops before the reject that was not written; a rerun completes exactly', async () => {
    const { file, expected, brokenLines } = await csvWithRejects(1_000, [200, 500, 800]);
    const rejects = `${file}.rejects.csv`;
    await withStore(dir, async (store, client) => {
      const api = embeddedStoreApi(store.requestHandler);
      inject.rejectsWritesBeforeFull = 2; // the header and the first reject
      const failure = await failureOf(loadFile({ api, tableName: TABLE, file, concurrency: 2 }));
      expect(failure.kind).toBe('disk');
      expect(failure.message).toBe(`no space left on device while writing ${rejects}`);
      const checkpoint = await readCheckpoint(file);
      expect(checkpoint.lineDone).toBeGreaterThanOrEqual(200);
      expect(checkpoint.lineDone).toBeLessThan(500);
      expect(checkpoint.rejectsBytes).toBe(
        Buffer.byteLength((await readFile(rejects, 'utf8')).split('\n', 2).join('\n')) + 1,
      );
      expect(failure.summary).toMatchObject({ rejected: 2 });
      expect((await stat(`${file}.checkpoint.json`)).mode & 0o777).toBe(0o600);
      expect((await stat(rejects)).mode & 0o777).toBe(0o600);

      inject.rejectsWritesBeforeFull = undefined;
      const rerun = await loadFile({ api, tableName: TABLE, file, concurrency: 2 });
      expect(rerun).toMatchObject({ resumedAfterLine: checkpoint.lineDone, read: 1_000, rejected: 3 });
      expect(await tableDigest(client)).toEqual(expected);
    });
    expect(await rejectLines(rejects)).toEqual(brokenLines);
  });

  it('on the checkpoint (injected): named, no temporary file left; a rerun completes exactly', async () => {
    const { file, expected } = await csvWithRejects(4_000, []);
    await withStore(dir, async (store, client) => {
      const api = embeddedStoreApi(store.requestHandler);
      inject.checkpointFull = true;
      const failure = await failureOf(
        loadFile({ api, tableName: TABLE, file, concurrency: 2, checkpointSeconds: 0.02 }),
      );
      expect(failure.kind).toBe('disk');
      expect(failure.message).toBe(`no space left on device while writing the checkpoint ${file}.checkpoint.json`);
      expect(failure.checkpointLine).toBe(0);
      expect(failure.summary.read).toBeLessThan(4_000);
      expect(existsSync(`${file}.checkpoint.json`)).toBe(false);
      expect(existsSync(`${file}.checkpoint.json.tmp`)).toBe(false);

      inject.checkpointFull = false;
      expect(await loadFile({ api, tableName: TABLE, file })).toMatchObject({ read: 4_000, loaded: 4_000 });
      expect(await tableDigest(client)).toEqual(expected);
    });
  });
});

/** The store's API, failing every BatchWriteItem after the first `healthy` as `fault` answers; counts calls. */
function failingStore(api: DynamoDBApi, healthy: number, fault: { statusCode: number; body: string }) {
  const calls = { total: 0, afterFault: 0, inFlight: 0 };
  const failing: DynamoDBApi = {
    call: (operation, input) => api.call(operation, input),
    async callWire(action, body) {
      calls.total += 1;
      if (action !== 'BatchWriteItem' || calls.total <= healthy) {
        calls.inFlight += 1;
        try {
          return await api.callWire(action, body);
        } finally {
          calls.inFlight -= 1;
        }
      }
      calls.afterFault += 1;
      return fault;
    },
  };
  return { api: failing, calls };
}

/** LevelDB's error in the embedded store's worker when the disk is full, as measured. */
const LEVEL_IO_ERROR = Object.assign(new Error('IO error: /data/dynamodb/000003.log: No space left on device'), {
  code: 'LEVEL_IO_ERROR',
});
const STORE_STOPPED = {
  statusCode: 503,
  body: '{"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"the embedded store is not running"}',
};

describe('no space left on device for `scoredrive generate`', () => {
  it('names the file, exit 1, no stack trace', async () => {
    const { code, err } = await runScoredrive(['generate', '--count', '200000', '--out', '/dev/full']);
    expect(code).toBe(1);
    expect(err.trim()).toBe('scoredrive: no space left on device while writing /dev/full');
  });
});

describe("the store's disk is full", () => {
  it.each([
    ['the embedded store stopped on LevelDB IO error', STORE_STOPPED, () => LEVEL_IO_ERROR],
    [
      'an endpoint answers 500 with the IO error',
      {
        statusCode: 500,
        body: `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"${LEVEL_IO_ERROR.message}"}`,
      },
      () => undefined,
    ],
  ])('%s: named at once, not retried as throttling; a rerun completes exactly', async (_case, fault, stopReason) => {
    const { file, expected } = await csvWithRejects(1_000, []);
    await withStore(dir, async (store, client) => {
      const healthy = embeddedStoreApi(store.requestHandler);
      const { api, calls } = failingStore(healthy, 12, fault);
      const failure = await failureOf(
        loadFile({ api, tableName: TABLE, file, concurrency: 4, backoffMs: 1, storeStopReason: stopReason }),
      );
      expect(failure.kind).toBe('disk');
      expect(failure.message).toBe(
        `the store could not write to disk: no space left on device (IO error: /data/dynamodb/000003.log: No space left on device)`,
      );
      // One answer per batch in flight, none sent again: retrying cannot mend a full disk.
      expect(calls.afterFault).toBeLessThanOrEqual(4);
      const checkpoint = await readCheckpoint(file);
      expect(checkpoint.counters.loaded).toBe(failure.summary.loaded);
      expect(failure.summary.loaded).toBeLessThanOrEqual(12 * 25);

      const rerun = await loadFile({ api: healthy, tableName: TABLE, file });
      expect(rerun).toMatchObject({ resumedAfterLine: checkpoint.lineDone, read: 1_000, loaded: 1_000 });
      expect(await tableDigest(client)).toEqual(expected);
    });
  });

  it.each([
    [
      'all but full: no space left, with what the store said',
      4096,
      'disk',
      (dataDir: string) =>
        `the store could not write to disk: no space left on device (4096 bytes free under ${dataDir}; the store said "Database is closed")`,
    ],
    [
      'with room: the store stopped, in its own words',
      undefined,
      'store',
      () => 'the embedded store stopped: Database is closed',
    ],
  ])(
    'a store that dies without naming the disk (reopened on a full disk, LevelDB fails its recovery), the disk %s',
    async (_case, free, kind, message) => {
      const { file } = await csvWithRejects(300, []);
      await withStore(dir, async (store) => {
        const { api } = failingStore(embeddedStoreApi(store.requestHandler), 0, STORE_STOPPED);
        inject.freeBytes = free;
        const stopReason = explainStoreStop(new Error('Database is closed'), dir);
        inject.freeBytes = undefined;
        const failure = await failureOf(loadFile({ api, tableName: TABLE, file, storeStopReason: () => stopReason }));
        expect([failure.kind, failure.message]).toEqual([kind, message(dir)]);
      });
    },
  );

  it('a load that stops leaves no write in flight: the store may be closed at once', async () => {
    const { file } = await csvWithRejects(1_000, [300]);
    await withStore(dir, async (store) => {
      const healthy = embeddedStoreApi(store.requestHandler);
      const slow: DynamoDBApi = {
        call: (operation, input) => healthy.call(operation, input),
        callWire: async (action, body) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return healthy.callWire(action, body);
        },
      };
      const { api, calls } = failingStore(slow, Number.POSITIVE_INFINITY, STORE_STOPPED);
      inject.rejectsWritesBeforeFull = 1; // the header; the reject of line 300 fails, with batches in flight
      const stopped = await loadFile({ api, tableName: TABLE, file, concurrency: 8 }).then(
        () => false,
        () => true,
      );
      expect(stopped).toBe(true);
      expect(calls.inFlight).toBe(0);
    });
  });
});

describe('files the loader writes', () => {
  it('are private: the rejects file 0600 (an older one too), a missing directory for it 0700', async () => {
    const { file } = await csvWithRejects(100, [50]);
    const older = `${file}.rejects.csv`;
    await writeFile(older, 'line,reason,row\n1,old,old\n');
    await chmod(older, 0o644);
    const elsewhere = path.join(dir, 'out', 'month', 'rejects.csv');
    await withStore(dir, async (store) => {
      const api = embeddedStoreApi(store.requestHandler);
      await loadFile({ api, tableName: TABLE, file });
      await loadFile({ api, tableName: TABLE, file, rejectsFile: elsewhere });
    });
    expect((await stat(older)).mode & 0o777).toBe(0o600);
    expect(await rejectLines(older)).toEqual([50]);
    expect((await stat(elsewhere)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(elsewhere))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'out'))).mode & 0o777).toBe(0o700);
  });
});
