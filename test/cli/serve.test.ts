/**
 * `scoredrive serve` as a user runs it: a real process on a real port, the banner, a curl-like
 * call with the printed key, a second server refused on the same data directory, SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { tempDir } from '../helpers/service';

const BIN = path.join(PROJECT_ROOT, 'bin/scoredrive.js');
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, SCOREDRIVE_API_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  const waitFor = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(stdout)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`);
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}\nstdout: ${stdout}\nstderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, output, waitFor };
}

describe('scoredrive serve', () => {
  it('starts on a fresh data directory, prints a working banner, and stops cleanly on SIGTERM', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const server = run(['serve', '--port', '0', '--data-dir', dir]);
    await server.waitFor(/curl -s (\S+)\/graphql/, 60_000);
    const { stdout } = server.output();
    const url = /GraphQL\s+(\S+)\/graphql/.exec(stdout)?.[1] as string;
    const key = /API key\s+(\S+)/.exec(stdout)?.[1] as string;
    const driverId = /driverId: \\"([A-Z0-9]+)\\"/.exec(stdout)?.[1] as string;
    expect(stdout).toMatch(/60000 records/);
    expect(key).toMatch(/^da2-[a-z2-7]{26}$/);

    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: `{ score(driverId: "${driverId}") { driverId period } }` }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { score: { driverId: string } } };
    expect(body.data.score.driverId).toBe(driverId);

    // The banner's REST example works as printed, over a real socket.
    const restUrl = /curl -s (\S+\/drivers\/\S+\/score) /.exec(stdout)?.[1] as string;
    const rest = await fetch(restUrl, { headers: { 'x-api-key': key } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('content-type')).toBe('application/json');
    expect(((await rest.json()) as { driverId: string }).driverId).toBe(driverId);

    const second = run(['serve', '--port', '0', '--data-dir', dir]);
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toContain(`the data directory ${dir} is in use by another scoredrive process`);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // No driverId in the logs: they identify people.
    expect(server.output().stderr).not.toContain(driverId);
    expect(server.output().stderr).toContain('store: table files read through the block cache, none memory-mapped');
    expect(server.output().stderr).toContain("store: LevelDB reads run on the store's own thread");

    // A restart keeps the data and the key, and seeds nothing (with LevelDB's memory maps, asked for).
    const again = run(['serve', '--port', '0', '--data-dir', dir, '--store-map-tables']);
    await again.waitFor(/curl -s (\S+)\/graphql/, 30_000);
    expect(again.output().stdout).toMatch(/60000 records/);
    expect(again.output().stdout).toContain(key);
    expect(again.output().stderr).not.toContain('seeding');
    expect(again.output().stderr).toContain('store: table files memory-mapped (--store-map-tables)');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});

describe('scoredrive serve killed while seeding', () => {
  it('completes the demo data on the next start (kill -9 loses nothing)', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const size = ['--demo-drivers', '4000', '--demo-months', '6'];
    const first = run(['serve', '--port', '0', '--data-dir', dir, ...size]);
    const deadline = Date.now() + 30_000;
    while (!first.output().stderr.includes('seeding the empty embedded store')) {
      if (Date.now() > deadline) throw new Error(`never started seeding: ${first.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    first.child.kill('SIGKILL');
    await first.exited;

    const second = run(['serve', '--port', '0', '--data-dir', dir, ...size]);
    await second.waitFor(/curl -s/, 60_000);
    expect(second.output().stderr).toContain('finishing the demo data an earlier start did not complete');
    expect(second.output().stdout).toMatch(/24000 records/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
