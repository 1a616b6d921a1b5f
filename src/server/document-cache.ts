/**
 * The parsed-document cache, bounded by the memory its entries hold rather than by their
 * number: a thousand small queries and a thousand 1 MB queries are not the same load, and an
 * entry-count bound let about 80 distinct ~1 MB documents exhaust the heap.
 *
 * A parsed document's size cannot be read from V8, so it is estimated from the query's length.
 * Measured with graphql-js 16 (heap growth per cached document, `node --expose-gc`): 30-100 bytes
 * per character for ordinary queries, up to about 290 for the densest (one-letter fields, nested
 * braces). The estimate takes the worst case, so the bound holds for any text.
 */
import { LRUCache } from 'lru-cache';

/** Estimated heap bytes per character of query text, parsed (worst case measured: ~290). */
const BYTES_PER_QUERY_CHAR = 300;
/** Fixed cost per entry: the cache's own node, the key, small objects of the answer. */
const ENTRY_OVERHEAD_BYTES = 2048;

export interface DocumentCacheOptions {
  /** Estimated bytes all entries may hold together. */
  readonly maxBytes: number;
  /** An entry estimated larger than this is not kept (it is prepared again when sent again). */
  readonly maxEntryBytes: number;
}

/** 64 MiB for all entries: ~1,200 typical queries of 170 characters at the worst-case estimate. */
export const DEFAULT_DOCUMENT_CACHE: DocumentCacheOptions = {
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 8 * 1024 * 1024,
};

export function estimatedDocumentBytes(query: string): number {
  return query.length * BYTES_PER_QUERY_CHAR + ENTRY_OVERHEAD_BYTES;
}

export class DocumentCache<T extends object> {
  private readonly entries: LRUCache<string, T>;
  private readonly counts = { hits: 0, misses: 0 };

  constructor(options: DocumentCacheOptions = DEFAULT_DOCUMENT_CACHE) {
    this.entries = new LRUCache<string, T>({
      maxSize: options.maxBytes,
      maxEntrySize: options.maxEntryBytes,
      sizeCalculation: (_value, query) => estimatedDocumentBytes(query),
    });
  }

  /** The entry for `query`, preparing (and keeping, if it fits) it on a miss. */
  getOrPrepare(query: string, prepare: (query: string) => T): T {
    const cached = this.entries.get(query);
    if (cached) {
      this.counts.hits += 1;
      return cached;
    }
    this.counts.misses += 1;
    const prepared = prepare(query);
    this.entries.set(query, prepared);
    return prepared;
  }

  stats(): { size: number; estimatedBytes: number; hits: number; misses: number } {
    return { size: this.entries.size, estimatedBytes: this.entries.calculatedSize, ...this.counts };
  }
}
