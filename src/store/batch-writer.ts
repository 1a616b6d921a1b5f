/**
 * Writes items with BatchWriteItem, several batches in flight, retrying UnprocessedItems and
 * throttling with capped, jittered exponential backoff (the retry scheme AWS recommends for batch
 * writes). Used by the loader and by the demo seeding, through either DynamoDB API.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBApi } from './dynamodb-api';

export const MAX_BATCH_ITEMS = 25;

/** Errors that say "try again later", not "this request is wrong". */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);

export interface BatchRetryOptions {
  /** Attempts per batch before giving up. @default 10 */
  readonly maxAttempts?: number;
  /** Base of the backoff in ms (tests shorten it). @default 50 */
  readonly backoffMs?: number;
  /** Called before each retry with the number of items sent again. */
  readonly onRetry?: (items: number) => void;
}

export class BatchWriteError extends Error {
  override readonly name = 'BatchWriteError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter over a capped exponential. */
function backoff(attempt: number, baseMs: number): number {
  return Math.random() * Math.min(5000, baseMs * 2 ** attempt);
}

/**
 * Puts up to 25 items, retrying until all are written. Items are sent as wire JSON built here:
 * scores hold no binary values, so the API's generic (replacer-based) serialisation is skipped;
 * measured, it was the loader's largest cost.
 */
export async function putBatch(
  api: DynamoDBApi,
  tableName: string,
  items: readonly object[],
  options: BatchRetryOptions = {},
): Promise<void> {
  let pending: unknown[] = items.map((item) => ({
    PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
  }));
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt += 1) {
    const answer = await api.callWire('BatchWriteItem', JSON.stringify({ RequestItems: { [tableName]: pending } }));
    const body = JSON.parse(answer.body || '{}') as {
      __type?: string;
      message?: string;
      UnprocessedItems?: Record<string, unknown[]>;
    };
    if (answer.statusCode === 200) {
      pending = body.UnprocessedItems?.[tableName] ?? [];
      if (pending.length === 0) return;
    } else {
      const type = String(body.__type ?? '').slice(String(body.__type ?? '').lastIndexOf('#') + 1);
      if (!RETRYABLE.has(type))
        throw new BatchWriteError(`DynamoDB refused a batch: ${type} ${body.message ?? ''}`.trim());
    }
    if (attempt >= maxAttempts) {
      throw new BatchWriteError(`a batch was still not written after ${attempt} attempts (DynamoDB keeps throttling)`);
    }
    options.onRetry?.(pending.length);
    await sleep(backoff(attempt, options.backoffMs ?? 50));
  }
}

export interface WriteAllOptions extends BatchRetryOptions {
  /** Batches in flight. @default 16 */
  readonly concurrency?: number;
  readonly onBatchWritten?: (written: number) => void;
}

/** Writes every item of `source`, `concurrency` batches at a time; resolves with the count. */
export async function writeAll(
  api: DynamoDBApi,
  tableName: string,
  source: Iterable<object>,
  options: WriteAllOptions = {},
): Promise<number> {
  const iterator = source[Symbol.iterator]();
  let written = 0;
  const nextBatch = (): object[] => {
    const batch: object[] = [];
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      batch.push(next.value);
      if (batch.length === MAX_BATCH_ITEMS) break;
    }
    return batch;
  };
  const worker = async () => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      await putBatch(api, tableName, batch, options);
      written += batch.length;
      options.onBatchWritten?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return written;
}
