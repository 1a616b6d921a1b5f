/**
 * `scoredrive generate`: deterministic synthetic scores in the load format, streamed (CSV with
 * header, or JSON lines), from the demo generator (codice-fiscale-shaped ids, skill-correlated
 * factors, bands consistent with scores, realistic km and trips). Same seed, same bytes.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { demoScores, lastCompletedPeriod } from '../store/demo-data';
import { CSV_COLUMNS, toCsvValues } from './score-row';

export type LoadFormat = 'csv' | 'jsonl';

export interface GenerateOptions {
  /** Rows to write. */
  readonly count: number;
  readonly seed?: number;
  /** Months per driver: drivers = ceil(count / months). */
  readonly months?: number;
  readonly format?: LoadFormat;
  /** The newest month written. @default last completed month */
  readonly lastPeriod?: string;
  readonly onProgress?: (written: number) => void;
}

/** Rows per write: big enough that stream overhead vanishes, small enough to keep memory flat. */
const CHUNK_ROWS = 2000;

export async function generateScores(out: Writable, options: GenerateOptions): Promise<number> {
  const months = options.months ?? 6;
  const format = options.format ?? 'csv';
  const records = demoScores({
    drivers: Math.ceil(options.count / months),
    months,
    lastPeriod: options.lastPeriod ?? lastCompletedPeriod(),
    seed: options.seed,
  });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\n`);
  let written = 0;
  let chunk: unknown[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await write(
      format === 'csv'
        ? stringify(chunk as (string | number)[][])
        : `${chunk.map((record) => JSON.stringify(record)).join('\n')}\n`,
    );
    chunk = [];
    options.onProgress?.(written);
  };
  for (const record of records) {
    if (written >= options.count) break;
    chunk.push(format === 'csv' ? toCsvValues(record) : record);
    written += 1;
    if (chunk.length === CHUNK_ROWS) await flush();
  }
  await flush();
  return written;
}
