/**
 * Hostile traffic against a real `scoredrive serve` process, the kinds that once killed or
 * misled it (issue 12): distinct ~1 MB documents, alias floods, fan-out through a list variable,
 * documents over AppSync's token limit, invalid variables, forged nextTokens, broken bodies.
 * Afterwards the server must be alive, its memory bounded, no answer a 5xx, and known drivers
 * answered exactly as before.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { demoScores, lastCompletedPeriod } from '../../src/store/demo-data';
import { tempDir } from '../helpers/service';

/** The seed `scoredrive serve` seeds demo data with (src/store/demo-seed.ts). */
const DEMO_SEED = 20_160_122;

const BIN = path.join(PROJECT_ROOT, 'bin/scoredrive.js');
const KEY = 'da2-hostilehostilehostilehost';
/**
 * The server's resident memory after the flood stays under this. Measured on the 2-core CI
 * machine: ~300 MB after the run (Node, V8 heap, the embedded store's worker and LevelDB);
 * before the byte-bounded cache, 80 distinct ~1 MB documents took it past the 4 GB heap limit.
 */
const RSS_BOUND_MB = 600;

const DEMO = { drivers: 200, months: 3 };

let child: ChildProcess;
let url: string;
let removeDir: () => Promise<void>;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-api-key': KEY },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const gql = (query: string, variables?: unknown) => post(JSON.stringify({ query, variables }));

/** Runs `tasks` with `concurrency` in flight; returns every answer. */
async function pool<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await (tasks[index] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

/** Every demo driver's months, as the server answers them, equal to what the seed generated. */
async function expectKnownDriversExact(): Promise<void> {
  const records = [...demoScores({ ...DEMO, lastPeriod: lastCompletedPeriod(), seed: DEMO_SEED })];
  const byDriver = new Map<string, typeof records>();
  for (const record of records) byDriver.set(record.driverId, [record, ...(byDriver.get(record.driverId) ?? [])]);
  const answers = await pool(
    [...byDriver.keys()].map(
      (id) => () =>
        gql(
          'query($id: ID!) { scoreHistory(driverId: $id) { items { driverId period score band factors { acceleration braking cornering speeding nightDriving } kmDriven trips modelVersion updatedAt } } }',
          { id },
        ),
    ),
    4,
  );
  expect(answers.map((answer) => JSON.parse(answer.text).data.scoreHistory.items)).toEqual([...byDriver.values()]);
}

beforeAll(async () => {
  const dir = await tempDir();
  removeDir = dir.remove;
  child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dir.dir,
      '--demo-drivers',
      String(DEMO.drivers),
      '--demo-months',
      String(DEMO.months),
      '--no-access-log',
    ],
    { env: { ...process.env, SCOREDRIVE_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const deadline = Date.now() + 60_000;
  while (!/GraphQL\s+(\S+)\/graphql/.test(stdout) || !/Try it/.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const printed = /GraphQL\s+(\S+)\/graphql/.exec(stdout)?.[1] ?? '';
  url = printed.replace('localhost', '127.0.0.1');
}, 90_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await removeDir?.();
});

describe('hostile traffic', () => {
  it('leaves the server alive, within its memory bound, with no 5xx and exact answers', async () => {
    const firstPage = JSON.parse((await gql('{ __typename }')).text);
    expect(firstPage).toEqual({ data: { __typename: 'Query' } });

    const big = 'A'.repeat(900_000);
    const tasks: (() => Promise<{ status: number; text: string }>)[] = [];
    for (let i = 0; i < 120; i++) {
      // Distinct ~1 MB documents: one string token each, valid GraphQL, refused by the resolver's validation.
      tasks.push(() => gql(`{ score(driverId: "${i}${big}") { score } }`));
      // Distinct ~0.9 MB documents of 45,000 aliases, over AppSync's 15,000-token limit (each once took ~60 MB parsed).
      tasks.push(() => gql(`{ ${Array.from({ length: 45_000 }, (_, j) => `a${i}_${j}: __typename`).join(' ')} }`));
    }
    for (let i = 0; i < 200; i++) {
      // Alias floods of the store-reading fields, just under the token limit.
      tasks.push(() =>
        gql(
          `{ ${Array.from({ length: 2_000 }, (_, j) => `s${j}: score(driverId: "D${i}X${j}") { score }`).join(' ')} }`,
        ),
      );
      tasks.push(() =>
        gql(
          `query($ids: [ID!]!) { ${Array.from({ length: 1_000 }, (_, j) => `b${j}: scores(driverIds: $ids, period: "2026-0${1 + (i % 9)}") { score }`).join(' ')} }`,
          {
            ids: Array.from({ length: 100 }, (_, j) => `F${i}X${j}`),
          },
        ),
      );
    }
    for (let i = 0; i < 40; i++) {
      // Distinct documents just inside the token limit: parsed and validated in full, too big to cache.
      tasks.push(() =>
        gql(`{ ${Array.from({ length: 4_999 }, (_, j) => `t${i}_${j}: __typename`).join(' ')} __typename }`),
      );
    }
    for (let i = 0; i < 2_000; i++) {
      const kind = i % 8;
      if (kind === 0)
        tasks.push(() => gql('query($id: ID!) { score(driverId: $id) { score } }', { id: { nested: i } }));
      if (kind === 1)
        tasks.push(() =>
          gql('query($l: Int) { scoreHistory(driverId: "AB12", limit: $l) { nextToken } }', { l: `x${i}` }),
        );
      if (kind === 2)
        tasks.push(() => gql(`{ scoreHistory(driverId: "AB12", nextToken: "forged${i}") { nextToken } }`));
      if (kind === 3) tasks.push(() => post(`{"query": "{ score(driverId: \\"A${i}\\") ${'{'.repeat(i % 50)}`));
      if (kind === 4) tasks.push(() => post(`{"query": ${i}}`));
      if (kind === 5)
        tasks.push(() => gql(`{ ${'score(driverId: "X") { factors { braking } } '.repeat(1 + (i % 30))}}`));
      if (kind === 6) tasks.push(() => post('not json at all', 'application/json'));
      if (kind === 7)
        tasks.push(() => gql(`{ __schema { types { name fields { name type { name ofType { name } } } } } }`));
    }

    await expectKnownDriversExact();
    const answers = await pool(tasks, 8);
    const statuses = new Map<number, number>();
    for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(answers.length).toBe(tasks.length);
    expect(child.exitCode).toBeNull();

    const rss = rssMb(child.pid as number);
    // The figures, for whoever reads the test log (the RSS bound above is set from them).
    process.stdout.write(
      `hostile traffic: ${answers.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, server RSS ${rss.toFixed(0)} MB\n`,
    );
    expect(rss).toBeLessThan(RSS_BOUND_MB);

    await expectKnownDriversExact();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
  }, 600_000);
});
