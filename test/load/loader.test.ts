/**
 * The loader end to end against the embedded store (and, for retries, an endpoint that
 * throttles): exactly the valid rows reach the table, every invalid row reaches the rejects
 * file with its line and reason, reruns change nothing, and a load killed mid-file finishes on
 * the next run with nothing lost and nothing doubled.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import type { ScoreRecord } from '../../src/domain/score';
import { generateScores } from '../../src/load/generate';
import { loadFile } from '../../src/load/loader';
import { fromCsvRow } from '../../src/load/score-row';
import { createService } from '../../src/server/service';
import { createDynamoDBClient } from '../../src/store/client';
import { embeddedStoreApi, sdkDynamoDBApi } from '../../src/store/dynamodb-api';
import type { EmbeddedStore } from '../../src/store/embedded-store';
import { TEST_API_KEY, tempDir } from '../helpers/service';
import { type Digest, digestOf, TABLE, tableDigest, withStore as withStoreIn } from './helpers';

let dir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-load-'));
});
afterEach(async () => removeDir());

const withStore = <T>(use: (store: EmbeddedStore, client: DynamoDBClient) => Promise<T>) => withStoreIn(dir, use);

async function generatedCsv(count: number, name = 'scores.csv'): Promise<string> {
  const text = new PassThrough();
  const chunks: Buffer[] = [];
  text.on('data', (c) => chunks.push(c));
  await generateScores(text, { count, seed: 7, months: 4, lastPeriod: '2026-10' });
  text.end();
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat(chunks));
  return file;
}

/** Replaces some data lines (1-based file lines) with broken ones. */
async function breakLines(file: string, broken: Record<number, (line: string) => string>): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  for (const [line, change] of Object.entries(broken)) lines[Number(line) - 1] = change(lines[Number(line) - 1]);
  await writeFile(file, lines.join('\n'));
}

