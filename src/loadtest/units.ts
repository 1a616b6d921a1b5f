/**
 * The bench's quantities as a user types them: rates (`500/min`), durations (`30s`, `2m`, `1h`)
 * and shares (`0.01`, `1%`), each refused with a message saying what is expected.
 */
import { DASH, formatMs as formatMilliseconds, formatPercent } from '../sla/format';
import { UsageError } from './usage';

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const RATE_UNITS_S: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
};

/** `30s`, `2m`, `1h`, `500ms`, `1.5s` (and a bare `0`) in milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/i.exec(trimmed);
  if (!match) throw new UsageError(`invalid ${what} "${text}": expected a number and a unit, e.g. 500ms, 30s, 2m, 1h`);
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2].toLowerCase()]);
}

export interface Rate {
  /** Requests per second. */
  readonly perSecond: number;
  /** As the user wrote it, normalised: `500/min`. */
  readonly text: string;
}

/** `500/min`, `20/s`, `1000/h` (also `/sec`, `/minute`, `/hour`). */
export function parseRate(text: string): Rate {
  const match = /^(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)$/i.exec(text.trim());
  const unit = match?.[2].toLowerCase();
  const seconds = unit === undefined ? undefined : RATE_UNITS_S[unit];
  if (!match || seconds === undefined) {
    throw new UsageError(`invalid rate "${text}": expected requests per unit of time, e.g. 500/min, 20/s, 1000/h`);
  }
  const count = Number(match[1]);
  if (count <= 0) throw new UsageError(`invalid rate "${text}": must be above 0`);
  const shortUnit = seconds === 1 ? 's' : seconds === 60 ? 'min' : 'h';
  return { perSecond: count / seconds, text: `${match[1]}/${shortUnit}` };
}

/** `0.01` or `1%`, between 0 and 1 inclusive. */
export function parseShare(text: string, what = 'share'): number {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new UsageError(`invalid ${what} "${text}": expected a fraction 0-1 or a percentage, e.g. 0.01 or 1%`);
  }
  return value;
}

/** A latency for people: 3.14 ms, 31.4 ms, 314 ms, 4,270 ms (the report's format); a dash when there is none. */
export function formatMs(ms: number | null | undefined): string {
  const text = formatMilliseconds(ms ?? null);
  return text === DASH ? text : `${text} ms`;
}

/** A share as the report shows it: truncated, never rounded up to a limit it missed (0.1999% is 0.199%). */
export function formatShare(share: number): string {
  return formatPercent(share);
}

/** A duration for people: 500 ms, 20 s, 2 min 30 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
