/**
 * The rows of a load input, one at a time and in file order, each with its line number, its
 * original text and either a valid record or the reason it is invalid. A CSV file whose header
 * lacks or misnames columns is refused as a whole (every row would be wrong the same way).
 */
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { LoadInput } from './input';
import { CSV_COLUMNS, csvHeaderProblem, fromCsvRow, fromJsonLine, type RowResult } from './score-row';

export interface InputRow {
  /** 1-based line of the file where the row starts (the CSV header is line 1). */
  readonly line: number;
  /** The row as it stands in the file, without its line break. */
  readonly text: string;
  readonly result: RowResult;
}

export class LoadFileError extends Error {
  override readonly name = 'LoadFileError';
}

export async function* readRows(input: LoadInput): AsyncGenerator<InputRow> {
  if (input.format === 'jsonl') {
    const lines = createInterface({ input: input.stream, crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      yield { line, text, result: fromJsonLine(line === 1 ? text.replace(/^\uFEFF/, '') : text) };
    }
    return;
  }

  const skipped: InputRow[] = [];
  const parser = input.stream.pipe(
    parse({
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // A malformed record (an unclosed quote, say) is reported as a reject, not the end of the load.
      skip_records_with_error: true,
      on_skip: (error, raw) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        skipped.push({
          line,
          text: String(raw ?? '').replace(/\r?\n$/, ''),
          result: { ok: false, reason: `malformed CSV: ${error?.message ?? 'unreadable record'}` },
        });
        return undefined;
      },
    }),
  );
  let header: string[] | undefined;
  for await (const { record, info, raw } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    while (skipped.length) yield skipped.shift() as InputRow;
    if (!header) {
      header = record.map((h) => h.trim());
      const problem = csvHeaderProblem(header);
      if (problem) {
        throw new LoadFileError(
          `${input.name}: the CSV header is wrong: ${problem} (expected ${CSV_COLUMNS.join(',')})`,
        );
      }
      continue;
    }
    const text = raw.replace(/\r?\n$/, '');
    const line = info.lines - (text.match(/\n/g)?.length ?? 0);
    let result: RowResult;
    if (record.length < header.length) {
      result = { ok: false, reason: `missing values: ${record.length} of ${header.length} columns` };
    } else if (record.length > header.length) {
      result = { ok: false, reason: `too many values: ${record.length} for ${header.length} columns` };
    } else {
      result = fromCsvRow(Object.fromEntries(header.map((name, i) => [name, record[i]])));
    }
    yield { line, text, result };
  }
  while (skipped.length) yield skipped.shift() as InputRow;
}