/** What the table must hold after loading `file`: its valid rows, last one per key. */
async function expectedDigest(file: string): Promise<Digest> {
  const rows = parse(await readFile(file, 'utf8'), { columns: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  const byKey = new Map<string, unknown>();
  for (const row of rows) {
    const result = fromCsvRow(row);
    if (result.ok) byKey.set(`${result.record.driverId}|${result.record.period}`, result.record);
  }
  return digestOf([...byKey.values()]);
}

const BROKEN = {
  3: (l: string) => l.replace(/^[A-Z0-9]+,/, 'bad id!,'),
  10: (l: string) => l.replace(/,2026-\d\d,/, ',2026-13,'),
  20: (l: string) => l.replace(/,(\d+),([A-E]),/, ',150,$2,'),
  30: (l: string) => l.split(',').slice(0, 5).join(','),
  40: (l: string) => l.replace(/,([A-E]),(\d+),/, ',$1,fast,'),
};

describe('scoredrive load', () => {
  it('loads exactly the valid rows and writes every invalid one, with line and reason, to the rejects file', async () => {
    const file = await generatedCsv(400);
    await breakLines(file, BROKEN);
    await withStore(async (store, client) => {
      const summary = await loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file });
      expect(summary).toMatchObject({ read: 400, loaded: 395, rejected: 5 });
      expect(await tableDigest(client)).toEqual(await expectedDigest(file));
    });
    const rejects = parse(await readFile(`${file}.rejects.csv`, 'utf8'), { columns: true }) as Record<string, string>[];
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(rejects.map((r) => [Number(r.line), r.reason])).toEqual([
      [3, 'driverId must be 1-64 characters of A-Z, a-z, 0-9, _ and -'],
      [10, 'period must be YYYY-MM'],
      [20, 'score 150 is out of range 0-100'],
      [30, 'missing values: 5 of 13 columns'],
      [40, 'acceleration must be an integer'],
    ]);
    for (const reject of rejects) expect(reject.row).toBe(lines[Number(reject.line) - 1]);
    expect(existsSync(`${file}.checkpoint.json`)).toBe(false);
  });

  it('loads into the data directory that `scoredrive serve` then serves', async () => {
    const file = await generatedCsv(40);
    const dataDir = path.join(dir, 'data');
    await withStore(async (store) => {
      await loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file });
    });
    const [first] = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
    const service = await createService({ dataDir, tableName: TABLE, apiKeys: TEST_API_KEY });
    try {
      await service.ready;
      expect(await service.recordCount()).toBe(40);
      const answer = await service.app.inject({
        method: 'GET',
        url: `/drivers/${first.driverId}/score?period=${first.period}`,
        headers: { 'x-api-key': TEST_API_KEY },
      });
      expect(answer.json()).toMatchObject({
        driverId: first.driverId,
        period: first.period,
        score: Number(first.score),
      });
    } finally {
      await service.close();
    }
  });

  it('rejects a second row with the same key in one batch, and names the first', async () => {
    const file = await generatedCsv(10);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.splice(3, 0, lines[2].replace(/,(\d+),([A-E]),/, ',1,E,'));
    await writeFile(file, lines.join('\n'));
    await withStore(async (store) => {
      const summary = await loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file });
      expect(summary).toMatchObject({ read: 11, loaded: 10, rejected: 1 });
    });
    const [reject] = parse(await readFile(`${file}.rejects.csv`, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(reject).toMatchObject({ line: '4', reason: 'duplicate key (driverId, period) of line 3 in the same batch' });
  });

  it('keeps the later line of a key repeated in a later batch, however the batches finish', async () => {
    const file = await generatedCsv(100);
    const lines = (await readFile(file, 'utf8')).split('\n');
    // Line 3's key again on line 34, in the next batch of 25, with another score.
    const repeated = lines[2].replace(/,(\d+),([A-E]),/, ',1,E,');
    lines.splice(33, 0, repeated);
    await writeFile(file, lines.join('\n'));
    const header = lines[0].split(',');
    const [driverId, period] = ['driverId', 'period'].map((name) => repeated.split(',')[header.indexOf(name)]);
    // A store where the first batch is slow: without ordering, it would land after the second.
    const table = new Map<string, unknown>();
    let calls = 0;
    const writeBatch = async (items: readonly ScoreRecord[]) => {
      calls += 1;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 100));
      for (const item of items) table.set(`${item.driverId}/${item.period}`, item.score);
    };
    const summary = await loadFile({ writeBatch, tableName: TABLE, file });
    expect(summary).toMatchObject({ read: 101, loaded: 101, rejected: 0 });
    expect(table.get(`${driverId}/${period}`)).toBe(1);
    expect(table.size).toBe(100);
  });

  it('leaves the table the same when the same file is loaded again', async () => {
    const file = await generatedCsv(300);
    await withStore(async (store, client) => {
      const api = embeddedStoreApi(store.requestHandler);
      await loadFile({ api, tableName: TABLE, file });
      const first = await tableDigest(client);
      const again = await loadFile({ api, tableName: TABLE, file });
      expect(again).toMatchObject({ read: 300, loaded: 300, rejected: 0, resumedAfterLine: 0 });
      expect(await tableDigest(client)).toEqual(first);
      expect(first.count).toBe(300);
    });
  });

  it('reads gzip-compressed JSON lines the same as CSV', async () => {
    const jsonl = path.join(dir, 'scores.jsonl.gz');
    const text = new PassThrough();
    const written = pipeline(text, createGzip(), createWriteStream(jsonl));
    await generateScores(text, { count: 200, seed: 7, months: 4, lastPeriod: '2026-10', format: 'jsonl' });
    text.end();
    await written;
    const csv = await generatedCsv(200);
    await withStore(async (store, client) => {
      const summary = await loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file: jsonl });
      expect(summary).toMatchObject({ read: 200, loaded: 200, rejected: 0 });
      expect(await tableDigest(client)).toEqual(await expectedDigest(csv));
    });
  });

  it('refuses a CSV whose header lacks a column, before writing anything', async () => {
    const file = path.join(dir, 'bad-header.csv');
    await writeFile(file, gzipSync('driverId,period,score\nX1,2026-10,80\n'));
    await withStore(async (store, client) => {
      await expect(loadFile({ api: embeddedStoreApi(store.requestHandler), tableName: TABLE, file })).rejects.toThrow(
        /the CSV header is wrong: missing columns band, acceleration/,
      );
      expect((await tableDigest(client)).count).toBe(0);
    });
  });

  it('retries unprocessed items and throttling from an endpoint that injects them, and loses nothing', async () => {
    const file = await generatedCsv(500);
    await withStore(async (store, client) => {
      const injected = { throttled: 0, unprocessed: 0 };
      let calls = 0;
      // In front of the store: every 3rd BatchWriteItem is throttled, every 4th comes back
      // with all its items unprocessed (nothing written), the rest pass through.
      const proxy = http.createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        if (String(request.headers['x-amz-target']).endsWith('BatchWriteItem')) {
          calls += 1;
          if (calls % 3 === 0) {
            injected.throttled += 1;
            response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
            response.end(
              JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' }),
            );
            return;
          }
          if (calls % 4 === 0) {
            injected.unprocessed += 1;
            response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
            response.end(JSON.stringify({ UnprocessedItems: JSON.parse(body.toString()).RequestItems }));
            return;
          }
        }
        // On to the store over its message port (it opens no TCP port).
        const forwarded = await store.requestHandler.exchange({
          method: 'POST',
          url: request.url ?? '/',
          headers: request.headers as Record<string, string>,
          body: body.toString(),
        });
        response.writeHead(forwarded.statusCode, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(forwarded.body);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const throttledClient = createDynamoDBClient({ endpoint });
      try {
        const summary = await loadFile({
          api: sdkDynamoDBApi(throttledClient),
          tableName: TABLE,
          file,
          concurrency: 2,
          backoffMs: 1,
        });
        expect(injected.throttled).toBeGreaterThan(0);
        expect(injected.unprocessed).toBeGreaterThan(0);
        expect(summary.retried).toBeGreaterThan(0);
        expect(summary).toMatchObject({ read: 500, loaded: 500, rejected: 0 });
        expect(await tableDigest(client)).toEqual(await expectedDigest(file));
      } finally {
        throttledClient.destroy();
        await new Promise((resolve) => proxy.close(resolve));
      }
    });
  });

  it('finishes after kill -9 mid-file: exactly the valid rows in the table, every reject once', async () => {
    const file = await generatedCsv(40_000);
    const broken: Record<number, (line: string) => string> = {};
    for (let line = 500; line <= 40_000; line += 1_500) broken[line] = BROKEN[10];
    await breakLines(file, broken);
    const dataDir = path.join(dir, 'data');
    const run = () =>
      spawn(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'bin/scoredrive.js'),
          'load',
          file,
          '--data-dir',
          dataDir,
          '--table',
          TABLE,
          '--max-rejects',
          '1000',
          '--concurrency',
          '2',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );

    // First run: killed once its checkpoint shows part of the file done.
    const first = run();
    const exited = new Promise((resolve) => first.on('exit', resolve));
    const checkpointFile = `${file}.checkpoint.json`;
    for (let waited = 0; ; waited += 100) {
      if (existsSync(checkpointFile)) {
        const { lineDone } = JSON.parse(await readFile(checkpointFile, 'utf8')) as { lineDone: number };
        if (lineDone > 2_000) break;
      }
      if (waited > 60_000) throw new Error('the loader never wrote a checkpoint');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.kill('SIGKILL');
    await exited;
    const { lineDone } = JSON.parse(await readFile(checkpointFile, 'utf8')) as { lineDone: number };
    expect(lineDone).toBeLessThan(40_001);

    // Second run: resumes after the checkpoint and completes.
    const second = run();
    let out = '';
    second.stdout.on('data', (c) => {
      out += c;
    });
    expect(await new Promise((resolve) => second.on('exit', resolve))).toBe(0);
    expect(out).toMatch(/resumed after line \d+/);
    expect(existsSync(checkpointFile)).toBe(false);

    const rejects = parse(await readFile(`${file}.rejects.csv`, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rejects.map((r) => Number(r.line))).toEqual(Object.keys(broken).map(Number));
    await withStore(async (_store, client) => {
      expect(await tableDigest(client)).toEqual(await expectedDigest(file));
    });
  }, 120_000);
});
