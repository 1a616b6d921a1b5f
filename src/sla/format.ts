/** Human-readable numbers for the SLA report and the bench (en-US, fixed, so they read the same wherever built). */

export const DASH = '—';
const byDigits = new Map<number, Intl.NumberFormat>();

function fixed(value: number, digits: number): string {
  let format = byDigits.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    byDigits.set(digits, format);
  }
  return format.format(value);
}

export function formatCount(n: number): string {
  return fixed(n, 0);
}

/** Milliseconds with the decimals that matter at their size: 0.42, 4.27, 42.7, 427, 4,270. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return DASH;
  const size = Math.abs(ms);
  return fixed(ms, size < 10 ? 2 : size < 100 ? 1 : 0);
}

/**
 * A ratio as a percentage, truncated rather than rounded so that a share is never shown higher
 * than it is: 0.99995 reads 99.995%, not 100%, and 0.997999 reads 99.799%, not the 99.8% target.
 * Three decimals near 0% and 100%, where they tell figures apart, two elsewhere; trailing zeros
 * dropped (0.998 reads 99.8%).
 */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  const decimals = pct < 1 || pct >= 99 ? 3 : 2;
  const scale = 10 ** decimals;
  // The epsilon undoes binary rounding (99.8 * 1000 = 99799.99…), far below the shown digits.
  let shown = Math.floor(pct * scale + 1e-6) / scale;
  if (shown >= 100 && ratio < 1) shown = 100 - 1 / scale;
  if (shown === 0) return `< ${fixed(1 / scale, decimals)}%`;
  return `${fixed(shown, decimals).replace(/\.?0+$/, '')}%`;
}

export function ratioOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
