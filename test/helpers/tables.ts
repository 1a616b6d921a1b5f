/** Tables for tests that need more than the scores table: a string partition key each. */
import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

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
