import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuMsOfStat, gaugeHost, processCpuMs } from '../../bench/host-gauge';

// A line of /proc/<pid>/stat as Linux writes it (proc(5)): utime 250 and stime 40 ticks.
const STAT_FIELDS_AFTER_NAME =
  'S 1 4242 4242 0 -1 4194560 12000 0 3 0 250 40 0 0 20 0 11 0 12345 1200000000 60000 18446744073709551615';

describe('bench host gauge', () => {
  it('reads user + system CPU from /proc/<pid>/stat, in ms of 1/100 s ticks', () => {
    expect(cpuMsOfStat(`4242 (node) ${STAT_FIELDS_AFTER_NAME}\n`)).toBe(2900);
  });

  it('counts fields from the last parenthesis: a command name may hold spaces and parentheses', () => {
    expect(cpuMsOfStat(`4242 (my (odd) name) ${STAT_FIELDS_AFTER_NAME}\n`)).toBe(2900);
  });

  it('refuses text that is not a stat line instead of returning NaN', () => {
    expect(() => cpuMsOfStat('no such thing')).toThrow(/proc/);
  });

  it.runIf(process.platform === 'linux')('sees a busy child process use CPU', async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const used = processCpuMs(child.pid);
    await exited;
    expect(used).toBeGreaterThan(0);
    expect(processCpuMs(child.pid)).toBeUndefined();
  });

  it('times both workloads as positive microseconds', () => {
    const gauge = gaugeHost();
    expect(gauge.jsonRoundTripUs).toBeGreaterThan(0);
    expect(gauge.jsonRoundTripUs).toBeLessThan(1000);
    expect(gauge.syscallUs).toBeGreaterThan(0);
    expect(gauge.syscallUs).toBeLessThan(1000);
  });
});
