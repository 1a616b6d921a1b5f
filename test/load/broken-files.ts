/**
 * Load files with every kind of broken row we know of mixed among valid ones, each line's fate
 * written down as the file is built: the records the table must end up with, and the rejects
 * (line, reason, row as the rejects file holds it) in file order.
 */
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { generateScores } from '../../src/load/generate';
import { LONG_LINE_PREVIEW_BYTES, MAX_LINE_BYTES } from '../../src/load/lines';
import { CSV_COLUMNS, fromCsvRow } from '../../src/load/score-row';

export interface ExpectedReject {
  readonly line: number;
  readonly reason: string;
  readonly row: string;
}

export interface BrokenFile {
  readonly bytes: Buffer;
  /** Every valid row with its line, in file order. */
  readonly valid: { readonly line: number; readonly record: unknown }[];
  readonly rejects: ExpectedReject[];
  /** Names of the broken kinds, one per reject. */
  readonly kinds: string[];
}

type Content = string | Buffer;
type Ending = '\n' | '\r\n' | '';

class FileBuilder {
  private readonly parts: Buffer[] = [];
  private line = 0;
  readonly valid: { line: number; record: unknown }[] = [];
  readonly rejects: ExpectedReject[] = [];
  readonly kinds: string[] = [];

  /** A line that holds no row (the header, a blank line). */
  other(content: Content, ending: Ending = '\n'): void {
    this.push(content, ending);
  }

  good(content: Content, record: unknown, ending: Ending = '\n'): void {
    this.valid.push({ line: this.push(content, ending), record });
  }

  bad(kind: string, content: Content, reason: string, ending: Ending = '\n', row?: string): void {
    const line = this.push(content, ending);
    this.kinds.push(kind);
    this.rejects.push({ line, reason, row: row ?? content.toString() });
  }

  build(): BrokenFile {
    return { bytes: Buffer.concat(this.parts), valid: this.valid, rejects: this.rejects, kinds: this.kinds };
  }

  private push(content: Content, ending: Ending): number {
    this.parts.push(Buffer.from(content as string), Buffer.from(ending));
    this.line += 1;
    return this.line;
  }
}

async function generated(count: number, format: 'csv' | 'jsonl'): Promise<string[]> {
  const text = new PassThrough();
  const chunks: Buffer[] = [];
  text.on('data', (chunk) => chunks.push(chunk));
  await generateScores(text, { count, seed: 11, months: 3, lastPeriod: '2026-10', format });
  text.end();
  return Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
}

/** A line's fields with one replaced (the generator never quotes, so commas split it). */
const withField = (line: string, index: number, value: string) =>
  line
    .split(',')
    .map((field, i) => (i === index ? value : field))
    .join(',');

const DRIVER_ID_RULE = 'driverId must be 1-64 characters of A-Z, a-z, 0-9, _ and -';
const LONG_LINE_BYTES = 1024 * 1024;
const longLineReason = (bytes: number) =>
  `the line is ${bytes} bytes long, more than the ${MAX_LINE_BYTES} a row may have (its first ${LONG_LINE_PREVIEW_BYTES} bytes are kept here)`;

/** Invalid UTF-8 (a lone 0xC3 before an ASCII byte) at `at` in `line`, and the reason the loader gives. */
/** A 1 MB line: one reject, its first bytes kept in the rejects file. */
function megabyteLine(builder: FileBuilder, longRow: string): void {
  builder.bad(
    'a line of 1 MB',
    longRow,
    longLineReason(Buffer.byteLength(longRow)),
    '\n',
    longRow.slice(0, LONG_LINE_PREVIEW_BYTES),
  );
}

function invalidUtf8(line: string, at: number): { bytes: Buffer; reason: string; row: string } {
  const bytes = Buffer.concat([Buffer.from(line.slice(0, at)), Buffer.from([0xc3]), Buffer.from(line.slice(at))]);
  return {
    bytes,
    reason: `not valid UTF-8: byte 0xc3 at byte ${Buffer.byteLength(line.slice(0, at)) + 1} of the line`,
    row: bytes.toString('utf8'),
  };
}

/**
 * Valid rows between the broken ones, with their line ends varied: mostly LF, a run of CRLF
 * lines, CRLF every fifth line elsewhere (so the file's endings are mixed), a fully quoted row,
 * and blank and whitespace-only lines (skipped, but counted for line numbers).
 */
