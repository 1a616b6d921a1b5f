/**
 * Query.score(driverId, period): one month's score, or the latest month's.
 *
 * With a period it is a GetItem on (driverId, period). Without one it is a Query on the
 * partition key, newest period first, limit 1: one read, as cheap as a GetItem.
 */
import type { Context, DynamoDBGetItemRequest, DynamoDBQueryRequest } from '@aws-appsync/utils';
import { get, query } from '@aws-appsync/utils/dynamodb';
import type { QueryScoreArgs, Score } from '../../src/generated/graphql';
import { raiseDataSourceError } from '../lib/data-source';
import { assertDriverId, assertOptionalPeriod } from '../lib/validation';

export function request(ctx: Context<QueryScoreArgs>): DynamoDBGetItemRequest | DynamoDBQueryRequest {
  const { driverId, period } = ctx.args;
  assertDriverId(driverId);
  assertOptionalPeriod(period, 'period');
  if (period) {
    return get<Score>({ key: { driverId, period } });
  }
  return query<Score>({ query: { driverId: { eq: driverId } }, scanIndexForward: false, limit: 1 });
}

export function response(ctx: Context<QueryScoreArgs>): Score | null {
  raiseDataSourceError(ctx);
  if (ctx.args.period) {
    return ctx.result ?? null;
  }
  const items: Score[] = ctx.result.items;
  return items.length > 0 ? items[0] : null;
}
