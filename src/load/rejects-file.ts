/**
 * The rejects file: CSV with `line,reason,row`, one line per invalid row, in file order. It is
 * written synchronously (rejects are rare and their byte offsets must be exact for the
 * checkpoint), and on resume cut back to the length the checkpoint recorded, so no reject is
 * lost or written twice.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export class RejectsFile {
  private readonly fd: number;
  private bytes: number;

  /** Opens `path`, keeping its first `keepBytes` (0: a fresh file with a header). */
  constructor(
    readonly path: string,
    keepBytes: number,
  ) {
    this.fd = openSync(path, keepBytes > 0 ? 'r+' : 'w');
    ftruncateSync(this.fd, keepBytes);
    this.bytes = keepBytes;
    if (keepBytes === 0) this.append(['line', 'reason', 'row']);
  }

  add(line: number, reason: string, row: string): void {
    this.append([line, reason, row]);
  }

  /** Bytes written so far: what a checkpoint records once they are synced. */
  get size(): number {
    return this.bytes;
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private append(values: (string | number)[]): void {
    const text = Buffer.from(stringify([values]));
    let offset = 0;
    while (offset < text.length) offset += writeSync(this.fd, text, offset, text.length - offset, this.bytes + offset);
    this.bytes += text.length;
  }
}
