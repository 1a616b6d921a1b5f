/** What the loader tests share: an embedded store on a test directory, a table's contents as a digest, a rejects file read. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parse } from 'csv-parse/sync';
import { createEmbeddedStoreClient } from '../../src/store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import type { ExpectedReject } from './broken-files';

export const TABLE = 'load-test-scores';

/** Runs `use` on the embedded store of `<dir>/data`, its table created (unless `createTable` is false). */
export async function withStore<T>(
  dir: string,
  use: (store: EmbeddedStore, client: DynamoDBClient) => Promise<T>,
  { createTable = true }: { createTable?: boolean } = {},
): Promise<T> {
  const store = await startEmbeddedStore(path.join(dir, 'data'));
  const client = createEmbeddedStoreClient(store.endpoint, store.requestHandler);
  try {
    if (createTable) await ensureScoresTable(client, TABLE, true);
    return await use(store, client);
  } finally {
    client.destroy();
    await store.close();
  }
}

export interface Digest {
  readonly count: number;
  readonly sha256: string;
}

/** The table's items, as a count and a checksum independent of order. */
export async function tableDigest(client: DynamoDBClient): Promise<Digest> {
  const items: unknown[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey }));
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return digestOf(items);
}

/** The same digest over records: what the table must hold. */
export function digestOf(records: readonly unknown[]): Digest {
  const lines = records.map(canonical).sort();
  return { count: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/** JSON with every object's keys sorted: one text per record whatever the key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
}

/** The rejects file of `file`, as the broken-input fixtures describe their rejects. */
export async function readRejects(file: string): Promise<ExpectedReject[]> {
  const rows = parse(await readFile(`${file}.rejects.csv`), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({ line: Number(r.line), reason: r.reason, row: r.row }));
}
