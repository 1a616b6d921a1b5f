/**
 * The rejects file: CSV with `line,reason,row`, one line per invalid row, in file order. It is
 * written synchronously (rejects are rare and their byte offsets must be exact for the
 * checkpoint), and on resume cut back to the length the checkpoint recorded, so no reject is
 * lost or written twice.
 *
 * Rows hold driverIds in clear, so the file is created private (0600). It is opened at the
 * first reject, not before: a load without rejects leaves none and never touches the path
 * (which may be another file the user named, or a device). A failed write is a
 * FileAccessError naming the file ("no space left on device while writing …").
 */
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { namingSync } from './io-errors';

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

export class RejectsFile {
  private fd: number | undefined;
  private bytes: number;

  /** Keeps the first `keepBytes` of `path` (0: a fresh file with a header, at the first reject). */
  constructor(
    readonly path: string,
    private readonly keepBytes: number,
  ) {
    this.bytes = keepBytes;
    if (keepBytes > 0) this.open();
  }

  add(line: number, reason: string, row: string): void {
    if (this.fd === undefined) this.open();
    this.append([line, reason, row]);
  }

  /** Bytes written so far: what a checkpoint records once they are synced. */
  get size(): number {
    return this.bytes;
  }

  sync(): void {
    const fd = this.fd;
    if (fd !== undefined) namingSync('writing', this.path, () => syncUnlessDevice(fd));
  }

  /** Syncs and closes (after a failure too: the fd is let go either way). */
  close(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      namingSync('writing', this.path, () => syncUnlessDevice(fd));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A fresh load that rejected nothing must not leave an older run's rejects behind. Only a
   * regular file is removed: `--rejects` may name a device or someone else's link.
   */
  removeStale(): void {
    if (this.keepBytes > 0 || this.fd !== undefined) return;
    try {
      if (lstatSync(this.path).isFile()) rmSync(this.path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private open(): void {
    const fd = namingSync('opening', this.path, () => {
      // A missing directory (--rejects out/x.csv) is made, private as the file.
      mkdirSync(path.dirname(this.path), { recursive: true, mode: PRIVATE_DIR });
      return openSync(this.path, this.keepBytes > 0 ? 'r+' : 'w', PRIVATE_FILE);
    });
    try {
      namingSync('writing', this.path, () => {
        // The mode given to open() applies only to a file it creates; an older one is made private too.
        if (fstatSync(fd).isFile()) {
          fchmodSync(fd, PRIVATE_FILE);
          ftruncateSync(fd, this.keepBytes);
        }
      });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
    if (this.keepBytes === 0) this.append(['line', 'reason', 'row']);
  }

  private append(values: (string | number)[]): void {
    const fd = this.fd as number;
    const text = Buffer.from(stringify([values]));
    let offset = 0;
    namingSync('writing', this.path, () => {
      while (offset < text.length) offset += writeSync(fd, text, offset, text.length - offset, this.bytes + offset);
    });
    this.bytes += text.length;
  }
}

/** fsync, except where there is nothing to make durable: a device or a pipe answers EINVAL. */
function syncUnlessDevice(fd: number): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL' || fstatSync(fd).isFile()) throw error;
  }
}
