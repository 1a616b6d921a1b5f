/**
 * Query.scoreHistory(driverId, from, to, limit, nextToken): a driver's months, newest first,
 * paginated with DynamoDB's own (opaque) pagination token.
 */
import { type Context, type DynamoDBQueryRequest, util } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { QueryScoreHistoryArgs, Score, ScoreConnection } from '../../src/generated/graphql';
import { raiseDataSourceError } from '../lib/data-source';
import {
  assertDriverId,
  assertOptionalPeriod,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  VALIDATION_ERROR,
} from '../lib/validation';

export function request(ctx: Context<QueryScoreHistoryArgs>): DynamoDBQueryRequest {
  const { driverId, from, to, limit, nextToken } = ctx.args;
  assertDriverId(driverId);
  assertOptionalPeriod(from, 'from');
  assertOptionalPeriod(to, 'to');
  if (from && to && from > to) {
    util.error('Invalid range: from must not be after to', VALIDATION_ERROR, null, { argument: 'from' });
  }
  const pageSize = limit ?? DEFAULT_PAGE_SIZE;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    util.error(`Invalid limit: expected 1-${MAX_PAGE_SIZE}`, VALIDATION_ERROR, null, { argument: 'limit' });
  }
  return query<Score>({
    query: { driverId: { eq: driverId }, period: periodCondition(from, to) },
    scanIndexForward: false,
    limit: pageSize,
    nextToken: nextToken ?? null,
  });
}

export function response(ctx: Context<QueryScoreHistoryArgs>): ScoreConnection {
  raiseDataSourceError(ctx);
  return { items: ctx.result.items, nextToken: ctx.result.nextToken ?? null };
}

/** The sort-key condition for an optional inclusive month range (undefined: all months). */
function periodCondition(from?: string | null, to?: string | null) {
  if (from && to) {
    return { between: [from, to] as [string, string] };
  }
  if (from) {
    return { ge: from };
  }
  if (to) {
    return { le: to };
  }
  return undefined;
}
