import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ScoreRecord } from '../../src/domain/score';
import { fromCsvRow, fromJsonLine } from '../../src/load/score-row';
import { demoScores } from '../../src/store/demo-data';
import { scoreItem } from '../../src/store/score-item';

const byLibrary = (record: ScoreRecord) => marshall(record, { removeUndefinedValues: true });

function checked(result: ReturnType<typeof fromCsvRow>): ScoreRecord {
  if (!result.ok) throw new Error(result.reason);
  return result.record;
}

// The stored bytes are the item's JSON text: equal text means equal items, member order included.
const sameText = (record: ScoreRecord) =>
  expect(JSON.stringify(scoreItem(record))).toBe(JSON.stringify(byLibrary(record)));

describe('scoreItem: a checked record as the DynamoDB item marshall makes of it', () => {
  it('matches marshall on generated records, text for text', () => {
    let compared = 0;
    for (const record of demoScores({ drivers: 500, months: 6, lastPeriod: '2026-10', seed: 7 })) {
      sameText(record);
      compared += 1;
    }
    expect(compared).toBe(3000);
  });

  it('matches marshall on the edges the loader accepts (bounds, decimals, longest texts)', () => {
    const edges: Record<string, string>[] = [
      {
        driverId: 'a',
        period: '0001-01',
        score: '0',
        band: 'E',
        acceleration: '0',
        braking: '0',
        cornering: '0',
        speeding: '0',
        nightDriving: '0',
        kmDriven: '0',
        trips: '0',
        modelVersion: 'v',
        updatedAt: '2026-11-01T02:00:00Z',
      },
      {
        driverId: 'Z'.repeat(64),
        period: '9999-12',
        score: '100',
        band: 'A',
        acceleration: '100',
        braking: '100',
        cornering: '100',
        speeding: '100',
        nightDriving: '100',
        kmDriven: '1000000',
        trips: '1000000',
        modelVersion: `${'m'.repeat(60)} é€"`,
        updatedAt: '2026-11-01T02:00:00.123456789Z',
      },
      {
        driverId: 'D_1-x',
        period: '2026-02',
        score: '-0',
        band: 'C',
        acceleration: '7',
        braking: '8',
        cornering: '9',
        speeding: '10',
        nightDriving: '11',
        kmDriven: '0.1',
        trips: '3',
        modelVersion: 'a\\b',
        updatedAt: '2026-02-28T23:59:59Z',
      },
    ];
    for (const row of edges) sameText(checked(fromCsvRow(row)));
    const json = JSON.stringify({
      driverId: 'J1',
      period: '2026-03',
      score: 55,
      band: 'C',
      factors: { nightDriving: 1, speeding: 2, cornering: 3, braking: 4, acceleration: 5 },
      kmDriven: 1234.5678,
      trips: 12,
      modelVersion: 'v2',
      updatedAt: '2026-04-01T00:00:00Z',
    });
    // A JSON line's factors in another order: the check rebuilds them in the record's order.
    sameText(checked(fromJsonLine(json)));
  });

  it('refuses a number DynamoDB cannot hold exactly, as marshall does, naming the field', () => {
    const [record] = demoScores({ drivers: 1, months: 1, lastPeriod: '2026-10', seed: 1 });
    const unsafe = { ...record, kmDriven: 2 ** 60 };
    expect(() => byLibrary(unsafe)).toThrow();
    expect(() => scoreItem(unsafe)).toThrow(/kmDriven/);
    expect(() => scoreItem({ ...record, score: Number.NaN })).toThrow(/score/);
  });
});