function interleave(
  builder: FileBuilder,
  valid: { text: string; record: unknown }[],
  broken: ((builder: FileBuilder) => void)[],
  quote: (text: string) => string,
): void {
  let next = 0;
  const good = (count: number) => {
    for (let i = 0; i < count; i += 1, next += 1) {
      const { text, record } = valid[next];
      const crlf = (next >= 40 && next < 60) || next % 5 === 2;
      builder.good(next === 7 ? quote(text) : text, record, crlf ? '\r\n' : '\n');
    }
  };
  broken.forEach((addBroken, i) => {
    good(6);
    if (i % 4 === 1) builder.other('');
    if (i % 4 === 3) builder.other(' \t ', '\r\n');
    addBroken(builder);
  });
  good(valid.length - next);
}

/** The CSV file: 22 kinds of broken row among 200 valid ones; its last line is cut short. */
export async function brokenCsv(): Promise<BrokenFile> {
  const [header, ...lines] = await generated(230, 'csv');
  const valid = lines.slice(0, 200).map((text) => {
    const [values] = parse(text) as string[][];
    const result = fromCsvRow(Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, values[i]])));
    if (!result.ok) throw new Error(`the generator wrote an invalid row: ${result.reason}`);
    return { text, record: result.record };
  });
  // Broken rows are made from rows that are not loaded otherwise, so no key is shared.
  const spare = lines.slice(200);
  const s = (i: number) => spare[i];
  const builder = new FileBuilder();
  builder.other(`\uFEFF${header}`); // a byte-order mark on line 1
  const longRow = withField(s(19), 11, 'x'.repeat(LONG_LINE_BYTES));
  const utf8 = invalidUtf8(s(17), s(17).lastIndexOf(',2.3') + 4);
  const truncated = s(21).slice(0, 40);
  const broken: ((b: FileBuilder) => void)[] = [
    (b) => b.bad('unclosed quote mid-file', `"${s(0)}`, 'malformed CSV: a quoted field is not closed'),
    (b) =>
      b.bad(
        'stray quote inside an unquoted field',
        withField(s(1), 0, 'AB"CD'),
        'malformed CSV: a quote inside a field that does not start with one',
        '\r\n',
      ),
    (b) =>
      b.bad(
        'characters after a closing quote',
        withField(s(2), 0, '"ABCD"E'),
        'malformed CSV: characters after the closing quote of a field',
      ),
    (b) => b.bad('a line that is only a quote', '"', 'malformed CSV: a quoted field is not closed'),
    (b) => b.bad('too few columns', s(3).split(',').slice(0, 5).join(','), 'missing values: 5 of 13 columns', '\r\n'),
    (b) => b.bad('too many columns', `${s(4)},extra`, 'too many values: 14 for 13 columns'),
    (b) => b.bad('an empty field', withField(s(5), 2, ''), 'missing score'),
    (b) => b.bad('score "abc"', withField(s(6), 2, 'abc'), 'score must be an integer'),
    (b) => b.bad('score 101', withField(s(7), 2, '101'), 'score 101 is out of range 0-100', '\r\n'),
    (b) => b.bad('negative km', withField(s(8), 9, '-5'), 'kmDriven -5 is out of range 0-1000000'),
    (b) => b.bad('period 2026-13', withField(s(9), 1, '2026-13'), 'period must be YYYY-MM'),
    (b) =>
      b.bad(
        'updatedAt not ISO-8601 UTC',
        withField(s(10), 12, '2026-11-01 02:00:00'),
        'updatedAt must be an ISO-8601 UTC time (e.g. 2026-11-01T02:00:00Z)',
      ),
    (b) => b.bad('driverId with invalid characters', withField(s(11), 0, 'RSS MRA/85'), DRIVER_ID_RULE),
    (b) => b.bad('driverId of 65 characters', withField(s(12), 0, 'A'.repeat(65)), DRIVER_ID_RULE, '\r\n'),
    (b) => b.bad('band F', withField(s(13), 3, 'F'), 'band must be one of A, B, C, D, E'),
    (b) => b.bad('the header line again mid-file', header, 'the header line again (were files joined together?)'),
    (b) => b.bad('a NUL byte', withField(s(15), 11, '2.3\u00001'), 'modelVersion must not hold control characters'),
    (b) => b.bad('invalid UTF-8 bytes', utf8.bytes, utf8.reason, '\n', utf8.row),
    (b) => b.bad('a byte-order mark starting a line mid-file', `\uFEFF${s(16)}`, DRIVER_ID_RULE),
    (b) =>
      // A lone CR is not a line break: the two rows are one line of 25 fields.
      b.bad('a lone CR joining two rows', `${s(18)}\r${s(20)}`, 'too many values: 25 for 13 columns'),
    (b) => megabyteLine(b, longRow),
  ];
  interleave(builder, valid, broken, (text) =>
    text
      .split(',')
      .map((field) => `"${field}"`)
      .join(','),
  );
  builder.bad(
    'a truncated final line without a line break',
    truncated,
    `missing values: ${truncated.split(',').length} of 13 columns`,
    '',
  );
  return builder.build();
}

