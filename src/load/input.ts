/**
 * A load file opened for streaming: a path or `-` for stdin, gzip recognised by its magic bytes
 * (not its name), the format by its first character (`{` starts JSON lines, anything else is
 * CSV), and a count of the raw bytes read so far for progress.
 *
 * Every failure reaches the reader of `stream` as an error it can name, never as an 'error'
 * event nobody listens to (which kills the process with a stack trace): reading goes through
 * async iteration only, gunzip through one pipeline, and a read error becomes a
 * FileAccessError, a damaged gzip stream an InputDataError.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { LoadFormat } from './generate';
import { describeGzipError, nameFileError, naming } from './io-errors';

export interface LoadInput {
  readonly name: string;
  /** Decompressed bytes. */
  readonly stream: Readable;
  readonly format: LoadFormat;
  readonly gzip: boolean;
  /** Size of the file on disk (undefined for stdin). */
  readonly totalBytes?: number;
  /** Raw (possibly compressed) bytes consumed so far. */
  bytesRead(): number;
  /** SHA-256 of the raw bytes consumed so far (files only): proves a longer file starts with them. */
  rawSha256(): string | undefined;
  /** What identifies this file for a checkpoint: size, mtime and a hash of its first 64 KiB. */
  readonly identity?: FileIdentity;
  /** Lets go of the file, read to its end or not. */
  close(): void;
}

export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly headSha256: string;
}

/** The input's bytes are damaged (a truncated or corrupt gzip stream): reading cannot go on. */
export class InputDataError extends Error {
  override readonly name = 'InputDataError';
  constructor(
    message: string,
    /** The data stops early (rather than being wrong): a completed copy can continue the load. */
    readonly truncated: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

const HEAD_BYTES = 64 * 1024;
/** Bigger than zlib's 16 KiB default: fewer chunks, less per-chunk work downstream. */
const CHUNK_BYTES = 256 * 1024;

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

/**
 * Reads from `source` until `enough` says the head suffices (or the source ends), and hands
 * back that head with an iterable that still starts with it.
 */
async function peek(
  source: AsyncIterable<Buffer>,
  enough: (head: Buffer) => boolean,
): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let head = Buffer.alloc(0);
  while (!enough(head)) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
    head = Buffer.concat(taken);
  }
  async function* all() {
    yield* taken;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, all: all() };
}

export async function openLoadInput(path: string): Promise<LoadInput> {
  const fromStdin = path === '-';
  const name = fromStdin ? 'stdin' : path;
  const identity = fromStdin ? undefined : await naming('reading', path, () => identify(path));
  const raw: Readable = fromStdin ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const streams: Readable[] = [raw];
  let bytes = 0;
  const hash = fromStdin ? undefined : createHash('sha256');
  async function* rawChunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of raw as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        hash?.update(chunk);
        yield chunk;
      }
    } catch (error) {
      throw nameFileError(error, 'reading', name);
    }
  }
  const close = () => {
    for (const stream of streams) {
      // Nothing reads any more: an error from here on has no one to tell, and must not crash.
      stream.on('error', () => {});
      if (stream !== process.stdin) stream.destroy();
    }
  };

  try {
    const compressed = await peek(rawChunks(), (head) => head.length >= 2);
    const gzip = compressed.head[0] === 0x1f && compressed.head[1] === 0x8b;
    let text: AsyncIterable<Buffer> = compressed.all;
    if (gzip) {
      const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
      // pipeline() passes a failure of either side to the other and to its callback, so neither
      // emits an unheard 'error'; the loop below hears it from the gunzip stream.
      const source = Readable.from(compressed.all, { objectMode: false });
      streams.push(source, gunzip);
      pipeline(source, gunzip, () => {});
      text = (async function* () {
        try {
          yield* gunzip as AsyncIterable<Buffer>;
        } catch (error) {
          const problem = describeGzipError(error, name, bytes);
          throw problem ? new InputDataError(problem.message, problem.truncated, { cause: error }) : error;
        }
      })();
    }
    const decompressed = await peek(text, (head) => head.length >= HEAD_BYTES || /\S/.test(head.toString('utf8')));
    const firstChar = decompressed.head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    const stream = Readable.from(decompressed.all, { objectMode: false });
    streams.push(stream);
    return {
      name,
      stream,
      format: firstChar === '{' ? 'jsonl' : 'csv',
      gzip,
      totalBytes: identity?.size,
      bytesRead: () => bytes,
      rawSha256: () => hash?.copy().digest('hex'),
      identity,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
