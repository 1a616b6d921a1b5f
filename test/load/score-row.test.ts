import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvHeaderProblem, fromCsvRow, fromJsonLine } from '../../src/load/score-row';

const GOOD = {
  driverId: 'RSSMRA85T10A562S',
  period: '2026-10',
  score: '87',
  band: 'A',
  acceleration: '90',
  braking: '85',
  cornering: '88',
  speeding: '80',
  nightDriving: '92',
  kmDriven: '1234.5',
  trips: '61',
  modelVersion: '2.3.1',
  updatedAt: '2026-11-01T02:00:00Z',
};

const reasonFor = (changes: Partial<Record<keyof typeof GOOD, string>>) => {
  const result = fromCsvRow({ ...GOOD, ...changes } as Record<string, string>);
  return result.ok ? 'ok' : result.reason;
};

describe('a CSV row', () => {
  it('becomes a typed record of the data model', () => {
    expect(fromCsvRow(GOOD)).toEqual({
      ok: true,
      record: {
        driverId: 'RSSMRA85T10A562S',
        period: '2026-10',
        score: 87,
        band: 'A',
        factors: { acceleration: 90, braking: 85, cornering: 88, speeding: 80, nightDriving: 92 },
        kmDriven: 1234.5,
        trips: 61,
        modelVersion: '2.3.1',
        updatedAt: '2026-11-01T02:00:00Z',
      },
    });
  });

  it.each([
    [{ driverId: 'bad id!' }, 'driverId must be 1-64 characters of A-Z, a-z, 0-9, _ and -'],
    [{ driverId: 'x'.repeat(65) }, 'driverId must be 1-64 characters of A-Z, a-z, 0-9, _ and -'],
    [{ driverId: '' }, 'missing driverId'],
    [{ period: '2026-13' }, 'period must be YYYY-MM'],
    [{ period: '2026/10' }, 'period must be YYYY-MM'],
    [{ score: '101' }, 'score 101 is out of range 0-100'],
    [{ score: '-1' }, 'score -1 is out of range 0-100'],
    [{ score: '87.5' }, 'score must be an integer'],
    [{ score: 'high' }, 'score must be an integer'],
    [{ band: 'F' }, 'band must be one of A, B, C, D, E'],
    [{ braking: '' }, 'missing braking'],
    [{ nightDriving: '200' }, 'nightDriving 200 is out of range 0-100'],
    [{ kmDriven: 'far' }, 'kmDriven must be a number'],
    [{ kmDriven: '-3' }, 'kmDriven -3 is out of range 0-1000000'],
    [{ trips: '2.5' }, 'trips must be an integer'],
    [{ modelVersion: 'v'.repeat(65) }, 'modelVersion is longer than 64'],
    [{ updatedAt: '2026-11-01 02:00' }, 'updatedAt must be an ISO-8601 UTC time (e.g. 2026-11-01T02:00:00Z)'],
    [{ updatedAt: '2026-11-01T02:00:00+01:00' }, 'updatedAt must be an ISO-8601 UTC time (e.g. 2026-11-01T02:00:00Z)'],
  ])('%o is rejected: %s', (changes, reason) => {
    expect(reasonFor(changes)).toBe(reason);
  });

  it('accepts every allowed id character and the edges of every range', () => {
    expect(
      reasonFor({
        driverId: 'a_B-9',
        score: '0',
        braking: '100',
        kmDriven: '0',
        trips: '0',
        updatedAt: '2026-11-01T02:00:00.123Z',
      }),
    ).toBe('ok');
  });
});

describe('a JSON line', () => {
  // The record's fields only: a JSON line with any other member (the CSV's flat factor columns, say) is refused.
  const { acceleration, braking, cornering, speeding, nightDriving, ...fields } = GOOD;
  const good = {
    ...fields,
    score: 87,
    kmDriven: 1234.5,
    trips: 61,
    factors: { acceleration: 90, braking: 85, cornering: 88, speeding: 80, nightDriving: 92 },
  };

  it('takes typed values and nested factors', () => {
    const result = fromJsonLine(JSON.stringify(good));
    expect(result.ok && result.record.factors.braking).toBe(85);
  });

  it('rejects wrong types, missing objects and broken JSON', () => {
    const reason = (line: string) => {
      const result = fromJsonLine(line);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reason(JSON.stringify({ ...good, score: '87' }))).toBe('ok'); // numeric strings are fine, as in CSV
    expect(reason(JSON.stringify({ ...good, score: true }))).toBe('score must be an integer');
    expect(reason(JSON.stringify({ ...good, driverId: 42 }))).toBe('driverId must be a string');
    expect(reason(JSON.stringify({ ...good, factors: undefined }))).toBe('missing factors');
    expect(reason(JSON.stringify({ ...good, factors: [1, 2] }))).toBe('factors must be an object');
    expect(reason('{"driverId": "X1",')).toBe('not valid JSON');
    expect(reason('[1,2]')).toBe('not a JSON object');
  });
});

describe('the CSV header', () => {
  it('must hold every column, in any order, and nothing else', () => {
    expect(csvHeaderProblem([...CSV_COLUMNS].reverse())).toBeUndefined();
    expect(csvHeaderProblem(CSV_COLUMNS.filter((c) => c !== 'trips'))).toBe('missing column trips');
    expect(csvHeaderProblem([...CSV_COLUMNS, 'email'])).toBe('unknown column email');
  });
});
