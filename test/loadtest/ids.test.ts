/** Where the bench's driverIds come from: files in three shapes, or the offline server's demo data. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateScores } from '../../src/load/generate';
import {
  createDriverPicker,
  createRedactor,
  demoDriverIds,
  demoPlanOfDataDir,
  readDriverIdsFile,
  SERVE_DEMO,
} from '../../src/loadtest/ids';
import { UsageError } from '../../src/loadtest/usage';
import { DEFAULT_DEMO } from '../../src/server/service';
import { demoScores } from '../../src/store/demo-data';
import { tempDir } from '../helpers/service';

let dir: string;
let removeDir: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('scoredrive-bench-ids-'));
});
afterEach(async () => removeDir());

async function file(name: string, content: string | Buffer): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, content);
  return target;
}

async function generated(format: 'csv' | 'jsonl'): Promise<string> {
  const text = new PassThrough();
  const chunks: Buffer[] = [];
  text.on('data', (chunk) => chunks.push(chunk));
  await generateScores(text, { count: 12, months: 4, seed: 3, format, lastPeriod: '2026-10' });
  text.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('readDriverIdsFile', () => {
  it('reads one id a line, skipping blanks and repeats', async () => {
    expect(await readDriverIdsFile(await file('ids.txt', 'A1\r\n\nB_2\nA1\nc-3\n'))).toEqual(['A1', 'B_2', 'c-3']);
  });

  it('reads the distinct drivers of a load file, CSV or JSON lines, gzipped or not', async () => {
    const csv = await generated('csv');
    const jsonl = await generated('jsonl');
    const expected = [
      ...new Set(
        jsonl
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).driverId as string),
      ),
    ];
    expect(expected).toHaveLength(3); // 12 rows, 4 months per driver

    expect(await readDriverIdsFile(await file('scores.csv', csv))).toEqual(expected);
    expect(await readDriverIdsFile(await file('scores.jsonl', jsonl))).toEqual(expected);
    expect(await readDriverIdsFile(await file('scores.csv.gz', gzipSync(csv)))).toEqual(expected);
  });

  it('refuses a truncated gzip file with a usage error naming it (once an unhandled stream error)', async () => {
    const whole = gzipSync(`driverId\n${Array.from({ length: 5_000 }, (_, i) => `D${i}`).join('\n')}`);
    const truncated = await file('ids.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readDriverIdsFile(truncated)).rejects.toThrow(/^cannot read --ids .*ids\.csv\.gz: .*truncated/);
  });

  it('finds the driverId column wherever it is', async () => {
    expect(await readDriverIdsFile(await file('x.csv', 'period,driverId\n2026-01,"A1"\n2026-02,B2\n'))).toEqual([
      'A1',
      'B2',
    ]);
  });

  it.each([
    ['a CSV header without driverId', 'period,score\n2026-01,5\n', /needs a driverId column/],
    [
      'ids with forbidden characters',
      'A1\nnot an id\nB2\nx.y\n',
      /2 entries are not a driverId .* the first at line 2/,
    ],
    ['JSON lines without driverId', '{"driverId":"A1"}\n{"id":"B2"}\n', /1 entry is not a driverId .* line 2/],
    ['an empty file', '\n\n', /no driverId in the file/],
    [
      'malformed CSV',
      'driverId,period\nA1,2026-01\n"RSSMRA80A01H501U"x,2026-02\n',
      /malformed CSV: characters after the closing quote of a field at line 3$/,
    ],
  ])('refuses %s, without quoting the file', async (_name, content, message) => {
    const target = await file('bad.txt', content);
    await expect(readDriverIdsFile(target)).rejects.toThrow(UsageError);
    await expect(readDriverIdsFile(target)).rejects.toThrow(message);
    await expect(readDriverIdsFile(target)).rejects.not.toThrow(/RSSMRA80A01H501U/);
  });
});

describe('demo driver ids', () => {
  it('defaults to what scoredrive serve seeds', () => {
    expect({ drivers: SERVE_DEMO.drivers, months: SERVE_DEMO.months }).toEqual(DEFAULT_DEMO);
  });

  it('are the drivers the demo generator writes, for the same drivers and months', () => {
    const plan = { drivers: 30, months: 4, seed: SERVE_DEMO.seed };
    const seeded = [...new Set([...demoScores({ ...plan, lastPeriod: '2026-10' })].map((r) => r.driverId))];
    expect(demoDriverIds(plan)).toEqual(seeded);
    // The months change every id after the first: ids depend on the draws made before them.
    expect(demoDriverIds({ ...plan, months: 6 }).slice(1)).not.toEqual(seeded.slice(1));
  });

  it('follow the data directory’s record of what it seeded', async () => {
    await file(
      'demo-data.json',
      JSON.stringify({ drivers: 40, months: 4, lastPeriod: '2026-10', seed: 20_160_122, state: 'complete' }),
    );
    expect(await demoPlanOfDataDir(dir)).toEqual({ drivers: 40, months: 4, seed: 20_160_122 });
    expect(await demoPlanOfDataDir(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('createDriverPicker', () => {
  it('mixes in made-up ids at the share asked for', () => {
    const pick = createDriverPicker(['A1', 'B2'], 0.25);
    const picks = Array.from({ length: 4000 }, pick);
    const unknown = picks.filter((p) => !p.exists);
    expect(unknown.length / picks.length).toBeGreaterThan(0.2);
    expect(unknown.length / picks.length).toBeLessThan(0.3);
    expect(unknown.every((p) => /^[a-z0-9-]{1,64}$/.test(p.driverId) && !['A1', 'B2'].includes(p.driverId))).toBe(true);
    expect(new Set(picks.filter((p) => p.exists).map((p) => p.driverId))).toEqual(new Set(['A1', 'B2']));
  });
});

describe('createRedactor', () => {
  it('replaces known, made-up and asked-for ids', () => {
    const redact = createRedactor(['RSSMRA80A01H501U']);
    expect(redact('item RSSMRA80A01H501U missing; zz-bench-unknown-abc123 too; key=X-Y', 'X-Y')).toBe(
      'item <driverId> missing; <driverId> too; key=<driverId>',
    );
  });
});
