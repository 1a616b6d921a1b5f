/**
 * The resolver layout (aws-samples convention) read into the manifest, bundled, and run offline
 * from the bundles CDK deploys (how it deploys them: test/infra/data-sources.test.ts): a
 * pipeline folder `Query.score/` with `index.ts` and functions `<n>.<name>.[<ds>].ts`, and the
 * layout mistakes that stop the build with the file named.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVERS_DIR } from '../../src/contract/project-paths';
import { buildResolverBundles, type ResolverBundle } from '../../src/contract/resolver-bundles';
import { readResolverManifest } from '../../src/contract/resolver-manifest';
import { NoneDataSource } from '../../src/runtime/datasources/none';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { RecordingDataSource } from '../helpers/runtime';

const INDEX = `import { util } from '@aws-appsync/utils';
export function request(ctx) { ctx.stash.checked = []; return {}; }
export function response(ctx) { return ctx.prev.result; }
`;
const ALLOW = `export function request(ctx) { ctx.stash.checked.push('allow'); return { payload: { allowed: true } }; }
export function response(ctx) { return ctx.result; }
`;
const READ = `import { util } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  if (!ctx.prev.result.allowed) util.unauthorized();
  return get({ key: { driverId: ctx.args.driverId, period: ctx.args.period } });
}
export function response(ctx) { return ctx.result; }
`;

let root: string;
let dir: string;
/** A copy of resolvers/ where Query.score is a pipeline: an `allow` step over NONE, then the read. */
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'scoredrive-layout-'));
  dir = path.join(root, 'resolvers');
  await cp(RESOLVERS_DIR, dir, { recursive: true });
  // Whichever form resolvers/ gives Query.score (a unit file or a pipeline folder), it is replaced.
  await rm(path.join(dir, 'Query.score.ts'), { force: true });
  await rm(path.join(dir, 'Query.score'), { recursive: true, force: true });
  await mkdir(path.join(dir, 'Query.score'));
  await writeFile(path.join(dir, 'Query.score', 'index.ts'), INDEX);
  await writeFile(path.join(dir, 'Query.score', '1.allow.[none].ts'), ALLOW);
  await writeFile(path.join(dir, 'Query.score', '2.read.[scores].ts'), READ);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('a pipeline folder', () => {
  let bundles: ResolverBundle[];
  beforeAll(async () => {
    bundles = await buildResolverBundles({ sourceDir: dir, outDir: path.join(root, 'out') });
  });

  it('is read as a pipeline whose functions run in the order of their number, each over its data source', async () => {
    const score = (await readResolverManifest(dir)).find((e) => e.fieldName === 'score');
    expect(score).toMatchObject({ kind: 'pipeline', typeName: 'Query' });
    expect(score?.kind === 'pipeline' && score.functions.map((f) => [f.order, f.name, f.dataSource])).toEqual([
      [1, 'allow', 'none'],
      [2, 'read', 'scores'],
    ]);
    const bundle = bundles.find((b) => b.fieldName === 'score');
    expect(bundle?.bundleFile).toBe(path.join(root, 'out', 'Query.score', 'index.js'));
    expect(bundle?.functions.map((f) => path.relative(root, f.bundleFile))).toEqual([
      path.join('out', 'Query.score', '1.allow.[none].js'),
      path.join('out', 'Query.score', '2.read.[scores].js'),
    ]);
  });

  it('runs offline from its bundles: the NONE step, then the read, the stash through both', async () => {
    const scores = new RecordingDataSource().answer({ result: { driverId: 'AB12', period: '2026-10', score: 77 } });
    const runtime = new ResolverRuntime({ dataSource: scores, dataSources: { none: new NoneDataSource() }, env: {} });
    runtime.loadBundles(bundles);
    const outcome = await runtime.resolve({
      parentTypeName: 'Query',
      fieldName: 'score',
      args: { driverId: 'AB12', period: '2026-10' },
    });
    expect(outcome).toEqual({ value: { driverId: 'AB12', period: '2026-10', score: 77 }, errors: [] });
    expect(scores.requests).toEqual([
      { operation: 'GetItem', key: { driverId: { S: 'AB12' }, period: { S: '2026-10' } } },
    ]);
  });
});

describe('layout mistakes stop the build, naming the file', () => {
  async function layout(files: Record<string, string>): Promise<string> {
    const where = await mkdtemp(path.join(root, 'case-'));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(where, name)), { recursive: true });
      await writeFile(path.join(where, name), text);
    }
    return where;
  }

  const cases: [string, Record<string, string>, RegExp][] = [
    ['a file that is no resolver', { 'query.score.ts': ALLOW }, /query\.score\.ts: not a resolver/],
    [
      'an unknown data source',
      { 'Query.score.[weather].ts': ALLOW },
      /names the data source "weather", which does not exist \(known: scores, none\)/,
    ],
    [
      'a pipeline without index.ts',
      { 'Query.score/1.allow.[none].ts': ALLOW },
      /Query\.score: a pipeline resolver folder needs an index\.ts/,
    ],
    [
      'a misnamed function',
      { 'Query.score/index.ts': INDEX, 'Query.score/allow.ts': ALLOW },
      /allow\.ts: not a pipeline function/,
    ],
    [
      'two functions with one number',
      { 'Query.score/index.ts': INDEX, 'Query.score/1.a.[none].ts': ALLOW, 'Query.score/1.b.[none].ts': ALLOW },
      /1\.b\.\[none\]\.ts: has the same order number as 1\.a\.\[none\]\.ts/,
    ],
    [
      'a unit resolver and a pipeline for one field',
      { 'Query.score.ts': ALLOW, 'Query.score/index.ts': INDEX, 'Query.score/1.a.[none].ts': ALLOW },
      /Query\.score already has a resolver/,
    ],
    ['a function-less pipeline', { 'Query.score/index.ts': INDEX }, /needs at least one function/],
  ];
  for (const [kind, files, message] of cases) {
    it(kind, async () => {
      await expect(readResolverManifest(await layout(files))).rejects.toThrow(message);
    });
  }
});
