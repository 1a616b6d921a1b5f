/**
 * The before and after steps of a pipeline resolver whose functions do all the work: the
 * before step hands the functions an empty result, the after step answers the last function's
 * (resolver-reference-overview-js, "Pipeline resolvers": `return {}` and `ctx.prev.result`).
 */
import type { Context } from '@aws-appsync/utils';

export function request(_ctx: Context): Record<string, never> {
  return {};
}

export function response(ctx: Context): unknown {
  return ctx.prev.result;
}
