/**
 * A load file opened for streaming: a path or `-` for stdin, gzip recognised by its magic bytes
 * (not its name), the format by its first character (`{` starts JSON lines, anything else is
 * CSV), and a count of the raw bytes read so far for progress.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { LoadFormat } from './generate';

export interface LoadInput {
  readonly name: string;
  /** Decompressed text. */
  readonly stream: Readable;
  readonly format: LoadFormat;
  readonly gzip: boolean;
  /** Size of the file on disk (undefined for stdin). */
  readonly totalBytes?: number;
  /** Raw (possibly compressed) bytes consumed so far. */
  bytesRead(): number;
  /** What identifies this file for a checkpoint: size, mtime and a hash of its first 64 KiB. */
  readonly identity?: FileIdentity;
}

export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly headSha256: string;
}

const HEAD_BYTES = 64 * 1024;

async function identify(path: string): Promise<FileIdentity> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    await handle.read(head, 0, head.length, 0);
    return { size: info.size, mtimeMs: info.mtimeMs, headSha256: createHash('sha256').update(head).digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Reads the first chunk of `raw` and hands back a stream that still starts with it. */
async function peek(raw: Readable): Promise<{ first: Buffer; stream: Readable }> {
  const iterator = raw[Symbol.asyncIterator]();
  const { value, done } = await iterator.next();
  const first: Buffer = done ? Buffer.alloc(0) : Buffer.from(value as Buffer);
  const stream = new PassThrough();
  stream.write(first);
  (async () => {
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        if (!stream.write(next.value)) await new Promise((resolve) => stream.once('drain', resolve));
      }
      stream.end();
    } catch (error) {
      stream.destroy(error as Error);
    }
  })();
  return { first, stream };
}

export async function openLoadInput(path: string): Promise<LoadInput> {
  const fromStdin = path === '-';
  const identity = fromStdin ? undefined : await identify(path);
  const raw: Readable = fromStdin ? process.stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  raw.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const peeked = await peek(raw);
  const gzip = peeked.first[0] === 0x1f && peeked.first[1] === 0x8b;
  let text: Readable = peeked.stream;
  let firstText = peeked.first;
  if (gzip) {
    const inflated = await peek(peeked.stream.pipe(createGunzip()));
    text = inflated.stream;
    firstText = inflated.first;
  }
  const firstChar = firstText
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return {
    name: fromStdin ? 'stdin' : path,
    stream: text,
    format: firstChar === '{' ? 'jsonl' : 'csv',
    gzip,
    totalBytes: identity?.size,
    bytesRead: () => bytes,
    identity,
  };
}
