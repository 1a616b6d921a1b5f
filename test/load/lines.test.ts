/**
 * The line splitter under every way the bytes can arrive: the same lines whatever the chunk
 * sizes (a CRLF, a multibyte character, a BOM or an invalid byte split across chunks), and
 * over-long lines cut to their preview without being held whole.
 */
import { describe, expect, it } from 'vitest';
import { type Line, splitLines } from '../../src/load/lines';

async function linesOf(bytes: Buffer, chunkSize: number, maxLineBytes?: number): Promise<Line[]> {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
  }
  const lines: Line[] = [];
  for await (const batch of splitLines(chunks(), maxLineBytes)) lines.push(...batch);
  return lines;
}

const SAMPLE = Buffer.concat([
  Buffer.from('\uFEFFheader,é\r\n'),
  Buffer.from('lf line ü\n'),
  Buffer.from('\n'), // blank
  Buffer.from('crlf line 😀\r\n'),
  Buffer.from('a lone\rcr stays\n'),
  Buffer.from('bad '),
  Buffer.from([0xe2, 0x28, 0xa1]), // not UTF-8
  Buffer.from(' byte\n'),
  Buffer.from('\uFEFFa BOM after line 1 stays\n'),
  Buffer.from('a real U+FFFD \uFFFD is fine\n'),
  Buffer.from('last line without LF'),
]);

const EXPECTED: Line[] = [
  { number: 1, text: 'header,é' },
  { number: 2, text: 'lf line ü' },
  { number: 3, text: '' },
  { number: 4, text: 'crlf line 😀' },
  { number: 5, text: 'a lone\rcr stays' },
  { number: 6, text: 'bad \uFFFD(\uFFFD byte', problem: 'not valid UTF-8: byte 0xe2 at byte 5 of the line' },
  { number: 7, text: '\uFEFFa BOM after line 1 stays' },
  { number: 8, text: 'a real U+FFFD \uFFFD is fine' },
  { number: 9, text: 'last line without LF' },
];

describe('splitLines', () => {
  it.each([1, 2, 3, 5, 7, 16, 64, 1 << 20])('gives the same lines whatever the chunk size (%i)', async (size) => {
    expect(await linesOf(SAMPLE, size)).toEqual(EXPECTED);
  });

  it('cuts a line longer than the limit to its preview and counts all its bytes, in any chunking', async () => {
    const long = `${'x'.repeat(5000)}`;
    const bytes = Buffer.from(`short\n${long}\r\nafter\n${long}`);
    for (const size of [1, 7, 100, 3000, 1 << 20]) {
      const lines = await linesOf(bytes, size, 4096);
      expect(lines.map((l) => [l.number, l.text.length, l.problem])).toEqual([
        [1, 5, undefined],
        [
          2,
          1024,
          'the line is 5001 bytes long, more than the 4096 a row may have (its first 1024 bytes are kept here)',
        ],
        [3, 5, undefined],
        [
          4,
          1024,
          'the line is 5000 bytes long, more than the 4096 a row may have (its first 1024 bytes are kept here)',
        ],
      ]);
      expect(lines[2].text).toBe('after');
    }
  });

  it('drops the partial line when the input fails, and passes the error on', async () => {
    async function* failing() {
      yield Buffer.from('one\ntwo\nthr');
      throw new Error('unexpected end of file');
    }
    const seen: Line[] = [];
    await expect(
      (async () => {
        for await (const batch of splitLines(failing())) seen.push(...batch);
      })(),
    ).rejects.toThrow('unexpected end of file');
    expect(seen).toEqual([
      { number: 1, text: 'one' },
      { number: 2, text: 'two' },
    ]);
  });
});
