/**
 * A checked ScoreRecord as the DynamoDB item the table holds (AttributeValue JSON), built field
 * by field. It gives exactly what `marshall(record, { removeUndefinedValues: true })` of
 * @aws-sdk/util-dynamodb gives, members in the same order (test/store/score-item.test.ts holds
 * them equal over generated and edge records).
 *
 * Why not marshall itself: it inspects every value's type (binary, sets, maps, class
 * instances) and measured, on a `load --import` of 1,000,000 rows (V8 CPU profile, 2026-12-02),
 * it was about 30% of the loader thread's CPU, the largest single cost. A record's fields and
 * their types are fixed by the loader's check (src/load/score-row.ts), so nothing needs inspecting.
 */
import { FACTOR_NAMES, type ScoreRecord } from '../domain/score';

export interface ScoreItem {
  readonly driverId: { readonly S: string };
  readonly period: { readonly S: string };
  readonly score: { readonly N: string };
  readonly band: { readonly S: string };
  readonly factors: {
    readonly M: Record<keyof ScoreRecord['factors'], { readonly N: string }>;
  };
  readonly kmDriven: { readonly N: string };
  readonly trips: { readonly N: string };
  readonly modelVersion: { readonly S: string };
  readonly updatedAt: { readonly S: string };
}

/** A number as DynamoDB's N: refused where marshall refuses it (not finite, past 2^53). */
function n(value: number, field: string): { N: string } {
  if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${field} ${value} cannot be stored as a DynamoDB number`);
  }
  return { N: String(value) };
}

export function scoreItem(record: ScoreRecord): ScoreItem {
  // In FACTOR_NAMES' order, the order the loader's check builds a record's factors in.
  const factors = {} as Record<keyof ScoreRecord['factors'], { N: string }>;
  for (const name of FACTOR_NAMES) factors[name] = n(record.factors[name], name);
  return {
    driverId: { S: record.driverId },
    period: { S: record.period },
    score: n(record.score, 'score'),
    band: { S: record.band },
    factors: { M: factors },
    kmDriven: n(record.kmDriven, 'kmDriven'),
    trips: n(record.trips, 'trips'),
    modelVersion: { S: record.modelVersion },
    updatedAt: { S: record.updatedAt },
  };
}
