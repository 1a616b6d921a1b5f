/**
 * Writes items with BatchWriteItem, several batches in flight, retrying UnprocessedItems
 * with capped, jittered exponential backoff (the retry scheme AWS recommends for batch writes).
 */
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

export const MAX_BATCH_ITEMS = 25;

export interface BatchWriteOptions {
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  readonly onBatchWritten?: (items: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function writeBatch(
  client: DynamoDBClient,
  tableName: string,
  items: readonly object[],
  maxAttempts = 8,
): Promise<void> {
  let pending: { PutRequest: { Item: Record<string, AttributeValue> } }[] = items.map((item) => ({
    PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
  }));
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) {
      throw new Error(`${pending.length} items still unprocessed after ${attempt} attempts`);
    }
    await sleep(Math.random() * Math.min(5000, 50 * 2 ** attempt));
  }
}

/** Writes every item of `source`, `concurrency` batches at a time; resolves with the count. */
export async function writeAll(
  client: DynamoDBClient,
  tableName: string,
  source: Iterable<object>,
  options: BatchWriteOptions = {},
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
      await writeBatch(client, tableName, batch, options.maxAttempts);
      written += batch.length;
      options.onBatchWritten?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return written;
}
