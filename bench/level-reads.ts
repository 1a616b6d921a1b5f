/**
 * npm run bench:level-reads — what one LevelDB read costs the embedded store's thread, by the way
 * it is made: a seek and a one-entry nextv() through libuv's thread pool (classic-level's own
 * path), the same read with nextvSync() on the calling thread (ScoreDrive's patch, what the store
 * uses for Query pages), and get() against getSync() (GetItem). Random keys of a 100,000-key
 * database on disk, one read at a time; CPU is the whole process's (the pool's threads included),
 * so a thread hop's cost shows. Each way is measured three times, interleaved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynalitesClassicLevel } from '../src/store/dynalite-level';

const ClassicLevel = dynalitesClassicLevel();

const KEYS = 100_000;
const READS = 30_000;

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-level-reads-'));
const db = new ClassicLevel(dir, { valueEncoding: 'json' });
try {
  await db.open();
  const keys = Array.from({ length: KEYS }, (_, i) => `item~${String(i * 7919).padStart(10, '0')}`);
  for (let i = 0; i < KEYS; i += 10_000) {
    await db.batch(
      keys.slice(i, i + 10_000).map((key) => ({ type: 'put', key, value: { key: { S: key }, score: { N: '71' } } })),
    );
  }
  const pick = () => keys[Math.floor(Math.random() * KEYS)];
  const iterator = db.iterator({ reverse: true });
  // The newest-first read of one partition: seek past its keys, read one back.
  const seekPartition = () => iterator.seek(`${pick()}~`);
  const ways: [string, () => unknown][] = [
    [
      'seek + nextv(1), thread pool',
      () => {
        seekPartition();
        return iterator.nextv(1);
      },
    ],
    ['get(), thread pool', () => db.get(pick())],
  ];
  if (db.supports.nextvSync) {
    ways.push([
      'seek + nextvSync(1), this thread',
      () => {
        seekPartition();
        return iterator.nextvSync(1);
      },
    ]);
  } else {
    console.log('nextvSync: not in this binary (the prebuilt one): npm run build:store-binding');
  }
  ways.push(['getSync(), this thread', () => db.getSync(pick())]);

  const cpuMicros = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  const results = new Map<string, string[]>();
  for (let round = 0; round < 3; round += 1) {
    for (const [name, read] of ways) {
      for (let i = 0; i < 2_000; i += 1) await read(); // warm-up
      const cpu = cpuMicros();
      const started = performance.now();
      for (let i = 0; i < READS; i += 1) await read();
      const wallUs = ((performance.now() - started) * 1000) / READS;
      const cpuUs = (cpuMicros() - cpu) / READS;
      results.set(name, [...(results.get(name) ?? []), `${cpuUs.toFixed(1)} µs CPU (${wallUs.toFixed(1)} wall)`]);
    }
  }
  await iterator.close();
  const cpu = os.cpus();
  console.log(`${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}; per read, three rounds:`);
  for (const [name, figures] of results) console.log(`  ${name.padEnd(34)} ${figures.join(' / ')}`);
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
