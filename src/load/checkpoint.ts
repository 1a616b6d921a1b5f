/**
 * The loader's checkpoint: how far into a file everything is durably handled (every row up to
 * `lineDone` written to the table or to the rejects file), the counters at that point and the
 * rejects file's length then. Written atomically (temporary file, fsync, rename, fsync of the
 * directory), so a process killed at any moment leaves either the previous checkpoint or the
 * new one; created private (0600), as everything the loader writes. A failure names the file.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileIdentity } from './input';
import { naming } from './io-errors';

export interface LoadCounters {
  read: number;
  loaded: number;
  rejected: number;
  retried: number;
}

/** A file whose data stopped before its end (a truncated gzip stream): what was read of it. */
export interface EndedEarly {
  /** Raw bytes read, the whole file as it was. */
  readonly bytes: number;
  /** Their SHA-256: a completed copy of the file starts with exactly these bytes. */
  readonly sha256: string;
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
  /** Set when the load stopped because the file's data ended early. */
  readonly endedEarly?: EndedEarly;
  /**
   * Set when the whole file is loaded, by a command of several files that stopped at a later
   * one (loader.ts, keepFinished): a rerun does not read this file again.
   */
  readonly finished?: true;
}

const PRIVATE_FILE = 0o600;

export async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`the checkpoint ${file} is unreadable (${(error as Error).message}); remove it to start over`);
  }
}

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${file}.tmp`;
  // Errors name the checkpoint, not its temporary file: that is the file the operator knows.
  await naming('writing the checkpoint', file, async () => {
    const handle = await open(temporary, 'w', PRIVATE_FILE);
    try {
      // open()'s mode applies only when it creates the file; a leftover one is made private too.
      await handle.chmod(PRIVATE_FILE);
      await handle.writeFile(`${JSON.stringify(checkpoint, null, 2)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.close();
      // A half-written temporary file is worthless; the previous checkpoint stands.
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
    await handle.close();
  });
  await naming('writing the checkpoint', file, async () => {
    await rename(temporary, file);
    await syncDirectory(path.dirname(file));
  });
}

/** Makes a rename durable: without it, a power cut may bring back the directory without the new entry. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot sync a directory (EINVAL); the rename itself has happened.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

export async function removeCheckpoint(file: string): Promise<void> {
  await naming('removing the checkpoint', file, () => rm(file, { force: true }));
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.headSha256 === b.headSha256;
}
