/**
 * The classic-level package dynalite opens, resolved as dynalite resolves it (dynalite → level →
 * classic-level): whoever loads it here gets the very files, and the patched binding, that the
 * store's worker loads, not a copy of their own.
 */
import { createRequire } from 'node:module';

/** A `require` that resolves from dynalite's `level` package. */
function requireFromDynalitesLevel(): NodeRequire {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  return createRequire(fromDynalite.resolve('level'));
}

/** Loads classic-level's native binding (binding.js), as the store's worker will. */
export function loadDynalitesLevelBinding(): void {
  requireFromDynalitesLevel()('classic-level/binding.js');
}

/** What tests and benchmarks use of a classic-level iterator (nextvSync: ScoreDrive's patch). */
export interface ClassicLevelIterator {
  seek(target: string | Buffer): void;
  nextv(size: number): Promise<[unknown, unknown][]>;
  nextvSync(size: number): [unknown, unknown][];
  close(): Promise<void>;
}

/** What tests and benchmarks use of a classic-level database. */
export interface ClassicLevelDb {
  readonly supports: { nextvSync?: boolean; getSync?: boolean };
  open(): Promise<void>;
  close(): Promise<void>;
  batch(operations: { type: 'put'; key: string; value: unknown }[]): Promise<void>;
  iterator(options: Record<string, unknown>): ClassicLevelIterator;
  get(key: string): Promise<unknown>;
  getSync(key: string): unknown;
}

/** The ClassicLevel class dynalite opens its store with. */
export function dynalitesClassicLevel(): new (location: string, options: { valueEncoding: string }) => ClassicLevelDb {
  return (requireFromDynalitesLevel()('classic-level') as { ClassicLevel: never }).ClassicLevel;
}
