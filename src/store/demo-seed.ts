/**
 * Seeds an empty embedded store with demo data, and finishes the job after a crash: a journal
 * in the data directory records what is being written (same seed, sizes and months), so a
 * restart rewrites the same records (idempotent puts) instead of serving a half-filled table.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeAll } from './batch-writer';
import { type DemoDataOptions, demoScores, lastCompletedPeriod } from './demo-data';
import type { DynamoDBApi } from './dynamodb-api';
import { anyDriverId } from './table';

interface Journal extends DemoDataOptions {
  state: 'seeding' | 'complete';
}

export interface SeedProgress {
  written: number;
  total: number;
}

const journalFile = (dataDir: string) => path.join(dataDir, 'demo-data.json');

async function readJournal(dataDir: string): Promise<Journal | undefined> {
  try {
    return JSON.parse(await readFile(journalFile(dataDir), 'utf8')) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A driver of the demo data the data directory's table was seeded with: taken from the demo
 * generator, never read from the table, so it is synthetic even if real scores were loaded since.
 * Undefined when the table was not seeded.
 */
export async function demoDriverId(dataDir: string): Promise<string | undefined> {
  const journal = await readJournal(dataDir);
  if (journal?.state !== 'complete') return undefined;
  return demoScores(journal).next().value?.driverId;
}

/** Writes the journal atomically (rename), so a crash never leaves half a file. */
async function writeJournal(dataDir: string, journal: Journal): Promise<void> {
  const temporary = `${journalFile(dataDir)}.tmp`;
  await writeFile(temporary, JSON.stringify(journal));
  await rename(temporary, journalFile(dataDir));
}

/**
 * Seeds when the table is empty or an earlier seeding did not finish; otherwise does nothing.
 * Returns true when it wrote demo data.
 */
export async function seedDemoData(options: {
  client: DynamoDBClient;
  api: DynamoDBApi;
  tableName: string;
  dataDir: string;
  size: { drivers: number; months: number };
  progress: SeedProgress;
  onStart?: (journal: Journal, resumed: boolean) => void;
}): Promise<boolean> {
  const journal = await readJournal(options.dataDir);
  const resumed = journal?.state === 'seeding';
  if (!resumed && (await anyDriverId(options.client, options.tableName))) return false;
  const plan: Journal = resumed
    ? journal
    : { ...options.size, lastPeriod: lastCompletedPeriod(), seed: 20_160_122, state: 'seeding' };
  await writeJournal(options.dataDir, plan);
  options.progress.total = plan.drivers * plan.months;
  options.onStart?.(plan, resumed);
  await writeAll(options.api, options.tableName, demoScores(plan), {
    onBatchWritten: (written) => {
      options.progress.written = written;
    },
  });
  await writeJournal(options.dataDir, { ...plan, state: 'complete' });
  return true;
}
