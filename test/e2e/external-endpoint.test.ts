/**
 * `--dynamodb-endpoint`: the service reads a table another program wrote, on any
 * DynamoDB-compatible endpoint (here a separate dynalite, reached only through its URL; a bare
 * one, which like DynamoDB Local takes any credentials: the embedded store's own port demands
 * its key).
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/server/service';
import { createDynamoDBClient } from '../../src/store/client';
import { ensureScoresTable } from '../../src/store/table';
import { graphql, TEST_API_KEY, tempDir } from '../helpers/service';

let other: { endpoint: string; close(): Promise<void> };
let service: Service;
const cleanups: (() => Promise<void>)[] = [];

const record = {
  driverId: 'VRDLGU80A01H501Z',
  period: '2025-03',
  score: 64,
  band: 'C',
  factors: { acceleration: 60, braking: 70, cornering: 61, speeding: 58, nightDriving: 80 },
  kmDriven: 812.5,
  trips: 57,
  modelVersion: '3.0.0',
  updatedAt: '2025-04-01T02:00:00.000Z',
};

beforeAll(async () => {
  const storeDir = await tempDir();
  const server: Server = createRequire(import.meta.url)('dynalite')({ path: storeDir.dir, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  other = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  cleanups.push(() => other.close(), storeDir.remove);
  // "Another program": a plain SDK client writing in design.md's key schema.
  const writer = createDynamoDBClient({ endpoint: other.endpoint });
  await ensureScoresTable(writer, 'external-scores', true);
  await writer.send(new PutItemCommand({ TableName: 'external-scores', Item: marshall(record) }));
  writer.destroy();

  const dataDir = await tempDir();
  service = await createService({
    dataDir: dataDir.dir,
    tableName: 'external-scores',
    dynamodbEndpoint: other.endpoint,
    apiKeys: TEST_API_KEY,
  });
  await service.ready;
  cleanups.unshift(() => service.close());
  cleanups.push(dataDir.remove);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('serving an external endpoint', () => {
  it('returns the items the other program wrote, with every field', async () => {
    const { body } = await graphql(
      service,
      `{ score(driverId: "${record.driverId}") { driverId period score band factors { acceleration braking cornering speeding nightDriving } kmDriven trips modelVersion updatedAt } }`,
    );
    expect(body).toEqual({ data: { score: record } });
  });

  it('does not seed demo data into an external table', async () => {
    expect(service.embedded).toBe(false);
    const { body } = await graphql(service, '{ scores(driverIds: ["ANYONE"], period: "2025-03") { driverId } }');
    expect(body.data.scores).toEqual([null]);
  });

  it('refuses to start on a missing table unless asked to create it', async () => {
    const dataDir = await tempDir();
    cleanups.push(dataDir.remove);
    await expect(
      createService({ dataDir: dataDir.dir, tableName: 'no-such-table', dynamodbEndpoint: other.endpoint }),
    ).rejects.toThrow('table no-such-table does not exist at this endpoint (pass --create-table to create it)');
  });
});
