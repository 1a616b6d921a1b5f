/**
 * Whether a load may continue from a checkpoint: the same file (size, mtime, first 64 KiB), or
 * the completed copy of a file whose data ended early (it starts with exactly the bytes read
 * then), and the same table. Anything else would skip lines the checkpoint never saw.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type Checkpoint, type EndedEarly, readCheckpoint, sameFile } from './checkpoint';
import type { LoadInput } from './input';

export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';
}

export async function checkpointToResume(
  checkpointFile: string | undefined,
  input: LoadInput,
  file: string,
  tableName: string,
): Promise<Checkpoint | undefined> {
  if (!checkpointFile) return undefined;
  const previous = await readCheckpoint(checkpointFile);
  if (!previous) return undefined;
  const identity = input.identity;
  const continues =
    identity !== undefined &&
    (sameFile(previous.identity, identity) ||
      (previous.endedEarly !== undefined &&
        identity.size > previous.endedEarly.bytes &&
        (await startsWith(file, previous.endedEarly))));
  if (!continues) {
    throw new CheckpointMismatchError(
      `${file} changed since its checkpoint ${checkpointFile} was written; rerun with --restart to load it from the start`,
    );
  }
  if (previous.table !== tableName) {
    throw new CheckpointMismatchError(
      `the checkpoint ${checkpointFile} is for table ${previous.table}, not ${tableName}`,
    );
  }
  return previous;
}

/** Whether `file` begins with the bytes `endedEarly` describes. */
async function startsWith(file: string, endedEarly: EndedEarly): Promise<boolean> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let position = 0; position < endedEarly.bytes; ) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, endedEarly.bytes - position),
        position,
      );
      if (bytesRead === 0) return false;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex') === endedEarly.sha256;
}
