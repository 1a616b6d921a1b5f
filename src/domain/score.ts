/**
 * The score record of design.md's data model, and the rules that tie its fields together.
 */
import type { Band } from '../generated/graphql';

/** One item of the scores table (design.md, "Data model"). */
export interface ScoreRecord {
  driverId: string;
  period: string;
  score: number;
  band: Band;
  factors: {
    acceleration: number;
    braking: number;
    cornering: number;
    speeding: number;
    nightDriving: number;
  };
  kmDriven: number;
  trips: number;
  modelVersion: string;
  updatedAt: string;
}

export const FACTOR_NAMES = ['acceleration', 'braking', 'cornering', 'speeding', 'nightDriving'] as const;

/** Lowest score of each band, best first. */
const BAND_FLOORS: readonly [Band, number][] = [
  ['A', 85],
  ['B', 70],
  ['C', 55],
  ['D', 40],
  ['E', 0],
];

export function bandFor(score: number): Band {
  for (const [band, floor] of BAND_FLOORS) {
    if (score >= floor) return band;
  }
  return 'E';
}
