/**
 * Deterministic, realistic demo scores: the same seed gives the same drivers and months on
 * every machine. driverIds are shaped like Italian codici fiscali (with a valid check
 * character); scores are weighted means of the five factors, bands follow the scores.
 */
import { bandFor, FACTOR_NAMES, type ScoreRecord } from '../domain/score';

/** sfc32: a small, fast, well-distributed seeded PRNG (Math.random cannot be seeded). */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i += 1) next();
  return next;
}

const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXZ';
const MONTH_LETTERS = 'ABCDEHLMPRST';
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** The codice fiscale check character (Decreto Ministeriale 23/12/1976). */
export function codiceFiscaleCheckChar(first15: string): string {
  let sum = 0;
  for (let i = 0; i < first15.length; i += 1) {
    const ch = first15[i];
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? ODD_VALUES[value] : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

function pick(random: () => number, alphabet: string): string {
  return alphabet[Math.floor(random() * alphabet.length)];
}

function digits(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function demoDriverId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 6; i += 1) id += pick(random, CONSONANTS);
  id += digits(40 + Math.floor(random() * 66), 2).slice(-2);
  id += pick(random, MONTH_LETTERS);
  const day = 1 + Math.floor(random() * 28) + (random() < 0.45 ? 40 : 0);
  id += digits(day, 2);
  id += pick(random, 'ABCDEFGHILM') + digits(1 + Math.floor(random() * 999), 3);
  return id + codiceFiscaleCheckChar(id);
}

/** A normally distributed value (Box-Muller). */
function gaussian(random: () => number, mean: number, sd: number): number {
  const u = 1 - random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

const FACTOR_WEIGHTS = { acceleration: 0.2, braking: 0.25, cornering: 0.2, speeding: 0.25, nightDriving: 0.1 };

/** Months `YYYY-MM`, oldest first, ending with `lastPeriod`. */
export function periodsEndingAt(lastPeriod: string, count: number): string[] {
  const [year, month] = lastPeriod.split('-').map(Number);
  const out: string[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const index = year * 12 + (month - 1) - back;
    out.push(`${Math.floor(index / 12)}-${digits((index % 12) + 1, 2)}`);
  }
  return out;
}

/** The month before the one `now` falls in: the newest month a monthly score can exist for. */
export function lastCompletedPeriod(now = new Date()): string {
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() - 1;
  return `${Math.floor(index / 12)}-${digits((index % 12) + 1, 2)}`;
}

export interface DemoDataOptions {
  readonly drivers: number;
  readonly months: number;
  readonly lastPeriod: string;
  readonly seed?: number;
  readonly modelVersion?: string;
}

/** Yields every record, driver by driver, newest month last. */
export function* demoScores(options: DemoDataOptions): Generator<ScoreRecord> {
  const random = seededRandom(options.seed ?? 20_160_122);
  const periods = periodsEndingAt(options.lastPeriod, options.months);
  const seen = new Set<string>();
  for (let n = 0; n < options.drivers; n += 1) {
    let driverId = demoDriverId(random);
    while (seen.has(driverId)) driverId = demoDriverId(random);
    seen.add(driverId);
    const skill = clamp(gaussian(random, 72, 12), 15, 98);
    const monthlyKm = Math.exp(gaussian(random, 6.8, 0.5));
    for (const period of periods) {
      const factors = {} as ScoreRecord['factors'];
      for (const name of FACTOR_NAMES) {
        factors[name] = Math.round(clamp(gaussian(random, skill, 9), 0, 100));
      }
      const score = Math.round(FACTOR_NAMES.reduce((sum, name) => sum + factors[name] * FACTOR_WEIGHTS[name], 0));
      const kmDriven = Math.round(clamp(gaussian(random, monthlyKm, monthlyKm * 0.2), 5, 20_000) * 10) / 10;
      const [year, month] = period.split('-').map(Number);
      const computedAt = Date.UTC(year, month, 1, 2, Math.floor(random() * 240), Math.floor(random() * 60));
      yield {
        driverId,
        period,
        score,
        band: bandFor(score),
        factors,
        kmDriven,
        trips: Math.max(1, Math.round(kmDriven / clamp(gaussian(random, 14, 4), 3, 60))),
        modelVersion: options.modelVersion ?? '2.3.1',
        updatedAt: new Date(computedAt).toISOString(),
      };
    }
  }
}
