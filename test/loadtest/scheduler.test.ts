/**
 * The two load modes against a local server: a fixed rate sends its requests on schedule and
 * measures each from when it was due (a stalled server shows), max throughput keeps N in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Auth } from '../../src/loadtest/auth';
import { type BenchConfig, runBench } from '../../src/loadtest/run';
import { parseSlos } from '../../src/loadtest/slo';
import { createTarget } from '../../src/loadtest/target';
import { type FakeServer, goodScore, startFakeServer } from './fake-server';

const NO_AUTH: Auth = { kind: 'none', description: 'none', apply: (request) => request };
const IDS = ['AAAAAA00A00A000A', 'BBBBBB00A00A000B', 'CCCCCC00A00A000C'];

function config(url: string, overrides: Partial<BenchConfig>): BenchConfig {
  return {
    target: createTarget(url, 'graphql'),
    auth: NO_AUTH,
    driverIds: { ids: IDS, source: 'file', file: 'ids.txt' },
    unknownShare: 0,
    mode: { kind: 'rate', perSecond: 20, maxInFlight: 1000 },
    warmupMs: 0,
    durationMs: 2000,
    timeoutMs: 5000,
    slos: [],
    ...overrides,
  };
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('fixed rate (open loop)', () => {
  it('sends rate × duration requests, evenly spaced, and leaves the warm-up out of the figures', async () => {
    server = await startFakeServer();
    const result = await runBench(config(server.url, { warmupMs: 500, durationMs: 2000 }));

    // 20/s: 10 during the warm-up, 40 measured.
    expect(server.received).toHaveLength(50);
    expect(result.count).toBe(40);
    expect(result.ok).toBe(40);
    expect(result.requestsPerSecond).toBeGreaterThan(18);
    expect(result.requestsPerSecond).toBeLessThan(21);
    // Request i is due at i × 50 ms: measure each arrival against its slot, from the typical offset
    // (the very first one also opens the connection, so it is not a good origin).
    const deviations = server.received.map((r, i) => r.at - i * 50);
    const origin = [...deviations].sort((a, b) => a - b)[Math.floor(deviations.length / 2)];
    const offsets = server.received.map((r) => r.at - origin);
    const late = offsets.filter((offset, i) => Math.abs(offset - i * 50) > 40);
    expect(late.length).toBeLessThanOrEqual(5);
    // No bunching: every 500 ms holds about 10.
    for (let window = 0; window < 2500; window += 500) {
      const inWindow = offsets.filter((o) => o >= window - 25 && o < window + 475).length;
      expect(inWindow).toBeGreaterThanOrEqual(8);
      expect(inWindow).toBeLessThanOrEqual(12);
    }
  });

  it('measures from the scheduled time, so a 500 ms stall shows on every request due during it', async () => {
    server = await startFakeServer((request, index) => {
      if (index === 10) {
        // The whole process stalls (a GC pause, a blocked event loop): nothing is sent meanwhile.
        const until = performance.now() + 500;
        while (performance.now() < until) {
          /* busy */
        }
      }
      return { body: { data: { score: goodScore(request.driverId as string) } } };
    });
    const result = await runBench(config(server.url, { slos: parseSlos(['over200ms<1']) }));

    expect(result.count).toBe(40);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(450);
    // The stalled request and those due in the first 300 ms of the stall (about 6) wait over 200 ms;
    // timed from sending, only the stalled one would.
    expect(result.slo[0].actual).toBeGreaterThanOrEqual(5);
    expect(result.latencyMs.p90).toBeGreaterThan(200);
  });

  it('skips requests over --max-in-flight and counts them as overload', async () => {
    server = await startFakeServer((request) => ({
      delayMs: 300,
      body: { data: { score: goodScore(request.driverId as string) } },
    }));
    const result = await runBench(
      config(server.url, { mode: { kind: 'rate', perSecond: 50, maxInFlight: 2 }, durationMs: 1000 }),
    );

    expect(server.maxConcurrent()).toBe(2);
    expect(result.count).toBe(50);
    expect(result.errors.overload).toBeGreaterThan(35);
    expect(result.ok + result.errors.overload).toBe(50);
    expect(result.errorSamples.overload).toMatch(/--max-in-flight/);
  });
});

describe('max throughput (closed loop)', () => {
  it('keeps N requests in flight for the whole run', async () => {
    server = await startFakeServer((request) => ({
      delayMs: 50,
      body: { data: { score: goodScore(request.driverId as string) } },
    }));
    const started = performance.now();
    const result = await runBench(
      config(server.url, { mode: { kind: 'connections', connections: 4 }, durationMs: 1000 }),
    );
    const elapsed = performance.now() - started;

    expect(server.maxConcurrent()).toBe(4);
    // Average concurrency: the time requests spent in the server over the run's length.
    expect(server.busyMs() / elapsed).toBeGreaterThan(3.4);
    // 4 in flight, 50 ms each, for 1 s: about 80.
    expect(result.count).toBeGreaterThanOrEqual(56);
    expect(result.count).toBeLessThanOrEqual(84);
    expect(result.ok).toBe(result.count);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(50);
  });
});

describe('stopping early (Ctrl-C)', () => {
  it.each([
    { kind: 'rate', perSecond: 20, maxInFlight: 1000 },
    { kind: 'connections', connections: 2 },
  ] as const)('ends a %o run at once with the figures so far', async (mode) => {
    server = await startFakeServer((request) => ({
      delayMs: 20,
      body: { data: { score: goodScore(request.driverId as string) } },
    }));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 500);
    const started = performance.now();
    const result = await runBench(config(server.url, { mode, durationMs: 60_000, signal: stop.signal }));

    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.interrupted).toBe(true);
    expect(result.measuredSeconds).toBeGreaterThan(0.4);
    expect(result.measuredSeconds).toBeLessThan(1);
    expect(result.count).toBeGreaterThan(5);
    expect(result.ok).toBe(result.count);
  });
});
