/**
 * Issue 12, finding 3: the loader must not drop valid rows whatever the file holds. Each file
 * mixes 22 kinds of broken row (CSV and JSON lines each have their own) among 200 valid ones,
 * with CRLF, LF and mixed line ends, a byte-order mark, blank and whitespace-only lines: the
 * table ends with exactly the valid rows, and each broken row is reported once, with its line.
 * Gzip reads the same; a truncated gzip stops with a clear error, a checkpoint and the summary,
 * and a rerun on the complete file finishes the load exactly.
 */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/load/checkpoint';
import { LoadFailure } from '../../src/load/load-failure';
import { type LoadSummary, loadFile } from '../../src/load/loader';
import { embeddedStoreApi } from '../../src/store/dynamodb-api';
import { runScoredrive } from '../helpers/cli';
import { tempDir } from '../helpers/service';
import { type BrokenFile, brokenCsv, brokenJsonl } from './broken-files';
import { digestOf, readRejects, TABLE, tableDigest, withStore } from './helpers';

let dir: string;
let removeDir: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-load-broken-'));
});
afterEach(async () => removeDir());

/** Loads `file` into a fresh store and checks it against `expected` exactly. */
async function loadsExactly(file: string, expected: BrokenFile): Promise<void> {
  await withStore(dir, async (store, client) => {
    const summary = await loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file });
    await expectLoadedExactly(summary, client, expected);
  });
  await expectRejectedExactly(file, expected);
}

/** The summary counts and the table hold exactly the valid rows. */
async function expectLoadedExactly(
  summary: LoadSummary,
  client: DynamoDBClient,
  expected: BrokenFile,
  extra: Record<string, unknown> = {},
): Promise<void> {
  expect(summary).toMatchObject({
    ...extra,
    read: expected.valid.length + expected.rejects.length,
    loaded: expected.valid.length,
    rejected: expected.rejects.length,
  });
  expect(await tableDigest(client)).toEqual(digestOf(expected.valid.map((v) => v.record)));
}

/** Each broken row reported once, and the finished load left no checkpoint. */
async function expectRejectedExactly(file: string, expected: BrokenFile): Promise<void> {
  expect(await readRejects(file)).toEqual(expected.rejects);
  expect(existsSync(`${file}.checkpoint.json`)).toBe(false);
}

describe('a load file with broken rows among valid ones', () => {
  for (const [format, make, name] of [
    ['CSV', brokenCsv, 'scores.csv'],
    ['JSON lines', brokenJsonl, 'scores.jsonl'],
  ] as const) {
    it(`${format}: 22 kinds of broken line, each one reject with its line; every valid row loaded`, async () => {
      const expected = await make();
      expect(new Set(expected.kinds).size).toBeGreaterThanOrEqual(22);
      expect(expected.valid).toHaveLength(200);
      const file = path.join(dir, name);
      await writeFile(file, expected.bytes);
      await loadsExactly(file, expected);
    });
  }

  it('the same CSV and JSON lines gzip-compressed load the same', async () => {
    for (const [name, expected] of [
      ['scores.csv.gz', await brokenCsv()],
      ['scores.jsonl.gz', await brokenJsonl()],
    ] as const) {
      const file = path.join(dir, name);
      await writeFile(file, gzipSync(expected.bytes));
      await loadsExactly(file, expected);
    }
  });
});

/** The expectations for the lines up to `lineDone` only. */
function upTo(expected: BrokenFile, lineDone: number) {
  const valid = expected.valid.filter((v) => v.line <= lineDone);
  const rejects = expected.rejects.filter((r) => r.line <= lineDone);
  return { valid, rejects };
}

describe('a truncated gzip file', () => {
  it('stops with a clear error, a checkpoint of what is loaded and the summary; a rerun on the complete file finishes exactly', async () => {
    for (const [name, expected] of [
      ['scores.csv.gz', await brokenCsv()],
      ['scores.jsonl.gz', await brokenJsonl()],
    ] as const) {
      const file = path.join(dir, name);
      const complete = gzipSync(expected.bytes);
      const cut = complete.subarray(0, Math.floor(complete.length * 0.6));
      await writeFile(file, cut);
      await withStore(dir, async (store, client) => {
        const api = embeddedStoreApi(store.requestHandler);
        const failure = await loadFile({ api, tableName: TABLE, file }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(LoadFailure);
        const { kind, message, summary, checkpointLine } = failure as LoadFailure;
        expect(kind).toBe('input');
        expect(message).toBe(
          `${file}: the gzip data is truncated after ${cut.length} bytes (the file was cut short: copy or download it again)`,
        );

        // The checkpoint holds every line read whole, and the table and the rejects exactly those lines' rows.
        const checkpoint = JSON.parse(await readFile(`${file}.checkpoint.json`, 'utf8')) as Checkpoint;
        expect(checkpoint.lineDone).toBe(checkpointLine);
        expect(checkpoint.lineDone).toBeGreaterThan(50);
        expect(checkpoint.lineDone).toBeLessThan(expected.rejects.at(-1)?.line as number);
        expect(checkpoint.endedEarly).toMatchObject({ bytes: cut.length });
        const done = upTo(expected, checkpoint.lineDone);
        expect(summary).toMatchObject<Partial<LoadSummary>>({
          read: done.valid.length + done.rejects.length,
          loaded: done.valid.length,
          rejected: done.rejects.length,
        });
        expect(checkpoint.counters).toMatchObject({ loaded: done.valid.length, rejected: done.rejects.length });
        expect(await tableDigest(client)).toEqual(digestOf(done.valid.map((v) => v.record)));
        expect((await readRejects(file)).slice(0, done.rejects.length)).toEqual(done.rejects);

        // The complete file arrives under the same name: the load goes on after the checkpoint.
        await writeFile(file, complete);
        const rerun = await loadFile({ api, tableName: TABLE, file });
        await expectLoadedExactly(rerun, client, expected, { resumedAfterLine: checkpoint.lineDone });
      });
      await expectRejectedExactly(file, expected);
      await removeDir();
      ({ dir, remove: removeDir } = await tempDir('scoredrive-load-broken-'));
    }
  });

  it('through the command: exit code 3, the summary so far, one line naming the problem, no stack trace, a private checkpoint', async () => {
    const expected = await brokenCsv();
    const file = path.join(dir, 'scores.csv.gz');
    const complete = gzipSync(expected.bytes);
    await writeFile(file, complete.subarray(0, Math.floor(complete.length * 0.6)));
    const { code, out, err } = await runScoredrive([
      'load',
      file,
      '--data-dir',
      path.join(dir, 'data'),
      '--table',
      TABLE,
      '--max-rejects',
      '1000',
    ]);
    const checkpoint = JSON.parse(await readFile(`${file}.checkpoint.json`, 'utf8')) as Checkpoint;
    expect(code).toBe(3);
    expect(out).toMatch(new RegExp(`^${file} \\(stopped\\): read \\d+, loaded \\d+, rejected \\d+`));
    const lines = err.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `scoredrive: ${file}: the gzip data is truncated after ${Math.floor(complete.length * 0.6)} bytes (the file was cut short: copy or download it again); the checkpoint keeps lines 1-${checkpoint.lineDone} as done: run the same command on the complete ${file} to continue after line ${checkpoint.lineDone}`,
    );
    expect(err).not.toMatch(/^\s+at /m);
    expect((await stat(`${file}.checkpoint.json`)).mode & 0o777).toBe(0o600);
    expect((await stat(`${file}.rejects.csv`)).mode & 0o777).toBe(0o600);
  });
});
