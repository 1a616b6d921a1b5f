/**
 * How the data-source catalogue (src/contract/data-sources.ts) and the resolver bundles become
 * AppSync resources: one data source per catalogue entry some resolver or function uses, each
 * with a role of its own (NONE with none, HTTP with one that may do nothing in AWS), pipeline
 * functions deployed once however many pipelines share them, and pipeline resolvers running
 * them in order. What each role may do is derived in least-privilege.test.ts.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SOURCES, type DataSourceCatalogue, DEFAULT_DATA_SOURCE } from '../../src/contract/data-sources';
import { RESOLVERS_DIR } from '../../src/contract/project-paths';
import { buildResolverBundles, type ResolverBundle } from '../../src/contract/resolver-bundles';
import {
  DR_CONTEXT,
  resolverBundles,
  resourcesOf,
  type SynthesisedStage,
  synthesise,
  synthesiseBundles,
} from './synth';

type Template = SynthesisedStage['template'];

const functionKey = (f: ResolverBundle['functions'][number]) => JSON.stringify([f.name, f.dataSource, f.code]);

/** The name AppSync knows a catalogue entry by in this stack (what functions and resolvers name). */
function deployedName(stage: SynthesisedStage, dataSource: string): string {
  const deployed = stage.primary.graphql.dataSources[dataSource];
  if (!deployed) throw new Error(`data source ${dataSource} is not deployed`);
  return deployed.name;
}

/** The template's AppSync data sources: their properties, and their logical id as `id`. */
function dataSourceResources(template: Template): ({ id: string } & Record<string, any>)[] {
  return resourcesOf(template, 'AWS::AppSync::DataSource').map(([id, ds]) => ({ id, ...ds.Properties }));
}

/** The inline policies attached to a role, by the role's logical id. */
function policiesOf(template: Template, roleId: string) {
  return resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
  );
}

/**
 * Checks every resolver against its bundle: a unit resolver on its data source, a pipeline one
 * of Kind PIPELINE with its own code and its functions' code, data source and runtime in order.
 */
