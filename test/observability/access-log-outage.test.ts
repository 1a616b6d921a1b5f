/**
 * The access log through a full disk: calls that cannot be written are counted and warned
 * about once, and the log writes again once the disk can take it, without a restart. The disk
 * is injected (as root, permission tricks do not make writes fail): each stream the log opens
 * appends to `disk.lines`, or fails with ENOSPC, as rotating-file-stream does, while `disk.full`.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccessLog } from '../../src/observability/access-log';
import type { ApiCall } from '../../src/observability/api-call';
import { sampleApiCall } from '../helpers/api-call';
import { tempDir } from '../helpers/service';

// Never written to (the disk is injected), but a real directory all the same.
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir('scoredrive-log-outage-'));
});
afterEach(async () => remove());

const call = sampleApiCall;

function fakeDisk() {
  const disk = { full: false, opened: 0, lines: [] as string[] };
  const openStream = () => {
    disk.opened += 1;
    return new Writable({
      write(chunk, _encoding, callback) {
        if (disk.full) {
          callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          return;
        }
        disk.lines.push(...String(chunk).trimEnd().split('\n'));
        callback();
      },
    });
  };
  return { disk, openStream };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (lines: string[]) => lines.map((line) => (JSON.parse(line) as ApiCall).requestId);

describe('the access log on a full disk', () => {
  it('counts the calls it cannot write, warns once, and writes again when the disk has room', async () => {
    const { disk, openStream } = fakeDisk();
    const warnings: string[] = [];
    const log = openAccessLog({ dir, flushMs: 0, retryMs: 50, openStream, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i += 1) log.write(call(i));
    await pause(10);
    expect(ids(disk.lines)).toEqual(['request-0', 'request-1', 'request-2']);

    disk.full = true;
    for (let i = 3; i < 8; i += 1) {
      log.write(call(i));
      await pause(5);
    }
    expect(log.dropped).toBe(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cannot write to ${dir} (ENOSPC`);

    disk.full = false;
    // Calls keep coming; within the backoff they are still counted, then one lands.
    let first = 8;
    for (const deadline = Date.now() + 5000; Date.now() < deadline; first += 1) {
      log.write(call(first));
      await pause(10);
      if (disk.lines.includes(JSON.stringify(call(first)))) break;
    }
    for (let i = first + 1; i < first + 3; i += 1) log.write(call(i));
    await pause(10);
    // A new stream, without a restart: the calls after the outage are in the log.
    expect(disk.opened).toBeGreaterThanOrEqual(2);
    expect(ids(disk.lines)).toEqual([
      'request-0',
      'request-1',
      'request-2',
      ...[first, first + 1, first + 2].map((i) => `request-${i}`),
    ]);
    const dropped = 5 + (first - 8);
    expect(log.dropped).toBe(dropped);
    expect(warnings).toEqual([warnings[0], `access log: writing again; ${dropped} calls could not be logged`]);

    await log.close();
    expect(log.dropped).toBe(dropped);
    expect(warnings).toHaveLength(2);
  });

  it('retries with a growing backoff while the disk stays full, warning once, and closes without throwing', async () => {
    const { disk, openStream } = fakeDisk();
    disk.full = true;
    const warnings: string[] = [];
    const log = openAccessLog({ dir, flushMs: 0, retryMs: 20, openStream, warn: (m) => warnings.push(m) });
    // ~300 ms of one call every 5 ms: retries after 20, 40, 80, 160 ms, not one per call.
    for (let i = 0; i < 60; i += 1) {
      log.write(call(i));
      await pause(5);
    }
    expect(log.dropped).toBe(60);
    expect(disk.opened).toBeGreaterThanOrEqual(3);
    // Far fewer than one per call, even on a loaded machine where the 5 ms pauses run long.
    expect(disk.opened).toBeLessThanOrEqual(10);
    expect(warnings).toHaveLength(1);
    await expect(log.close()).resolves.toBeUndefined();
    expect(warnings.at(-1)).toBe('access log closed while it could not write; 60 calls could not be logged');
    expect(disk.lines).toEqual([]);
  });
});
