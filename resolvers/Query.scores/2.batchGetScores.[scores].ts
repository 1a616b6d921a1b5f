/**
 * Query.scores(driverIds, period): up to 100 drivers' scores for one month, in one
 * BatchGetItem. Answers follow the order of `driverIds` (repeats included), null where missing.
 */
import { type Context, type DynamoDBBatchGetItemRequest, util } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';
import type { QueryScoresArgs, Score } from '../../src/generated/graphql';
import { raiseDataSourceError, scoresTable } from '../lib/data-source';
import { assertDriverId, assertPeriod, MAX_BATCH_SIZE, VALIDATION_ERROR } from '../lib/validation';

export function request(ctx: Context<QueryScoresArgs>): DynamoDBBatchGetItemRequest {
  const { driverIds, period } = ctx.args;
  if (driverIds.length < 1 || driverIds.length > MAX_BATCH_SIZE) {
    util.error(`Invalid driverIds: expected 1-${MAX_BATCH_SIZE} ids, got ${driverIds.length}`, VALIDATION_ERROR, null, {
      argument: 'driverIds',
    });
  }
  driverIds.forEach((driverId) => {
    assertDriverId(driverId, 'driverIds');
  });
  assertPeriod(period, 'period');
  // DynamoDB refuses a batch with the same key twice, so each id is asked for once.
  const uniqueIds = driverIds.filter((driverId, index) => driverIds.indexOf(driverId) === index);
  return batchGet({
    tables: { [scoresTable(ctx)]: { keys: uniqueIds.map((driverId) => ({ driverId, period })) } },
  });
}

export function response(ctx: Context<QueryScoresArgs>): (Score | null)[] {
  raiseDataSourceError(ctx);
  const unprocessed = ctx.result.unprocessedKeys[scoresTable(ctx)] ?? [];
  if (unprocessed.length > 0) {
    // Partial batch (throttling): say so rather than answer null for scores that exist.
    util.error('Some scores could not be read; retry the request', 'DynamoDB:ProvisionedThroughputExceededException');
  }
  const found: Record<string, Score> = {};
  ctx.result.data[scoresTable(ctx)].forEach((item: Score | null) => {
    if (item) {
      found[item.driverId] = item;
    }
  });
  return ctx.args.driverIds.map((driverId) => found[driverId] ?? null);
}
