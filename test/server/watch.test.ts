/**
 * `serve --watch`: an edit under resolvers/ or schema/ is served without a restart; a broken
 * edit keeps the previous bundles serving and says why, naming the file and line.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVERS_DIR } from '../../src/contract/project-paths';
import { SCHEMA_DIR } from '../../src/contract/schema';
import { watchAndReload } from '../../src/server/watch';
import { graphql, startTestService, tempDir } from '../helpers/service';

let sources: { dir: string; remove: () => Promise<void> };
let resolversDir: string;
let schemaDir: string;
let service: Awaited<ReturnType<typeof startTestService>>['service'];
let stop: () => Promise<void>;
let watcher: ReturnType<typeof watchAndReload>;
const reloads: number[] = [];
const failures: string[] = [];

beforeAll(async () => {
  sources = await tempDir('scoredrive-watch-');
  resolversDir = path.join(sources.dir, 'resolvers');
  schemaDir = path.join(sources.dir, 'schema');
  await cp(RESOLVERS_DIR, resolversDir, { recursive: true });
  await cp(SCHEMA_DIR, schemaDir, { recursive: true });
  ({ service, stop } = await startTestService({
    accessLog: false,
    resolversDir,
    schemaDir,
    bundlesDir: path.join(sources.dir, 'bundles'),
  }));
  watcher = watchAndReload([resolversDir, schemaDir], () => service.reloadResolvers(), {
    debounceMs: 50,
    onReloaded: (ms) => reloads.push(ms),
    onFailed: (error) => failures.push(error instanceof Error ? error.message : String(error)),
  });
});
afterAll(async () => {
  watcher.close();
  await stop();
  await sources.remove();
});

const latest = async (driverId: string) =>
  (await graphql(service, `{ score(driverId: "${driverId}") { period modelVersion } }`)).body;

/** Waits for `count` reloads or failures in all, up to `ms`. */
async function eventually(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('no reload happened');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await watcher.settled();
}

describe('serve --watch', () => {
  it('serves an edited resolver without a restart, within a second of the save', async () => {
    const driverId = (await service.exampleDriverId()) as string;
    expect((await latest(driverId)).data.score.modelVersion).not.toBe('watched');
    const file = path.join(resolversDir, 'Query.score', '2.getScore.[scores].ts');
    const text = await readFile(file, 'utf8');
    const edited = text.replace(
      'return items.length > 0 ? items[0] : null;',
      "return items.length > 0 ? { ...items[0], modelVersion: 'watched' } : null;",
    );
    expect(edited).not.toBe(text);
    const saved = Date.now();
    await writeFile(file, edited);
    await eventually(() => reloads.length > 0);
    expect(Date.now() - saved).toBeLessThan(1000 + 500); // the reload itself, plus the test's polling
    expect(failures).toEqual([]);
    expect((await latest(driverId)).data.score.modelVersion).toBe('watched');
  });

  it('keeps the previous bundles serving when an edit does not build, and names the file and line', async () => {
    const driverId = (await service.exampleDriverId()) as string;
    const file = path.join(resolversDir, 'Query.score', '2.getScore.[scores].ts');
    const before = await readFile(file, 'utf8');
    await writeFile(file, `${before}\nexport function broken( {\n`);
    await eventually(() => failures.length > 0);
    expect(failures[0]).toMatch(/Query\.score\/2\.getScore\.\[scores\]\.ts:\d+:\d+/);
    expect((await latest(driverId)).data.score.modelVersion).toBe('watched');
    // Mended: the next save is served again.
    const reloaded = reloads.length;
    await writeFile(file, before);
    await eventually(() => reloads.length > reloaded);
  });

  it('refuses a resolver that AppSync would refuse at deploy, keeping the previous ones', async () => {
    const driverId = (await service.exampleDriverId()) as string;
    const file = path.join(resolversDir, 'Query.scores', '2.batchGetScores.[scores].ts');
    const before = await readFile(file, 'utf8');
    const failed = failures.length;
    await writeFile(file, `${before}\nexport function extra() { try { return 1; } catch { return 2; } }\n`);
    await eventually(() => failures.length > failed);
    expect(failures.at(-1)).toMatch(/Query\.scores\/2\.batchGetScores\.\[scores\]\.ts:\d+:\d+ no-try/);
    expect((await latest(driverId)).data.score.modelVersion).toBe('watched');
    const reloaded = reloads.length;
    await writeFile(file, before);
    await eventually(() => reloads.length > reloaded);
  });

  it('serves a new field once schema and resolver agree; either alone is refused as drift', async () => {
    const driverId = (await service.exampleDriverId()) as string;
    const failed = failures.length;
    await writeFile(
      path.join(resolversDir, 'Query.ping.[none].ts'),
      "export function request() { return { payload: 'pong' }; }\nexport function response(ctx) { return ctx.result; }\n",
    );
    await eventually(() => failures.length > failed);
    expect(failures.at(-1)).toMatch(/Query\.ping/);
    expect((await graphql(service, '{ ping }')).body.errors?.[0]?.message).toMatch(/ping/);

    const reloaded = reloads.length;
    const schemaFile = path.join(schemaDir, 'schema.graphql');
    const schema = await readFile(schemaFile, 'utf8');
    const edited = schema.replace(/type Query \{\n/, 'type Query {\n  ping: String\n');
    expect(edited).not.toBe(schema);
    await writeFile(schemaFile, edited);
    await eventually(() => reloads.length > reloaded);
    expect((await graphql(service, '{ ping }')).body).toEqual({ data: { ping: 'pong' } });
    expect((await latest(driverId)).data.score.modelVersion).toBe('watched');
  });
});
