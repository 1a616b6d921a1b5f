/**
 * Logs the first use, per resolver and feature, of something the offline runtime does not
 * implement, with the resolver's source file and line: the caller's error names the feature,
 * the log says where to look. Later uses are not logged again (a busy field would flood it).
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { UnsupportedUse } from '../runtime/handler-invocation';

export function logUnsupportedOnce(logger: Logger | undefined) {
  // Bounded by bytes: a message may quote a caller's input, so keys are not a fixed set.
  const seen = new LRUCache<string, true>({ maxSize: 1024 * 1024, sizeCalculation: (_value, key) => 64 + key.length });
  return (use: UnsupportedUse, resolver: string): void => {
    const key = `${resolver}\u0000${use.message}`;
    if (seen.has(key)) return;
    seen.set(key, true);
    logger?.warn(
      {
        resolver,
        feature: use.message,
        file: use.at?.file ?? use.file,
        ...(use.at ? { line: use.at.line, column: use.at.column } : {}),
      },
      'a resolver used a feature the offline runtime does not implement',
    );
  };
}