/** The JSON-lines file: its own 22 kinds of broken line among 200 valid ones; its last line, valid, has no line break. */
export async function brokenJsonl(): Promise<BrokenFile> {
  const lines = await generated(230, 'jsonl');
  const valid = lines.slice(0, 200).map((text) => ({ text, record: JSON.parse(text) as unknown }));
  const spare = lines.slice(200).map((text) => JSON.parse(text) as Record<string, unknown>);
  const s = (i: number, changes: Record<string, unknown> = {}) => JSON.stringify({ ...spare[i], ...changes });
  const factors = (i: number) => spare[i].factors as Record<string, unknown>;
  const withoutTrips = (() => {
    const { trips: _trips, ...rest } = spare[8];
    return JSON.stringify(rest);
  })();
  const longRow = s(19, { modelVersion: 'x'.repeat(LONG_LINE_BYTES) });
  const utf8 = invalidUtf8(s(17), s(17).indexOf('"2.3') + 4);
  const builder = new FileBuilder();
  const [first, ...rest] = valid;
  builder.good(`\uFEFF${first.text}`, first.record); // a byte-order mark on line 1
  const broken: ((b: FileBuilder) => void)[] = [
    (b) => b.bad('invalid JSON', s(0).replace('":', '" '), 'not valid JSON'),
    (b) => b.bad('a truncated object', s(1).slice(0, 60), 'not valid JSON', '\r\n'),
    (b) => b.bad('an array instead of an object', `[${s(2)}]`, 'not a JSON object'),
    (b) => b.bad('a string instead of an object', '"RSSMRA85T10A562S"', 'not a JSON object'),
    (b) => b.bad('null', 'null', 'not a JSON object'),
    (b) => b.bad('an extra field', s(3, { email: 'someone@example.com' }), 'unknown field "email"', '\r\n'),
    (b) => b.bad('an unknown factor', s(4, { factors: { ...factors(4), phoneUse: 3 } }), 'unknown factor "phoneUse"'),
    (b) => b.bad('factors as an array', s(5, { factors: [1, 2, 3, 4, 5] }), 'factors must be an object'),
    (b) => b.bad('a missing field', withoutTrips, 'missing trips'),
    (b) => b.bad('score "abc"', s(6, { score: 'abc' }), 'score must be an integer'),
    (b) => b.bad('score true', s(7, { score: true }), 'score must be an integer', '\r\n'),
    (b) => b.bad('score 101', s(9, { score: 101 }), 'score 101 is out of range 0-100'),
    (b) => b.bad('negative km', s(10, { kmDriven: -5 }), 'kmDriven -5 is out of range 0-1000000'),
    (b) => b.bad('period 2026-13', s(11, { period: '2026-13' }), 'period must be YYYY-MM'),
    (b) => b.bad('driverId a number', s(12, { driverId: 42 }), 'driverId must be a string'),
    (b) => b.bad('driverId of 65 characters', s(13, { driverId: 'A'.repeat(65) }), DRIVER_ID_RULE),
    (b) =>
      b.bad(
        'a NUL escaped in a string',
        s(14, { modelVersion: '2.3\u00001' }),
        'modelVersion must not hold control characters',
      ),
    (b) => b.bad('a raw NUL byte', s(15).replace('"2.3', '"2.3\u0000'), 'not valid JSON'),
    (b) => b.bad('invalid UTF-8 bytes', utf8.bytes, utf8.reason, '\n', utf8.row),
    (b) => b.bad('two objects on one line', `${s(16)}${s(18)}`, 'not valid JSON'),
    (b) => b.bad('a CSV line', CSV_COLUMNS.join(','), 'not valid JSON'),
    (b) => megabyteLine(b, longRow),
  ];
  const last = rest.pop() as { text: string; record: unknown };
  interleave(builder, rest, broken, (text) => text);
  builder.good(last.text, last.record, ''); // a final line without a line break
  return builder.build();
}
