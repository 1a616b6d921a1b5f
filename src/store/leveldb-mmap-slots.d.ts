// Types of leveldb-mmap-slots.js, plain JavaScript because the store's worker runs it (workers
// do not inherit the tsx loader).

/** LevelDB's limit on mapped files in one (64-bit) process. */
export const MMAP_LIMIT: number;

export interface MmapSlots {
  readonly state: 'held' | 'not-held' | 'unverified';
  readonly mappedTables: number | undefined;
  close(): Promise<void>;
}

export function occupyMmapSlots(dir: string): Promise<MmapSlots>;

/** How many of the table files under `dir` this process has mapped; undefined without /proc. */
export function mappedTablesUnder(dir: string): number | undefined;
