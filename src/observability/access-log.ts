/**
 * The offline server's access log: one JSON line per API call in `<dir>/access.log`, rotated
 * (rotating-file-stream) at midnight UTC and whenever the file reaches `maxFileSize`; rotated
 * files are gzipped and the oldest are removed beyond `maxFiles` or `maxTotalSize`, so the log
 * never takes more than a bounded share of the disk.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { ApiCall } from './api-call';

const CURRENT_LOG = 'access.log';
const FLUSH_BYTES = 64 * 1024;

export interface AccessLogOptions {
  readonly dir: string;
  /** Size at which the current file is rotated (rotating-file-stream syntax: 100M, 10K). @default 100M */
  readonly maxFileSize?: string;
  /** Rotated files kept. @default 60 */
  readonly maxFiles?: number;
  /** Total size of the rotated files kept. @default 2G */
  readonly maxTotalSize?: string;
  /** Longest a line waits in memory before it is written, in ms. @default 200 */
  readonly flushMs?: number;
  /** First wait before the file is opened again after a failed write, in ms; doubles up to a minute. @default 1000 */
  readonly retryMs?: number;
  /** Where an outage and the recovery from it are reported. @default process.emitWarning */
  readonly warn?: (message: string) => void;
  /** Opens the file stream (tests inject one that fails). @default the rotating file described above */
  readonly openStream?: () => Writable;
}

export interface AccessLogWriter {
  write(call: ApiCall): void;
  /** Calls that could not be written (a full disk, an unwritable directory) since the log was opened. */
  readonly dropped: number;
  /** Flushes and closes the current file. Never rejects: what cannot be written is counted. */
  close(): Promise<void>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `access-20261127-0001.log.gz`: the UTC day of the period and the rotation's index (gzipped once rotated). */
function rotatedName(time: number | Date | null, index?: number): string {
  if (!time) return CURRENT_LOG;
  const day = new Date(time);
  const date = `${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1, 2)}${pad(day.getUTCDate(), 2)}`;
  return `access-${date}-${pad(index ?? 1, 4)}.log.gz`;
}

function rotatingStream(options: AccessLogOptions): RotatingFileStream {
  return createStream(rotatedName, {
    path: options.dir,
    size: options.maxFileSize ?? '100M',
    interval: '1d',
    intervalBoundary: true,
    intervalUTC: true,
    initialRotation: true,
    compress: 'gzip',
    maxFiles: options.maxFiles ?? 60,
    maxSize: options.maxTotalSize ?? '2G',
    history: 'access-log-history.txt',
    mode: 0o640,
  });
}

const MAX_RETRY_MS = 60_000;

/**
 * Opens the access log. A failed write (ENOSPC) must neither take the API down nor end the log
 * for good: rotating-file-stream destroys itself on its first error, so the log drops that
 * stream, counts the calls it could not write, warns once, and opens a new stream at the first
 * flush after a backoff (1 s, doubling to a minute while writes keep failing). The first write
 * that succeeds ends the outage, with a second warning giving the count.
 */
export function openAccessLog(options: AccessLogOptions): AccessLogWriter {
  const open = options.openStream ?? (() => rotatingStream(options));
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const firstRetryMs = options.retryMs ?? 1000;
  let stream: Writable | undefined;
  let outage: { dropped: number; retryMs: number; retryAt: number } | undefined;
  let dropped = 0;
  let closed = false;

  const drop = (lines: number) => {
    dropped += lines;
    if (outage) outage.dropped += lines;
  };
  /** Starts an outage (warned once) or, when a retry failed too, doubles its backoff. */
  const failing = (error: Error) => {
    if (outage) {
      outage.retryMs = Math.min(outage.retryMs * 2, MAX_RETRY_MS);
    } else {
      outage = { dropped: 0, retryMs: firstRetryMs, retryAt: 0 };
      warn(`access log: cannot write to ${options.dir} (${error.message}); calls go unlogged, counted, until it can`);
    }
    outage.retryAt = Date.now() + outage.retryMs;
  };
  const broke = (failed: Writable, error: Error) => {
    // Errors of a stream already given up (its buffered writes failing one by one) change nothing.
    if (failed !== stream) return;
    stream = undefined;
    failed.destroy();
    if (!closed) failing(error);
  };
  const connect = (): Writable | undefined => {
    if (stream || closed) return stream;
    if (outage && Date.now() < outage.retryAt) return undefined;
    let opened: Writable;
    try {
      opened = open();
    } catch (error) {
      // The first open throwing (a size of `100Q`) fails the start; a reopen, the same outage.
      if (!outage) throw error;
      failing(error as Error);
      return undefined;
    }
    stream = opened;
    opened.on('error', (error) => broke(opened, error));
    return opened;
  };
  // Opened at once, as before: a bad option fails the start, not the first call.
  connect();

  // Lines are handed to the stream in batches, every flushMs or FLUSH_BYTES: measured, a write
  // per call cost the server ~10% of its throughput at saturation. A crash loses at most flushMs.
  const flushMs = options.flushMs ?? 200;
  let pending: string[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending.length;
    const data = pending.join('');
    pending = [];
    pendingBytes = 0;
    const target = connect();
    if (!target) {
      drop(lines);
      return;
    }
    target.write(data, (error) => {
      if (error) {
        // The outage first, so these lines count in it.
        broke(target, error);
        drop(lines);
      } else if (outage && target === stream) {
        warn(`access log: writing again; ${outage.dropped} calls could not be logged`);
        outage = undefined;
      }
    });
  };
  return {
    write(call) {
      if (closed) return;
      const line = `${JSON.stringify(call)}\n`;
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, flushMs).unref();
    },
    get dropped() {
      return dropped;
    },
    async close() {
      if (closed) return;
      const droppedBefore = dropped;
      flush();
      closed = true;
      const last = stream;
      stream = undefined;
      if (last && !last.destroyed) {
        // 'close' as well as 'finish': a last write that fails destroys the stream instead.
        await new Promise<void>((resolve) => {
          last.once('finish', resolve);
          last.once('close', resolve);
          last.end();
        });
      }
      const lost = outage ? outage.dropped : dropped - droppedBefore;
      if (lost > 0) warn(`access log closed while it could not write; ${lost} calls could not be logged`);
    },
  };
}

