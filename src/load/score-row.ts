/**
 * One row of a monthly load file, checked against design.md's data model. Rows come as CSV
 * (every value a string, factors as flat columns) or as JSON lines (typed values, `factors` an
 * object); both become the same ScoreRecord or a reason to reject the row.
 */
import { FACTOR_NAMES, type ScoreRecord } from '../domain/score';
import type { Band } from '../generated/graphql';

/** The CSV header, in order: the factors are flat columns. */
export const CSV_COLUMNS = [
  'driverId',
  'period',
  'score',
  'band',
  ...FACTOR_NAMES,
  'kmDriven',
  'trips',
  'modelVersion',
  'updatedAt',
] as const;

const DRIVER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const BANDS = new Set<string>(['A', 'B', 'C', 'D', 'E']);
/** ISO-8601 in UTC, seconds required, fraction optional: what `updatedAt` holds. */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const MAX_MODEL_VERSION = 64;
/** The members a JSON line may have: the record's fields, factors nested. */
const JSON_FIELDS = new Set<string>([
  'driverId',
  'period',
  'score',
  'band',
  'factors',
  'kmDriven',
  'trips',
  'modelVersion',
  'updatedAt',
]);
const FACTORS = new Set<string>(FACTOR_NAMES);

export type RowResult = { ok: true; record: ScoreRecord } | { ok: false; reason: string };

class RowError extends Error {}

function text(row: Record<string, unknown>, field: string): string {
  const value = row[field];
  if (value === undefined || value === null || value === '') throw new RowError(`missing ${field}`);
  if (typeof value !== 'string') throw new RowError(`${field} must be a string`);
  return value;
}

/** A number from a JSON number or a CSV string; `integer` refuses fractions. */
function number(row: Record<string, unknown>, field: string, min: number, max: number, integer: boolean): number {
  const value = row[field];
  if (value === undefined || value === null || value === '') throw new RowError(`missing ${field}`);
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && (integer ? INTEGER : DECIMAL).test(value.trim())) n = Number(value);
  else throw new RowError(`${field} must be ${integer ? 'an integer' : 'a number'}`);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new RowError(`${field} must be ${integer ? 'an integer' : 'a number'}`);
  }
  if (n < min || n > max) throw new RowError(`${field} ${n} is out of range ${min}-${max}`);
  return n;
}

function check(
  row: Record<string, unknown>,
  factorsOf: (row: Record<string, unknown>) => Record<string, unknown>,
): ScoreRecord {
  const driverId = text(row, 'driverId');
  if (!DRIVER_ID.test(driverId)) throw new RowError('driverId must be 1-64 characters of A-Z, a-z, 0-9, _ and -');
  const period = text(row, 'period');
  if (!PERIOD.test(period)) throw new RowError('period must be YYYY-MM');
  const score = number(row, 'score', 0, 100, true);
  const band = text(row, 'band');
  if (!BANDS.has(band)) throw new RowError('band must be one of A, B, C, D, E');
  const factorValues = factorsOf(row);
  const factors = Object.fromEntries(
    FACTOR_NAMES.map((name) => [name, number(factorValues, name, 0, 100, true)]),
  ) as ScoreRecord['factors'];
  const kmDriven = number(row, 'kmDriven', 0, 1_000_000, false);
  const trips = number(row, 'trips', 0, 1_000_000, true);
  const modelVersion = text(row, 'modelVersion');
  if (modelVersion.length > MAX_MODEL_VERSION) throw new RowError(`modelVersion is longer than ${MAX_MODEL_VERSION}`);
  if (hasControlCharacter(modelVersion)) throw new RowError('modelVersion must not hold control characters');
  const updatedAt = text(row, 'updatedAt');
  if (!UTC_TIMESTAMP.test(updatedAt) || Number.isNaN(Date.parse(updatedAt))) {
    throw new RowError('updatedAt must be an ISO-8601 UTC time (e.g. 2026-11-01T02:00:00Z)');
  }
  return { driverId, period, score, band: band as Band, factors, kmDriven, trips, modelVersion, updatedAt };
}

/** C0 controls and DEL: no field holds one, and a NUL or a stray CR in free text must not reach the table. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function attempt(make: () => ScoreRecord): RowResult {
  try {
    return { ok: true, record: make() };
  } catch (error) {
    if (error instanceof RowError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A CSV row as csv-parse gives it with `columns: true` (every value a string). */
export function fromCsvRow(row: Record<string, string>): RowResult {
  return attempt(() => check(row, (r) => r));
}

/** One JSON line: an object with the record's fields, `factors` nested. */
export function fromJsonLine(line: string): RowResult {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return { ok: false, reason: 'not a JSON object' };
  // A member the data model lacks is refused, not dropped: it is a misspelt field or a different file.
  const unknown = Object.keys(row).find((key) => !JSON_FIELDS.has(key));
  if (unknown !== undefined) return { ok: false, reason: `unknown field ${JSON.stringify(unknown)}` };
  return attempt(() =>
    check(row as Record<string, unknown>, (r) => {
      const factors = r.factors;
      if (factors === undefined || factors === null) throw new RowError('missing factors');
      if (typeof factors !== 'object' || Array.isArray(factors)) throw new RowError('factors must be an object');
      const unknownFactor = Object.keys(factors).find((key) => !FACTORS.has(key));
      if (unknownFactor !== undefined) throw new RowError(`unknown factor ${JSON.stringify(unknownFactor)}`);
      return factors as Record<string, unknown>;
    }),
  );
}

/** The CSV header problems of a file, before any row is read: missing, unknown or repeated columns. */
export function csvHeaderProblem(columns: readonly string[]): string | undefined {
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  const repeated = [...new Set(columns.filter((c, i) => columns.indexOf(c) !== i))];
  if (missing.length === 0 && unknown.length === 0 && repeated.length === 0) return undefined;
  return [
    missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` : '',
    repeated.length ? `repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** A record as one CSV line's values, in CSV_COLUMNS order. */
export function toCsvValues(record: ScoreRecord): (string | number)[] {
  return [
    record.driverId,
    record.period,
    record.score,
    record.band,
    ...FACTOR_NAMES.map((name) => record.factors[name]),
    record.kmDriven,
    record.trips,
    record.modelVersion,
    record.updatedAt,
  ];
}
