/**
 * The rows of a load input, one at a time and in file order, each with its line number, its
 * original text and either a valid record or the reason it is invalid. The input is cut into
 * lines first (lines.ts), so a malformed line is one reject and reading goes on at the next.
 * Blank and whitespace-only lines hold no row: they are skipped, and still counted as lines.
 * A CSV file whose header lacks or misnames columns is refused as a whole (every row would be
 * wrong the same way).
 */
import { parseCsvLine } from './csv-line';
import type { LoadInput } from './input';
import { type Line, splitLines } from './lines';
import { CSV_COLUMNS, csvHeaderProblem, fromCsvRow, fromJsonLine, type RowResult } from './score-row';

export interface InputRow {
  /** 1-based line of the file (the CSV header is line 1 unless blank lines come first). */
  readonly line: number;
  /** The row as it stands in the file, without its line break. */
  readonly text: string;
  readonly result: RowResult;
}

export class LoadFileError extends Error {
  override readonly name = 'LoadFileError';
}

const BLANK = /^\s*$/;

export async function* readRows(input: LoadInput): AsyncGenerator<InputRow> {
  const rowOf = input.format === 'jsonl' ? jsonRow : csvRows(input.name);
  for await (const lines of splitLines(input.stream)) {
    for (const line of lines) {
      if (BLANK.test(line.text)) continue;
      const row = rowOf(line);
      if (row) yield row;
    }
  }
}

function reject(line: Line, reason: string): InputRow {
  return { line: line.number, text: line.text, result: { ok: false, reason } };
}

function jsonRow(line: Line): InputRow {
  if (line.problem) return reject(line, line.problem);
  return { line: line.number, text: line.text, result: fromJsonLine(line.text) };
}

/** CSV: the first row is the header, which names the columns of every later line. */
function csvRows(file: string): (line: Line) => InputRow | undefined {
  let header: string[] | undefined;
  return (line) => {
    const parsed = line.problem ? { ok: false as const, reason: line.problem } : parseCsvLine(line.text);
    if (!header) {
      const problem = !parsed.ok ? parsed.reason : csvHeaderProblem(parsed.fields.map((name) => name.trim()));
      if (problem) {
        throw new LoadFileError(`${file}: the CSV header is wrong: ${problem} (expected ${CSV_COLUMNS.join(',')})`);
      }
      header = (parsed as { fields: string[] }).fields.map((name) => name.trim());
      return undefined;
    }
    if (!parsed.ok) return reject(line, parsed.reason);
    const { fields } = parsed;
    if (fields.length < header.length) {
      return reject(line, `missing values: ${fields.length} of ${header.length} columns`);
    }
    if (fields.length > header.length) {
      return reject(line, `too many values: ${fields.length} for ${header.length} columns`);
    }
    const columns = header;
    if (fields[0].trim() === columns[0] && fields.every((field, i) => field.trim() === columns[i])) {
      return reject(line, 'the header line again (were files joined together?)');
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i += 1) row[header[i]] = fields[i];
    return { line: line.number, text: line.text, result: fromCsvRow(row) };
  };
}
