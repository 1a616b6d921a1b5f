/**
 * Shared response handling for resolvers that read the scores table.
 */
import { type Context, util } from '@aws-appsync/utils';

/**
 * Re-raises a data-source error as a GraphQL error. AppSync does not do this by itself: a
 * response handler that ignores ctx.error returns data as if the call had succeeded.
 */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
}

/** The scores table name, from the AppSync environment variable CDK (or the offline runtime) sets. */
export function scoresTable(ctx: Context): string {
  return ctx.env.SCORES_TABLE;
}
