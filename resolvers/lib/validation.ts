/**
 * Argument checks shared by the Query resolvers. Bundled into each resolver by esbuild, so
 * everything here must stay APPSYNC_JS-safe (no throw/try, no classes, no ++).
 *
 * Each check fails with util.error(message, 'ValidationError') before any data-source call;
 * messages never echo the driverId back (it identifies a person and error texts end up in logs).
 */
import { util } from '@aws-appsync/utils';

/** The only error type these checks raise; clients branch on it. */
export const VALIDATION_ERROR = 'ValidationError';

/** 1-64 characters of A-Z, a-z, 0-9, `_` and `-` (design.md, data model). */
export const DRIVER_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** A month, `YYYY-MM`, with the month 01-12. */
export const PERIOD_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

/** Most ids `scores` takes in one call (BatchGetItem reads at most 100 keys). */
export const MAX_BATCH_SIZE = 100;

/** Largest page `scoreHistory` returns, and the page size when no limit is given. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 12;

export function assertDriverId(driverId: string, argument = 'driverId'): void {
  if (typeof driverId !== 'string' || !util.matches(DRIVER_ID_PATTERN, driverId)) {
    util.error(`Invalid ${argument}: expected 1-64 characters of A-Z, a-z, 0-9, _ or -`, VALIDATION_ERROR, null, {
      argument,
    });
  }
}

export function assertPeriod(period: string, argument: string): void {
  if (typeof period !== 'string' || !util.matches(PERIOD_PATTERN, period)) {
    util.error(`Invalid ${argument}: expected a month as YYYY-MM, e.g. 2024-05`, VALIDATION_ERROR, null, {
      argument,
    });
  }
}

/** Checks an optional period argument: `null`/absent is fine. */
export function assertOptionalPeriod(period: string | null | undefined, argument: string): void {
  if (period !== null && period !== undefined) {
    assertPeriod(period, argument);
  }
}
