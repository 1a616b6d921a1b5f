/**
 * The driverIds the bench asks about: from a file (one id a line, or a load file — CSV with a
 * driverId column, JSON lines with driverId; gzip detected), or the offline server's demo
 * drivers (same generator and seed as `serve`, so they exist), optionally mixed with made-up ids
 * that do not. A driverId identifies a person: `createRedactor` keeps them out of all output.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCsvLine } from '../load/csv-line';
import { openLoadInput } from '../load/input';
import { splitLines } from '../load/lines';
import { demoScores } from '../store/demo-data';
import { UsageError } from './usage';

const DRIVER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What `scoredrive serve` seeds by default (src/server/service.ts DEFAULT_DEMO, src/store/demo-seed.ts). */
export const SERVE_DEMO = { drivers: 10_000, months: 6, seed: 20_160_122 } as const;

export interface DemoPlan {
  readonly drivers: number;
  readonly months: number;
  readonly seed: number;
}

/**
 * The demo data a data directory was seeded with (its `demo-data.json` journal), so a bench of
 * `serve --demo-drivers 20000` asks for drivers that exist. Undefined when there is none.
 */
export async function demoPlanOfDataDir(dataDir: string): Promise<DemoPlan | undefined> {
  try {
    const journal = JSON.parse(await readFile(path.join(dataDir, 'demo-data.json'), 'utf8')) as Partial<DemoPlan>;
    const { drivers, months, seed } = journal;
    if (![drivers, months].every((n) => Number.isInteger(n) && (n as number) > 0)) return undefined;
    return { drivers: drivers as number, months: months as number, seed: seed ?? SERVE_DEMO.seed };
  } catch {
    return undefined;
  }
}

/**
 * The demo generator's driverIds. Each driver's id depends on the draws made for the drivers
 * before it (months included), so `months` must be the server's too; the period does not matter.
 */
export function demoDriverIds(plan: DemoPlan): string[] {
  const ids: string[] = [];
  for (const record of demoScores({ ...plan, lastPeriod: '2000-12' })) {
    if (ids[ids.length - 1] !== record.driverId) ids.push(record.driverId);
  }
  return ids;
}

/** Distinct driverIds of a file, in order of first appearance. */
export async function readDriverIdsFile(file: string): Promise<string[]> {
  let input: Awaited<ReturnType<typeof openLoadInput>>;
  try {
    input = await openLoadInput(file);
  } catch (error) {
    throw new UsageError(`cannot read --ids ${file}: ${(error as Error).message}`);
  }
  const ids = new Set<string>();
  let invalid = 0;
  let firstInvalidLine = 0;
  const take = (value: unknown, line: number) => {
    if (typeof value === 'string' && DRIVER_ID.test(value.trim())) {
      ids.add(value.trim());
    } else {
      invalid += 1;
      firstInvalidLine ||= line;
    }
  };

  // The loader's line reader (one error path for the file, gunzip and decoding, so a truncated
  // or corrupt file is an error, not an unhandled 'error' event), then a field per line.
  let column: number | undefined;
  const takeLine = (text: string, line: number) => {
    if (text.trim() === '') return;
    if (input.format === 'jsonl') {
      let value: unknown;
      try {
        value = (JSON.parse(text) as { driverId?: unknown }).driverId;
      } catch {
        value = undefined;
      }
      take(value, line);
      return;
    }
    // CSV with a header naming a driverId column, or a plain list (one id a line, no header).
    const parsed = parseCsvLine(text);
    // The reason never quotes the field (a driverId).
    if (!parsed.ok) throw new UsageError(`--ids ${file}: ${parsed.reason} at line ${line}`);
    const fields = parsed.fields.map((field) => field.trim());
    if (column === undefined) {
      column = fields.indexOf('driverId');
      if (column >= 0) return;
      if (fields.length > 1) throw new UsageError(`--ids ${file}: a CSV file needs a driverId column in its header`);
      column = 0;
    }
    take(fields[column], line);
  };
  try {
    for await (const lines of splitLines(input.stream)) {
      for (const { number, text, problem } of lines) {
        if (problem) throw new UsageError(`--ids ${file}: line ${number}: ${problem}`);
        takeLine(text, number);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read --ids ${file}: ${(error as Error).message}`);
  }
  if (invalid > 0) {
    throw new UsageError(
      `--ids ${file}: ${invalid} ${invalid === 1 ? 'entry is' : 'entries are'} not a driverId (1-64 of A-Z a-z 0-9 _ -), the first at line ${firstInvalidLine}`,
    );
  }
  if (ids.size === 0) throw new UsageError(`--ids ${file}: no driverId in the file`);
  return [...ids];
}

/** One request's driver: an id from the data (`exists`) or a made-up one. */
export interface PickedDriver {
  readonly driverId: string;
  readonly exists: boolean;
}

const UNKNOWN_PREFIX = 'zz-bench-unknown-';

/** An id no data holds: lower case, which demo ids (codici fiscali) never are. */
export function unknownDriverId(random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 12; i += 1) suffix += Math.floor(random() * 36).toString(36);
  return UNKNOWN_PREFIX + suffix;
}

/** A random driver per request: a made-up one with probability `unknownShare`, else one of `ids`. */
export function createDriverPicker(
  ids: readonly string[],
  unknownShare: number,
  random: () => number = Math.random,
): () => PickedDriver {
  return () =>
    unknownShare > 0 && random() < unknownShare
      ? { driverId: unknownDriverId(random), exists: false }
      : { driverId: ids[Math.floor(random() * ids.length)], exists: true };
}

/**
 * Replaces every driverId of `ids`, every made-up one and `asked` (the id the answer was for,
 * wherever it stands) in a text with `<driverId>`.
 */
export function createRedactor(ids: readonly string[]): (text: string, asked?: string) => string {
  const known = new Set(ids);
  return (text, asked) =>
    (asked ? text.split(asked).join('<driverId>') : text).replace(/[A-Za-z0-9_-]+/g, (token) =>
      known.has(token) || token.startsWith(UNKNOWN_PREFIX) ? '<driverId>' : token,
    );
}