function expectResolversMatchBundles(stage: SynthesisedStage, bundles: readonly ResolverBundle[]): void {
  const functions = new Map(resourcesOf(stage.template, 'AWS::AppSync::FunctionConfiguration'));
  const resolvers = resourcesOf(stage.template, 'AWS::AppSync::Resolver').map(([, r]) => r.Properties);
  expect(resolvers).toHaveLength(bundles.length);
  for (const bundle of bundles) {
    const field = `${bundle.typeName}.${bundle.fieldName}`;
    const resolver = resolvers.find((r) => r.TypeName === bundle.typeName && r.FieldName === bundle.fieldName);
    expect(resolver?.Code, field).toBe(bundle.code);
    expect(resolver?.Runtime, field).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
    if (bundle.kind === 'unit') {
      expect(resolver?.Kind, field).toBe('UNIT');
      expect(resolver?.DataSourceName, field).toBe(deployedName(stage, bundle.dataSource ?? DEFAULT_DATA_SOURCE));
      continue;
    }
    expect(resolver?.Kind, field).toBe('PIPELINE');
    expect(resolver?.DataSourceName, field).toBeUndefined();
    const deployed = ((resolver?.PipelineConfig?.Functions ?? []) as { 'Fn::GetAtt': [string, string] }[]).map(
      (ref) => {
        expect(ref['Fn::GetAtt'][1]).toBe('FunctionId');
        return functions.get(ref['Fn::GetAtt'][0])?.Properties;
      },
    );
    expect(
      deployed.map((f) => [f?.Code, f?.DataSourceName]),
      `${field}: its functions, in order`,
    ).toEqual(bundle.functions.map((f) => [f.code, deployedName(stage, f.dataSource)]));
    for (const f of deployed) expect(f?.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
  }
}

describe('the data sources and functions deployed from resolvers/', () => {
  let bundles: ResolverBundle[];
  let dev: SynthesisedStage;
  let prodDr: SynthesisedStage;
  beforeAll(async () => {
    bundles = await resolverBundles();
    [dev, prodDr] = await Promise.all([synthesise({ stage: 'dev' }), synthesise(DR_CONTEXT)]);
  }, 120_000);

  const templates = () =>
    [
      ['dev', dev.template],
      ['prod, primary', prodDr.template],
      ['prod, DR region', prodDr.drTemplate as Template],
    ] as const;

  it('deploys one data source per catalogue entry the bundles use, by kind, each described as the catalogue says', () => {
    const used = new Set(
      bundles.flatMap((b) => [
        ...(b.kind === 'unit' ? [b.dataSource ?? DEFAULT_DATA_SOURCE] : []),
        ...b.functions.map((f) => f.dataSource),
      ]),
    );
    for (const [name, template] of templates()) {
      const deployed = dataSourceResources(template);
      expect(deployed, name).toHaveLength(used.size);
      for (const dataSource of used) {
        const spec = DATA_SOURCES[dataSource];
        const resource = deployed.find((ds) => ds.Name === deployedName(dev, dataSource));
        expect(resource, `${name}: ${dataSource}`).toMatchObject({ Type: spec?.kind, Description: spec?.description });
      }
    }
  });

  it('gives each data source its own role, and NONE none', () => {
    for (const [name, template] of templates()) {
      const deployed = dataSourceResources(template);
      const roles = deployed.flatMap((ds) => (ds.ServiceRoleArn ? [JSON.stringify(ds.ServiceRoleArn)] : []));
      expect(new Set(roles).size, name).toBe(roles.length);
      for (const ds of deployed) {
        if (ds.Type === 'NONE') expect(ds.ServiceRoleArn, `${name}: ${ds.Name}`).toBeUndefined();
        else expect(ds.ServiceRoleArn?.['Fn::GetAtt']?.[1], `${name}: ${ds.Name}`).toBe('Arn');
      }
      // The table's data source keeps the name (and logical id) it was first deployed under.
      expect(deployed.find((ds) => ds.Type === 'AMAZON_DYNAMODB')?.Name, name).toBe('ScoresTable');
    }
  });

  it('deploys each distinct function (name, data source and code) once, shared by the pipelines that run it', () => {
    const distinct = new Set(bundles.flatMap((b) => b.functions.map(functionKey)));
    for (const [name, template] of templates()) {
      const functions = resourcesOf(template, 'AWS::AppSync::FunctionConfiguration');
      expect(functions, name).toHaveLength(distinct.size);
      // Code several pipelines share (the authorize step, byte for byte) is one function they all reference.
      for (const key of distinct) {
        const [, , code] = JSON.parse(key) as [string, string, string];
        const deployed = functions.filter(([, f]) => f.Properties.Code === code);
        expect(deployed, `${name}: one function for ${key.slice(0, 60)}`).toHaveLength(1);
      }
    }
  });

  it('runs each field’s bundle: pipelines as Kind PIPELINE over their functions in order, unit resolvers on their data source', () => {
    expectResolversMatchBundles(dev, bundles);
    expectResolversMatchBundles(prodDr, bundles);
  });
});

const WEATHER: DataSourceCatalogue = {
  ...DATA_SOURCES,
  weather: { kind: 'HTTP', description: 'a weather service (test only)', endpoint: 'https://weather.example.com' },
  // In the catalogue, used by no file: not deployed.
  spare: { kind: 'HTTP', description: 'unused (test only)', endpoint: 'https://spare.example.com:443' },
};

const INDEX = `export function request(ctx) { return {}; }
export function response(ctx) { return ctx.prev.result; }
`;
/** Two checks under one name, with different code: never merged. */
const CHECK = (field: string) => `export function request(ctx) { return { payload: { field: '${field}' } }; }
export function response(ctx) { return ctx.prev.result; }
`;
/** The HTTP step, written once in lib/ and re-exported: byte-identical bundles in both pipelines. */
const LOOKUP_LIB = `export function request(ctx) { return { method: 'GET', resourcePath: '/v1/region', params: { query: { driver: ctx.args.driverId } } }; }
export function response(ctx) { return ctx.prev.result; }
`;
const LOOKUP = `export { request, response } from '../lib/lookup';
`;
const READ = `import { get } from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return get({ key: { driverId: ctx.args.driverId, period: ctx.args.period } }); }
export function response(ctx) { return ctx.result; }
`;

describe('a catalogue with an HTTP data source', () => {
  let root: string;
  let bundles: ResolverBundle[];
  let stage: SynthesisedStage;
  /**
   * A copy of resolvers/ where Query.score and Query.scores are pipelines of our own: a check
   * over NONE (different code in each), the shared lookup over `weather`, and in Query.score a
   * read over `scores`. Query.scoreHistory stays as resolvers/ has it.
   */
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'scoredrive-data-sources-'));
    const dir = path.join(root, 'resolvers');
    await cp(RESOLVERS_DIR, dir, { recursive: true });
    const files: Record<string, string> = {
      'lib/lookup.ts': LOOKUP_LIB,
      'Query.score/index.ts': INDEX,
      'Query.score/1.check.[none].ts': CHECK('score'),
      'Query.score/2.lookup.[weather].ts': LOOKUP,
      'Query.score/3.read.[scores].ts': READ,
      'Query.scores/index.ts': INDEX,
      'Query.scores/1.check.[none].ts': CHECK('scores'),
      'Query.scores/2.lookup.[weather].ts': LOOKUP,
    };
    for (const field of ['Query.score', 'Query.scores']) {
      await rm(path.join(dir, `${field}.ts`), { force: true });
      await rm(path.join(dir, field), { recursive: true, force: true });
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    bundles = await buildResolverBundles({ sourceDir: dir, outDir: path.join(root, 'out'), dataSources: WEATHER });
    stage = synthesiseBundles(bundles, { dataSources: WEATHER });
  }, 120_000);
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('deploys it as an HTTP data source on the catalogue’s endpoint, with a role of its own that may do nothing', () => {
    const [http, ...others] = dataSourceResources(stage.template).filter((ds) => ds.Type === 'HTTP');
    expect(others).toEqual([]);
    expect(http).toMatchObject({
      Name: 'WeatherHttp',
      Description: 'a weather service (test only)',
      HttpConfig: { Endpoint: 'https://weather.example.com' },
    });
    expect(http?.HttpConfig.AuthorizationConfig).toBeUndefined();
    const roleId = http?.ServiceRoleArn['Fn::GetAtt'][0] as string;
    const tableRole = dataSourceResources(stage.template).find((ds) => ds.Type === 'AMAZON_DYNAMODB')?.ServiceRoleArn;
    expect(tableRole['Fn::GetAtt'][0]).not.toBe(roleId);
    const role = stage.template.toJSON().Resources[roleId];
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('appsync.amazonaws.com');
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(policiesOf(stage.template, roleId)).toEqual([]);
  });

  it('leaves out a catalogue entry no file uses', () => {
    expect(stage.primary.graphql.dataSources.spare).toBeUndefined();
    expect(dataSourceResources(stage.template).map((ds) => ds.Name)).not.toContain('SpareHttp');
    expect(JSON.stringify(stage.template.toJSON())).not.toContain('spare.example.com');
  });

  it('shares the byte-identical lookup between both pipelines, and keeps the two different checks apart', () => {
    const functions = resourcesOf(stage.template, 'AWS::AppSync::FunctionConfiguration').map(([, f]) => f.Properties);
    const named = (name: string) => functions.filter((f) => f.Name === name);
    expect(named('lookup_weather')).toHaveLength(1);
    expect(named('lookup_weather')[0]?.DataSourceName).toBe('WeatherHttp');
    expect(named('Query_score_1_check')[0]?.Code).toContain(`field: "score"`);
    expect(named('Query_scores_1_check')[0]?.Code).toContain(`field: "scores"`);
    expect(named('Query_score_3_read')[0]?.DataSourceName).toBe('ScoresTable');
    expect(functions).toHaveLength(new Set(bundles.flatMap((b) => b.functions.map(functionKey))).size);
    expectResolversMatchBundles(stage, bundles);
  });

  it('stops synth, naming the bundle, when the bundles name a data source the catalogue lacks', () => {
    expect(() => synthesiseBundles(bundles)).toThrow(
      /Query\.score\/2\.lookup\.\[weather\]\.js: names the data source "weather", which the catalogue does not have \(known: scores, none\)/,
    );
  });

  it('stops synth when a DynamoDB data source has no table actions listed for its role', () => {
    const archive: DataSourceCatalogue = {
      ...DATA_SOURCES,
      archive: { kind: 'AMAZON_DYNAMODB', description: 'the same table (test only)', table: 'scores' },
    };
    const onArchive = bundles
      .filter((b) => b.fieldName !== 'score' && b.fieldName !== 'scores')
      .concat(
        bundles
          .filter((b) => b.fieldName === 'score' || b.fieldName === 'scores')
          .map((b) => ({ ...b, functions: b.functions.map((f) => ({ ...f, dataSource: 'archive' })) })),
      );
    expect(() => synthesiseBundles(onArchive, { dataSources: archive })).toThrow(
      /data source "archive" \(AMAZON_DYNAMODB\): no table actions for its role/,
    );
  });
});
