/**
 * EmbeddedStore.countItems: the count `serve` shows, from the table's keys alone. It must agree
 * with DynamoDB's own COUNT scan after puts, overwrites and deletes, count one table only, and
 * refuse a table that does not exist as DynamoDB does.
 */
import path from 'node:path';
import { BatchWriteItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createEmbeddedStoreClient } from '../../src/store/client';
import { startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { tempDir } from '../helpers/service';
import { countItems } from '../helpers/tables';

const item = (driverId: string, period: string) => ({
  PutRequest: { Item: { driverId: { S: driverId }, period: { S: period }, score: { N: '70' } } },
});

describe('countItems of the embedded store', () => {
  it('agrees with a COUNT scan, per table, after puts, overwrites and deletes', async () => {
    const { dir, remove } = await tempDir('scoredrive-count-');
    const store = await startEmbeddedStore(path.join(dir, 'data'));
    const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
    try {
      await ensureScoresTable(client, 'count-a', true);
      await ensureScoresTable(client, 'count-ab', true);
      const periods = ['2026-01', '2026-02', '2026-03'];
      for (const driver of ['D1', 'D2', 'D3', 'D4', 'D5']) {
        await client.send(
          new BatchWriteItemCommand({ RequestItems: { 'count-a': periods.map((p) => item(driver, p)) } }),
        );
      }
      // Another table whose name starts with the first's: its items are not the first's.
      await client.send(new BatchWriteItemCommand({ RequestItems: { 'count-ab': [item('D1', '2026-01')] } }));
      // An overwrite adds nothing; a delete takes one away.
      await client.send(new BatchWriteItemCommand({ RequestItems: { 'count-a': [item('D1', '2026-01')] } }));
      await client.send(
        new DeleteItemCommand({ TableName: 'count-a', Key: { driverId: { S: 'D2' }, period: { S: '2026-02' } } }),
      );
      expect(await store.countItems('count-a')).toBe(14);
      expect(await countItems(client, 'count-a')).toBe(14);
      expect(await store.countItems('count-ab')).toBe(1);
      await expect(store.countItems('count-missing')).rejects.toThrow(
        'Requested resource not found: Table: count-missing not found',
      );
    } finally {
      client.destroy();
      await store.close();
      await remove();
    }
  });
});
