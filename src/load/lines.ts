/**
 * A load file's bytes as numbered lines. Rows never hold a line break, so the file is cut at
 * every LF before any CSV or JSON parsing: whatever one line holds (an unclosed quote, half an
 * object) it cannot swallow the lines after it. Line N is what `sed -n Np` shows: every LF
 * counts, blank lines included, and a lone CR is not a line break.
 *
 * Per line: a trailing CR is dropped (CRLF, LF and mixed files read the same), a byte-order
 * mark is dropped from line 1 only, and bytes that are not UTF-8 or a line too long to be a row
 * are marked as a `problem` instead of being decoded into something that might pass validation.
 */
import { isUtf8 } from 'node:buffer';

export interface Line {
  /** 1-based, counting every LF of the file. */
  readonly number: number;
  /** The line without its LF, trailing CR or line-1 BOM (for a too-long line, its first bytes). */
  readonly text: string;
  /** Why this line cannot be a row whatever it holds. */
  readonly problem?: string;
}

/** Far above any valid row (about 200 bytes), far below what would strain memory. */
export const MAX_LINE_BYTES = 64 * 1024;
/** What is kept of a too-long line, for the rejects file. */
export const LONG_LINE_PREVIEW_BYTES = 1024;

const LF = 0x0a;
const CR = 0x0d;
const BOM = '\uFEFF';
const REPLACEMENT = '\uFFFD';

/**
 * Splits `chunks` into lines, yielded a chunk's worth at a time (one await per chunk, not per
 * line). A final line without LF is a line. If `chunks` throws, the partial line read so far is
 * dropped (it may be cut short) and the error passes through: every line yielded is complete.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<Line[]> {
  let number = 0;
  /** The start of the current line, from earlier chunks (only its preview once it is too long). */
  let carry: Buffer[] = [];
  /** Bytes of the current line so far, carried or not. */
  let lineBytes = 0;
  let tooLong = false;

  const decode = (bytes: Buffer, checked: boolean): Line => {
    number += 1;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    const content = bytes.subarray(0, end);
    const text = content.toString('utf8');
    if (!checked && !isUtf8(content)) return { number, text, problem: invalidUtf8(content, text) };
    return { number, text: number === 1 && text.startsWith(BOM) ? text.slice(1) : text };
  };
  const long = (head: Buffer, bytes: number): Line => {
    number += 1;
    return {
      number,
      text: head.subarray(0, LONG_LINE_PREVIEW_BYTES).toString('utf8'),
      problem: `the line is ${bytes} bytes long, more than the ${maxLineBytes} a row may have (its first ${LONG_LINE_PREVIEW_BYTES} bytes are kept here)`,
    };
  };
  /** Keeps `part` as the start of a line whose end is in a later chunk. */
  const hold = (part: Buffer) => {
    lineBytes += part.length;
    if (tooLong) return;
    if (lineBytes <= maxLineBytes) {
      // A copy: the chunk's memory may be reused by its producer.
      carry.push(Buffer.from(part));
      return;
    }
    tooLong = true;
    carry = [Buffer.from(Buffer.concat([...carry, part]).subarray(0, LONG_LINE_PREVIEW_BYTES))];
  };
  /** Ends the carried line with `tail`. */
  const finish = (tail: Buffer): Line => {
    lineBytes += tail.length;
    const bytes = Buffer.concat([...carry, tail.subarray(0, tooLong ? LONG_LINE_PREVIEW_BYTES : tail.length)]);
    const done = tooLong || lineBytes > maxLineBytes ? long(bytes, lineBytes) : decode(bytes, false);
    carry = [];
    lineBytes = 0;
    tooLong = false;
    return done;
  };

  for await (const chunk of chunks) {
    const lines: Line[] = [];
    let start = 0;
    let end = chunk.indexOf(LF);
    if (end >= 0 && lineBytes > 0) {
      lines.push(finish(chunk.subarray(0, end)));
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    // One check for all of the chunk's whole lines: almost every chunk is valid, and then no line needs its own.
    const lastLf = chunk.lastIndexOf(LF);
    const checked = lastLf >= start && isUtf8(chunk.subarray(start, lastLf));
    for (; end >= 0; end = chunk.indexOf(LF, start)) {
      const bytes = chunk.subarray(start, end);
      lines.push(bytes.length > maxLineBytes ? long(bytes, bytes.length) : decode(bytes, checked));
      start = end + 1;
    }
    if (start < chunk.length) hold(chunk.subarray(start));
    if (lines.length > 0) yield lines;
  }
  if (lineBytes > 0) yield [finish(Buffer.alloc(0))];
}

/** Names the first byte that breaks UTF-8 (a U+FFFD the file really holds is passed over). */
function invalidUtf8(bytes: Buffer, decoded: string): string {
  for (let at = decoded.indexOf(REPLACEMENT); at >= 0; at = decoded.indexOf(REPLACEMENT, at + 1)) {
    const offset = Buffer.byteLength(decoded.slice(0, at));
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    return `not valid UTF-8: byte 0x${bytes[offset].toString(16).padStart(2, '0')} at byte ${offset + 1} of the line`;
  }
  return 'not valid UTF-8';
}
