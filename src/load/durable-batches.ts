/**
 * The batches of a load in flight, and the longest prefix of the file that is durable. Each
 * dispatch closes a segment of the file (the lines since the previous one, with their batch of
 * valid rows, possibly none); batches finish in any order, but the durable point only moves
 * over segments whose batch, and every earlier one, is written. A checkpoint records that point,
 * so a rerun never skips a row that is not in the table or in the rejects file.
 */
import type { ScoreRecord } from '../domain/score';
import type { LoadCounters } from './checkpoint';

/** How far the file is handled: every line up to `endLine` in the table or the rejects file. */
export interface DurablePoint {
  readonly endLine: number;
  /** The rejects file's length at that point. */
  readonly rejectsBytes: number;
  /** The counters at that point, `loaded` counting every row of these batches. */
  readonly counters: LoadCounters;
}

interface Segment extends DurablePoint {
  done: boolean;
}

export class DurableBatches {
  private readonly segments: Segment[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private point: DurablePoint | undefined;
  /** Rows handed to the store, written or not yet. */
  private dispatched: number;

  constructor(
    private readonly write: (items: ScoreRecord[]) => Promise<void>,
    private readonly concurrency: number,
    /** Where a resumed load starts (its checkpoint), or undefined. */
    start: DurablePoint | undefined,
    /** Hears each batch that is written, with its size, and the first failure of any. */
    private readonly events: { written(rows: number): void; failed(error: unknown): void },
  ) {
    this.point = start;
    this.dispatched = start?.counters.loaded ?? 0;
  }

  /** The durable point, undefined until a first segment (or the checkpoint resumed from) is durable. */
  get durable(): DurablePoint | undefined {
    return this.point;
  }

  /**
   * Ends a segment at `endLine` with `items` to write; waits while `concurrency` batches are in
   * flight. `counters` are the load's as of `endLine`, rows of earlier batches still in flight included.
   */
  async dispatch(items: ScoreRecord[], endLine: number, rejectsBytes: number, counters: LoadCounters): Promise<void> {
    this.dispatched += items.length;
    const segment: Segment = {
      endLine,
      rejectsBytes,
      counters: { ...counters, loaded: this.dispatched },
      done: items.length === 0,
    };
    this.segments.push(segment);
    if (items.length === 0) {
      this.advance();
      return;
    }
    const task = this.write(items).then(
      () => {
        this.events.written(items.length);
        segment.done = true;
        this.advance();
      },
      (error: unknown) => this.events.failed(error),
    );
    this.inFlight.add(task);
    task.finally(() => this.inFlight.delete(task));
    if (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
  }

  /** Waits for every batch in flight to be written or to fail. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }

  private advance(): void {
    while (this.segments.length > 0 && this.segments[0].done) this.point = this.segments.shift();
  }
}
