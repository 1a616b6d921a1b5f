/** Tables for tests that need more than the scores table: a string partition key each. */
import { CreateTableCommand, type DynamoDBClient, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

/** Creates each table (name → its partition key attribute) and waits until it is active. */
export async function createHashKeyTables(client: DynamoDBClient, tables: Record<string, string>): Promise<void> {
  for (const [TableName, key] of Object.entries(tables)) {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName });
  }
}

/** Exact item count, by a COUNT scan (segments in parallel). The reference the store's own count is held to. */
export async function countItems(client: DynamoDBClient, tableName: string, segments = 4): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let total = 0;
      let start: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            Select: 'COUNT',
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
          }),
        );
        total += page.Count ?? 0;
        start = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (start);
      return total;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
