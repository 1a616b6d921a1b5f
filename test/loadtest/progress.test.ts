/** Progress while a run lasts, on a stream that is not a terminal: a line every interval. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/loadtest/progress';

describe('progressReporter (not a terminal)', () => {
  it('writes a line with requests, req/s, p99 and errors at most once per interval', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (chunk) => {
      written += chunk;
    });
    const reporter = progressReporter(stream, 50);
    const figures = {
      phase: 'measuring' as const,
      elapsedSeconds: 10.2,
      totalSeconds: 20,
      count: 102,
      requestsPerSecond: 10,
      p99: 12.345,
      errors: 1,
    };
    reporter.update(figures); // too soon after the start
    await new Promise((resolve) => setTimeout(resolve, 60));
    reporter.update(figures);
    reporter.update(figures); // too soon after the last line
    reporter.stop();

    const lines = written.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ 10\/20 s: 102 requests, 10\.0 req\/s, p99 12\.3 ms, 1 errors$/);
  });
});
