/** The access log file: rotation by size, gzip, bounded number of files, and reading it all back. */
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyReadStats, openAccessLog, type ReadStats, readAccessLog } from '../../src/observability/access-log';
import type { ApiCall } from '../../src/observability/api-call';
import { sampleApiCall } from '../helpers/api-call';
import { tempDir } from '../helpers/service';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir('scoredrive-log-'));
});
afterEach(async () => remove());

const call = sampleApiCall;

async function readAll(stats?: ReadStats): Promise<ApiCall[]> {
  const out: ApiCall[] = [];
  for await (const c of readAccessLog(dir, stats)) out.push(c);
  return out;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the access log', () => {
  it('rotates by size into gzipped files and reads every call back, in order', async () => {
    const log = openAccessLog({ dir, maxFileSize: '4K', maxFiles: 100, flushMs: 0 });
    // Rotation is asynchronous: write in slices so several rotations happen, as under real traffic.
    for (let i = 0; i < 400; i += 1) {
      log.write(call(i));
      if (i % 20 === 19) await pause(20);
    }
    await log.close();
    const files = await readdir(dir);
    const rotated = files.filter((f) => /^access-\d{8}-\d{4}\.log\.gz$/.test(f));
    expect(rotated.length).toBeGreaterThan(3);
    expect(files).toContain('access.log');
    const stats: ReadStats = emptyReadStats();
    const calls = await readAll(stats);
    expect(calls.map((c) => c.requestId)).toEqual(Array.from({ length: 400 }, (_, i) => `request-${i}`));
    expect(stats).toEqual({ files: rotated.length + 1, lines: 400, broken: 0, unreadable: [] });
  });

  it('keeps at most maxFiles rotated files: disk use is bounded', async () => {
    const log = openAccessLog({ dir, maxFileSize: '2K', maxFiles: 2, flushMs: 0 });
    for (let i = 0; i < 600; i += 1) {
      log.write(call(i));
      if (i % 10 === 9) await pause(15);
    }
    await log.close();
    await pause(100);
    const files = await readdir(dir);
    const rotated = files.filter((f) => f.endsWith('.log.gz'));
    expect(rotated.length).toBeLessThanOrEqual(2);
    let bytes = 0;
    for (const f of files) bytes += (await stat(path.join(dir, f))).size;
    // 600 calls are ~150 KB of JSON; what is kept is the current file and two compressed ones.
    expect(bytes).toBeLessThan(12_000);
  });

  it('writes lines in batches, and nothing is lost at close', async () => {
    const log = openAccessLog({ dir, flushMs: 60_000 });
    for (let i = 0; i < 10; i += 1) log.write(call(i));
    await pause(50);
    // Still in memory: a line per call would have cost a write each.
    expect(await readFile(path.join(dir, 'access.log'), 'utf8').catch(() => '')).toBe('');
    await log.close();
    expect((await readAll()).map((c) => c.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `request-${i}`));
  });

  it('skips and counts lines that are not calls (a torn last line after a crash, a hand edit)', async () => {
    const log = openAccessLog({ dir });
    log.write(call(1));
    log.write(call(2));
    await log.close();
    await appendFile(
      path.join(dir, 'access.log'),
      '{"time":"2026-11-27T10:00:00.003Z","requestId":"torn"\nnot json\n{"a":1}\n',
    );
    const stats: ReadStats = emptyReadStats();
    expect((await readAll(stats)).map((c) => c.requestId)).toEqual(['request-1', 'request-2']);
    expect(stats.broken).toBe(3);
  });

  it('reads what it can of a rotated file cut short, says so, and goes on to the next file', async () => {
    const log = openAccessLog({ dir, maxFileSize: '2K', flushMs: 0 });
    for (let i = 0; i < 60; i += 1) {
      log.write(call(i));
      if (i % 10 === 9) await pause(20);
    }
    await log.close();
    const [first] = (await readdir(dir)).filter((f) => f.endsWith('.gz')).sort();
    const file = path.join(dir, first);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const stats = emptyReadStats();
    const calls = await readAll(stats);
    expect(stats.unreadable).toEqual([file]);
    expect(calls.length).toBeLessThan(60);
    // Everything after the damaged file is still read.
    expect(calls.at(-1)?.requestId).toBe('request-59');
  });

  it('reads nothing, without failing, from a directory with no log', async () => {
    await writeFile(path.join(dir, 'unrelated.txt'), 'x');
    expect(await readAll()).toEqual([]);
    expect(
      await (async () => {
        const out: ApiCall[] = [];
        for await (const c of readAccessLog(path.join(dir, 'missing'))) out.push(c);
        return out;
      })(),
    ).toEqual([]);
  });
});
