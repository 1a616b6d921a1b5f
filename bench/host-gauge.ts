/**
 * How fast the host runs the kind of work a request is made of, right now. This VM's speed
 * changes from day to day by up to ~3× while it reports no VM steal (2026-12-02: the server used
 * ~230 µs of CPU per `score` request on a quiet day, 630–790 µs on a slow one, on the same
 * code), so a figure from a bench means little without a measure of the host taken beside it.
 * Two fixed workloads, each timed three times (the best is kept: the host at its least disturbed):
 * - a JSON round trip of a GraphQL answer (allocation, string and object work: the bulk of a
 *   request's JavaScript);
 * - fstat(2) on an open file (a system call: what the kernel and hypervisor add to each read
 *   and write).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

export interface HostGauge {
  /** µs per JSON.parse(JSON.stringify(answer)) of a `score` answer. */
  readonly jsonRoundTripUs: number;
  /** µs per fstat(2). */
  readonly syscallUs: number;
}

const ANSWER = {
  data: {
    score: {
      driverId: 'VQZZRZ04M65E659M',
      period: '2026-10',
      score: 71.4,
      band: 'B',
      factors: { braking: 64.2, speeding: 80.1 },
    },
  },
};

function bestOf(rounds: number, work: () => void, calls: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / calls);
  }
  return best;
}

export function gaugeHost(): HostGauge {
  const roundTrips = 100_000;
  let sink = 0;
  const jsonRoundTripUs = bestOf(
    3,
    () => {
      for (let i = 0; i < roundTrips; i += 1) sink += JSON.parse(JSON.stringify(ANSWER)).data.score.score;
    },
    roundTrips,
  );
  const calls = 100_000;
  const fd = openSync(process.execPath, 'r');
  try {
    const syscallUs = bestOf(
      3,
      () => {
        for (let i = 0; i < calls; i += 1) sink += fstatSync(fd).size;
      },
      calls,
    );
    // The sums keep the loops from being optimised away; they are never used otherwise.
    if (sink === -1) console.log(sink);
    return { jsonRoundTripUs, syscallUs };
  } finally {
    closeSync(fd);
  }
}

export const hostGaugeNote = (g: HostGauge) =>
  `host gauge: JSON round trip of an answer ${g.jsonRoundTripUs.toFixed(2)} µs, fstat(2) ${g.syscallUs.toFixed(2)} µs (lower is a faster host)`;

/**
 * CPU time a process has used so far, in ms, from the text of Linux's /proc/<pid>/stat: utime +
 * stime (fields 14 and 15), in clock ticks of 1/100 s (USER_HZ, which Linux fixes at 100 for
 * user space). The command name (field 2) is in parentheses and may hold spaces and
 * parentheses itself, so the fields are counted from the last `)`.
 */
export function cpuMsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error('not the text of /proc/<pid>/stat');
  return ticks * 10;
}

/** processCpuMs of a running process; undefined where /proc does not say (not Linux, gone). */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
