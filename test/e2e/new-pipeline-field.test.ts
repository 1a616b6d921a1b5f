/**
 * The README's walk-through "To add a pipeline field", done on a copy of the project: a schema
 * change and files under resolvers/ only. The new field is closed until lib/authorize.ts gives
 * it a permission (AppSync's Unauthorized), then served offline, and synthesised by CDK as a
 * pipeline resolver whose first function is the shared authorize step.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoreDriveApp } from '../../infra/app';
import { RESOLVERS_DIR, SCHEMA_DIR } from '../../src/contract/project-paths';
import { buildResolverBundles } from '../../src/contract/resolver-bundles';
import { graphql, startTestService, tempDir } from '../helpers/service';
import { NOW } from '../infra/synth';

let project: { dir: string; remove: () => Promise<void> };
let resolversDir: string;
let schemaDir: string;

/** Step 1 and 2 of the walk-through, as files: the field, its folder, its steps. */
async function addPingField(): Promise<void> {
  const schemaFile = path.join(schemaDir, 'schema.graphql');
  const schema = await readFile(schemaFile, 'utf8');
  const edited = schema.replace(
    /type Query \{\n/,
    'type Query {\n  "Answers pong: a field of the walk-through."\n  ping: String\n',
  );
  expect(edited).not.toBe(schema);
  await writeFile(schemaFile, edited);
  const folder = path.join(resolversDir, 'Query.ping');
  await cp(path.join(resolversDir, 'Query.score', 'index.ts'), path.join(folder, 'index.ts'));
  await cp(path.join(resolversDir, 'Query.score', '1.authorize.[none].ts'), path.join(folder, '1.authorize.[none].ts'));
  await writeFile(
    path.join(folder, '2.pong.[none].ts'),
    `import type { Context } from '@aws-appsync/utils';
export function request(_ctx: Context) { return { payload: 'pong' }; }
export function response(ctx: Context) { return ctx.result; }
`,
  );
}

async function grantPing(): Promise<void> {
  const file = path.join(resolversDir, 'lib', 'authorize.ts');
  const text = await readFile(file, 'utf8');
  const edited = text.replace(
    "  'Query.scores': { scopes: [READ_SCOPE] },\n",
    "  'Query.scores': { scopes: [READ_SCOPE] },\n  'Query.ping': { scopes: [READ_SCOPE] },\n",
  );
  expect(edited).not.toBe(text);
  await writeFile(file, edited);
}

beforeAll(async () => {
  project = await tempDir('scoredrive-new-field-');
  resolversDir = path.join(project.dir, 'resolvers');
  schemaDir = path.join(project.dir, 'schema');
  await cp(RESOLVERS_DIR, resolversDir, { recursive: true });
  await cp(SCHEMA_DIR, schemaDir, { recursive: true });
  await addPingField();
});
afterAll(async () => project.remove());

describe('adding a pipeline field with a schema change and files under resolvers/ only', () => {
  it('is refused until its permission is written down, then served offline', async () => {
    const { service, stop } = await startTestService({
      accessLog: false,
      resolversDir,
      schemaDir,
      bundlesDir: path.join(project.dir, 'bundles'),
    });
    try {
      const closed = (await graphql(service, '{ ping }')).body;
      expect(closed.data).toEqual({ ping: null });
      expect(
        (closed.errors ?? []).map((e: { errorType: string; message: string }) => [e.errorType, e.message]),
      ).toEqual([['Unauthorized', 'Not Authorized to access ping on type Query']]);

      await grantPing();
      await service.reloadResolvers();
      expect((await graphql(service, '{ ping }')).body).toEqual({ data: { ping: 'pong' } });
      // The fields that were there keep answering.
      const driverId = (await service.exampleDriverId()) as string;
      expect((await graphql(service, `{ score(driverId: "${driverId}") { driverId } }`)).body).toEqual({
        data: { score: { driverId } },
      });
    } finally {
      await stop();
    }
  });

  it('is synthesised by CDK as a pipeline over the shared authorize function and a NONE step', async () => {
    const bundles = await buildResolverBundles({ sourceDir: resolversDir, outDir: path.join(project.dir, 'synth') });
    const { primary } = createScoreDriveApp(bundles, { context: { stage: 'dev' }, now: NOW, schemaDir });
    const template = Template.fromStack(primary);
    const functions = template.findResources('AWS::AppSync::FunctionConfiguration');
    const resolvers = Object.values(template.findResources('AWS::AppSync::Resolver'));
    const pipelineOf = (field: string) => {
      const resolver = resolvers.find((r) => r.Properties.FieldName === field);
      expect(resolver?.Properties.Kind, field).toBe('PIPELINE');
      const refs: { 'Fn::GetAtt': [string, string] }[] = resolver?.Properties.PipelineConfig?.Functions ?? [];
      return refs.map((ref) => ref['Fn::GetAtt'][0]);
    };
    const ping = pipelineOf('ping');
    const bundle = bundles.find((b) => b.fieldName === 'ping');
    expect(ping.map((id) => functions[id]?.Properties.Code)).toEqual(bundle?.functions.map((f) => f.code));
    // One authorize function, deployed once, in front of the new field and the old ones alike.
    expect(ping[0]).toBe(pipelineOf('score')[0]);
    expect(functions[ping[0] as string]?.Properties.Name).toMatch(/authorize/);
  });
});
