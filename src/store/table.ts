/** The scores table: create it, check its key schema, read a few facts about it. */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEY } from '../contract/data-sources';

export class TableProblemError extends Error {
  override readonly name = 'TableProblemError';
}

/** The scores table as design.md defines it (on-demand, driverId + period, both strings). */
export function scoresTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
    ],
  };
}

/**
 * Makes sure `tableName` exists with design.md's key schema. Creates it when `create` is set;
 * otherwise a missing table is an error that says how to create it.
 */
export async function ensureScoresTable(client: DynamoDBClient, tableName: string, create: boolean): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const hash = Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const range = Table?.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    if (hash !== TABLE_KEY.partitionKey || range !== TABLE_KEY.sortKey) {
      throw new TableProblemError(
        `table ${tableName} has key schema (${hash}, ${range}); ScoreDrive needs partition key ` +
          `${TABLE_KEY.partitionKey} and sort key ${TABLE_KEY.sortKey}, both strings`,
      );
    }
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    if (!create) {
      throw new TableProblemError(
        `table ${tableName} does not exist at this endpoint (pass --create-table to create it)`,
      );
    }
  }
  await client.send(new CreateTableCommand(scoresTableDefinition(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
}

/** DynamoDB's own item count (refreshed by AWS about every six hours). */
export async function approximateItemCount(client: DynamoDBClient, tableName: string): Promise<number> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return Table?.ItemCount ?? 0;
}

/** Some driverId present in the table, or undefined when it is empty. */
export async function anyDriverId(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  const page = await client.send(
    new ScanCommand({ TableName: tableName, Limit: 1, ProjectionExpression: TABLE_KEY.partitionKey }),
  );
  return page.Items?.[0]?.[TABLE_KEY.partitionKey]?.S;
}