/** A time range, end exclusive, in ms since the epoch. */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The log files of `dir`, oldest first: rotated ones by name, the current one last. With a
 * range, rotated files of days outside it are left out: a file is named by the UTC day it was
 * written (rotation at midnight UTC), and may hold the last seconds of the day before (lines are
 * written in batches, and stamped when their request arrived), so one day of margin is kept.
 * A monthly report reads that month's files, not the 60 days kept.
 */
export async function accessLogFiles(dir: string, range?: TimeRange): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const inRange = (name: string) => {
    if (!range) return true;
    const [, y, m, d] = /^access-(\d{4})(\d{2})(\d{2})-/.exec(name) ?? [];
    const day = Date.UTC(Number(y), Number(m) - 1, Number(d));
    return day + DAY_MS > range.fromMs - DAY_MS && day < range.toMs + DAY_MS;
  };
  const rotated = names.filter((name) => /^access-\d{8}-\d+\.log(\.gz)?$/.test(name) && inRange(name)).sort();
  return [...rotated, ...names.filter((name) => name === CURRENT_LOG)].map((name) => path.join(dir, name));
}

export interface ReadStats {
  files: number;
  lines: number;
  /** Lines that are not an API call (torn by a crash, edited by hand). */
  broken: number;
  /** Files that could not be read to the end (a rotated file cut short); what was read is kept. */
  unreadable: string[];
}

export const emptyReadStats = (): ReadStats => ({ files: 0, lines: 0, broken: 0, unreadable: [] });

function isApiCall(value: unknown): value is ApiCall {
  const call = value as Partial<ApiCall> | null;
  return (
    typeof call === 'object' &&
    call !== null &&
    typeof call.time === 'string' &&
    !Number.isNaN(Date.parse(call.time)) &&
    (call.api === 'graphql' || call.api === 'rest') &&
    typeof call.status === 'number' &&
    typeof call.latencyMs === 'number' &&
    typeof call.stage === 'string'
  );
}

function parseCall(line: string): ApiCall | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return isApiCall(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every call in the log files of `dir` (gzipped or not). Lines that are not calls are counted,
 * not thrown; a file that breaks off is noted and the next one read.
 */
export async function* readAccessLog(dir: string, stats: ReadStats = emptyReadStats(), range?: TimeRange) {
  for (const file of await accessLogFiles(dir, range)) {
    stats.files += 1;
    const raw = createReadStream(file);
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    // A gunzip error is not forwarded by pipe(); end the line reader with it.
    const failure = new Promise<never>((_, reject) => {
      raw.on('error', reject);
      input.on('error', reject);
    });
    failure.catch(() => {});
    const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await Promise.race([lines.next(), failure]);
        if (next.done) break;
        if (next.value.trim() === '') continue;
        stats.lines += 1;
        const call = parseCall(next.value);
        if (call) yield call;
        else stats.broken += 1;
      }
    } catch {
      stats.unreadable.push(file);
    } finally {
      raw.destroy();
    }
  }
}
