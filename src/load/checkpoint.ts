/**
 * The loader's checkpoint: how far into a file everything is durably handled (every row up to
 * `lineDone` written to the table or to the rejects file), the counters at that point and the
 * rejects file's length then. Written atomically (temporary file, fsync, rename), so a process
 * killed at any moment leaves either the previous checkpoint or the new one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { FileIdentity } from './input';

export interface LoadCounters {
  read: number;
  loaded: number;
  rejected: number;
  retried: number;
}

export interface Checkpoint {
  readonly version: 1;
  readonly file: string;
  readonly identity: FileIdentity;
  readonly table: string;
  readonly lineDone: number;
  readonly rejectsBytes: number;
  readonly counters: LoadCounters;
  readonly updatedAt: string;
}

export async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Checkpoint;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`the checkpoint ${path} is unreadable (${(error as Error).message}); remove it to start over`);
  }
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(checkpoint, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.headSha256 === b.headSha256;
}
