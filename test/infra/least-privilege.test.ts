/**
 * Least privilege, derived rather than listed: the AppSync data-source role may run exactly the
 * DynamoDB actions the resolver bundles' requests need, and the REST facade's role exactly the
 * actions its deployed integrations call, both on the table only (no index, no stream), plus
 * the table's customer-managed key through DynamoDB where there is one.
 *
 * The resolvers' operations come from running each bundle's request handler offline
 * (EvaluateCode) with arguments that reach each of its branches, cross-checked against the
 * `@aws-appsync/utils/dynamodb` helpers the bundle imports, so a branch the arguments miss
 * fails here too. The REST actions come from the synthesised methods' integration URIs, and
 * their request templates are rendered to check which table (and whether an index) they name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolverBundle } from '../../src/contract/resolver-bundles';
import { evaluateCode } from '../../src/evaluate/index';
import { renderMappingTemplate } from '../../src/runtime/vtl/api-gateway';
import { DR_CONTEXT, resolverBundles, resourcesOf, type SynthesisedStage, synthesiseEveryStage } from './synth';

type Template = SynthesisedStage['template'];
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * What each AppSync DynamoDB request operation is authorised as (DynamoDB's API permissions
 * reference: BatchPutItem and BatchDeleteItem are both BatchWriteItem calls). An operation
 * missing here fails the test: add it, with the action IAM checks for it.
 */
const IAM_ACTIONS_OF_OPERATION: Record<string, readonly string[]> = {
  GetItem: ['dynamodb:GetItem'],
  PutItem: ['dynamodb:PutItem'],
  UpdateItem: ['dynamodb:UpdateItem'],
  DeleteItem: ['dynamodb:DeleteItem'],
  Query: ['dynamodb:Query'],
  Scan: ['dynamodb:Scan'],
  BatchGetItem: ['dynamodb:BatchGetItem'],
  BatchPutItem: ['dynamodb:BatchWriteItem'],
  BatchDeleteItem: ['dynamodb:BatchWriteItem'],
};

/** The request operation each `@aws-appsync/utils/dynamodb` helper builds (src/runtime/modules/dynamodb.ts). */
const OPERATION_OF_HELPER: Record<string, string | undefined> = {
  get: 'GetItem',
  put: 'PutItem',
  remove: 'DeleteItem',
  update: 'UpdateItem',
  query: 'Query',
  scan: 'Scan',
  sync: 'Sync',
  batchGet: 'BatchGetItem',
  batchPut: 'BatchPutItem',
  batchDelete: 'BatchDeleteItem',
  transactGet: 'TransactGetItems',
  transactWrite: 'TransactWriteItems',
  // Value helpers: no request of their own.
  operations: undefined,
  toStringSet: undefined,
  toNumberSet: undefined,
  toBinarySet: undefined,
};

/**
 * Arguments reaching every request each resolver can send: Query.score with and without a
 * period, scoreHistory with each shape of range and a page token, scores with a repeated id.
 * A resolver with no entry here fails the test.
 */
const REPRESENTATIVE_ARGUMENTS: Record<string, readonly Record<string, unknown>[]> = {
  'Query.score': [{ driverId: 'D1', period: '2026-09' }, { driverId: 'D1' }],
  'Query.scoreHistory': [
    { driverId: 'D1' },
    { driverId: 'D1', from: '2026-01' },
    { driverId: 'D1', to: '2026-09' },
    { driverId: 'D1', from: '2026-01', to: '2026-09', limit: 6, nextToken: 'token' },
  ],
  'Query.scores': [{ driverIds: ['D1', 'D2', 'D1'], period: '2026-09' }],
};

/** The table name the offline run gives `ctx.env.SCORES_TABLE`, as the deployed API's environment does. */
const TABLE = 'scoredrive-prod-scores';

interface DerivedAccess {
  readonly operations: Set<string>;
  readonly actions: Set<string>;
  /** Indexes a request names (each would need `<table ARN>/index/<name>`). */
  readonly indexes: Set<string>;
  /** Tables a batch request names besides the data source's own. */
  readonly otherTables: Set<string>;
}

async function requestOf(bundle: ResolverBundle, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = await evaluateCode({
    runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
    code: bundle.code,
    context: JSON.stringify({ arguments: args, env: { SCORES_TABLE: TABLE } }),
    function: 'request',
  });
  const field = `${bundle.typeName}.${bundle.fieldName}`;
  if (out.error || out.evaluationResult === undefined) {
    throw new Error(`${field}(${JSON.stringify(args)}) sent no request: ${out.error?.message}`);
  }
  return JSON.parse(out.evaluationResult);
}

/** The request operations a bundle's code can build: the dynamodb helpers it imports, and literal `operation:`s. */
function operationsInCode(code: string): Set<string> {
  const found = new Set<string>();
  for (const [, names] of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']@aws-appsync\/utils\/dynamodb["']/g)) {
    for (const name of names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
      if (!name) continue;
      if (!(name in OPERATION_OF_HELPER)) throw new Error(`unknown @aws-appsync/utils/dynamodb export ${name}`);
      const operation = OPERATION_OF_HELPER[name];
      if (operation) found.add(operation);
    }
  }
  for (const [, ns] of code.matchAll(/import\s*\*\s*as\s+(\w+)\s+from\s*["']@aws-appsync\/utils\/dynamodb["']/g)) {
    for (const [, name] of code.matchAll(new RegExp(`\\b${ns}\\.(\\w+)`, 'g'))) {
      const operation = OPERATION_OF_HELPER[name];
      if (operation) found.add(operation);
    }
  }
  for (const [, operation] of code.matchAll(/\boperation\s*:\s*["'](\w+)["']/g)) found.add(operation);
  return found;
}

async function deriveResolverAccess(bundles: readonly ResolverBundle[]): Promise<DerivedAccess> {
  const derived: DerivedAccess = {
    operations: new Set(),
    actions: new Set(),
    indexes: new Set(),
    otherTables: new Set(),
  };
  for (const bundle of bundles) {
    const field = `${bundle.typeName}.${bundle.fieldName}`;
    // A pipeline's table reads are in its `scores` functions, which need the earlier steps'
    // ctx.prev and stash to run: not derived yet, so refused rather than silently left out.
    if (bundle.kind === 'pipeline' || (bundle.dataSource ?? 'scores') !== 'scores') {
      throw new Error(`${field}: derive the table access of a pipeline or non-table resolver here first`);
    }
    const cases = REPRESENTATIVE_ARGUMENTS[field];
    if (!cases) throw new Error(`${field}: add representative arguments to REPRESENTATIVE_ARGUMENTS`);
    const exercised = new Set<string>();
    for (const args of cases) {
      const request = await requestOf(bundle, args);
      const operation = String(request.operation);
      const actions = IAM_ACTIONS_OF_OPERATION[operation];
      if (!actions) throw new Error(`${field} sends ${operation}: map it in IAM_ACTIONS_OF_OPERATION`);
      exercised.add(operation);
      derived.operations.add(operation);
      for (const action of actions) derived.actions.add(action);
      if (typeof request.index === 'string') derived.indexes.add(request.index);
      for (const table of Object.keys((request.tables as object | undefined) ?? {})) {
        if (table !== TABLE) derived.otherTables.add(table);
      }
    }
    // A helper the bundle imports but no representative call reached: a branch the arguments miss.
    expect([...operationsInCode(bundle.code)].sort(), `${field}: operations in its code vs. exercised`).toEqual(
      [...exercised].sort(),
    );
  }
  return derived;
}

/** The inline policy statements attached to a role, by the role's logical id. */
function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const isDynamoDb = (s: Statement) => actionsOf([s]).every((a) => a.startsWith('dynamodb:'));
const isKms = (s: Statement) => actionsOf([s]).every((a) => a.startsWith('kms:'));

function roleOfDataSource(template: Template): string {
  const sources = resourcesOf(template, 'AWS::AppSync::DataSource').filter(
    ([, ds]) => ds.Properties.Type === 'AMAZON_DYNAMODB',
  );
  expect(sources).toHaveLength(1);
  return sources[0][1].Properties.ServiceRoleArn['Fn::GetAtt'][0];
}

/** The table ARN as the stack sees it: its own table's Arn attribute, or the replica's ARN in the DR region. */
function expectTableArn(resource: unknown, template: Template, drRegion?: string): void {
  if (drRegion) {
    const arn = JSON.stringify(resource);
    expect(arn).toContain(`:dynamodb:${drRegion}:`);
    expect(arn).toMatch(/:table\/scoredrive-prod-scores"\]\]\}$/);
    return;
  }
  const [tableId] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0];
  expect(resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
}

/** Only with a customer-managed key: decrypt and describe that key, through DynamoDB in this region only. */
function expectKeyAccess(statements: Statement[], template: Template, stage: TemplateCase): void {
  const kms = statements.filter(isKms);
  if (!stage.customerManagedKey) {
    expect(kms).toEqual([]);
    return;
  }
  expect(kms).toHaveLength(1);
  expect(kms[0]).toMatchObject({
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:DescribeKey'],
    Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${stage.region}.amazonaws.com` } },
  });
  if (stage.drRegion) {
    expect(kms[0].Resource).toBe(DR_CONTEXT.replicaKeyArn);
  } else {
    const [keyId] = resourcesOf(template, 'AWS::KMS::Key').find(([id]) => id.startsWith('ScoresKey')) ?? [];
    expect(kms[0].Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  }
}

/** Checks common to both roles: nothing but the derived actions, on the table only, and the key where there is one. */
function expectExactTableAccess(statements: Statement[], template: Template, stage: TemplateCase, actions: string[]) {
  expect(statements.every((s) => s.Effect === 'Allow' && (isDynamoDb(s) || isKms(s)))).toBe(true);
  const table = statements.filter(isDynamoDb);
  expect([...new Set(actionsOf(table))].sort()).toEqual([...actions].sort());
  for (const statement of table) {
    expect(statement.Condition).toBeUndefined();
    expectTableArn(statement.Resource, template, stage.drRegion);
    expect(JSON.stringify(statement.Resource)).not.toMatch(/\/index\/|\/stream\/|\*/);
  }
  expectKeyAccess(statements, template, stage);
}

interface TemplateCase {
  readonly name: string;
  readonly template: Template;
  readonly region: string;
  readonly customerManagedKey: boolean;
  /** The DR stack's region: it reads the replica there. */
  readonly drRegion?: string;
}

let cases: TemplateCase[];
let resolverAccess: DerivedAccess;

beforeAll(async () => {
  const { dev, test, prod, prodDr } = await synthesiseEveryStage();
  const caseOf = (name: string, s: SynthesisedStage): TemplateCase => ({
    name,
    template: s.template,
    region: s.settings.region,
    customerManagedKey: s.settings.table.customerManagedKey,
  });
  cases = [caseOf('dev', dev), caseOf('test', test), caseOf('prod', prod), caseOf('prod with DR, primary', prodDr)];
  const drRegion = prodDr.settings.drRegion as string;
  if (prodDr.drTemplate) {
    cases.push({
      ...caseOf('prod with DR, DR region', prodDr),
      template: prodDr.drTemplate,
      region: drRegion,
      drRegion,
    });
  }
  resolverAccess = await deriveResolverAccess(await resolverBundles());
}, 120_000);

describe('the AppSync data-source role', () => {
  it('derives the resolvers’ needs from their requests: GetItem, Query and BatchGetItem on the table alone', () => {
    // Today's resolvers, as read from their requests; the role checks below use the derived set, not this list.
    expect([...resolverAccess.operations].sort()).toEqual(['BatchGetItem', 'GetItem', 'Query']);
    expect([...resolverAccess.indexes]).toEqual([]);
    expect([...resolverAccess.otherTables]).toEqual([]);
  });

  it('grants exactly the actions the resolvers’ requests need, on the table only, in every stage and region', () => {
    expect(cases).toHaveLength(5);
    for (const stage of cases) {
      const role = roleOfDataSource(stage.template);
      const statements = statementsOf(stage.template, role);
      expect(statements.length, stage.name).toBeGreaterThan(0);
      expectExactTableAccess(statements, stage.template, stage, [...resolverAccess.actions]);
      const granted = actionsOf(statements);
      for (const unneeded of [
        'dynamodb:Scan',
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:DescribeTable',
      ]) {
        expect(granted, `${stage.name}: ${unneeded}`).not.toContain(unneeded);
      }
      const roleResource = stage.template.toJSON().Resources[role];
      expect(roleResource.Properties.ManagedPolicyArns).toBeUndefined();
      expect(JSON.stringify(roleResource.Properties.AssumeRolePolicyDocument)).toContain('appsync.amazonaws.com');
    }
  });
});

/** Values for the route parameters the methods declare; an unknown parameter fails the test. */
const SAMPLE_PARAMETERS: Record<string, string> = { driverId: 'D1', period: '2026-09' };

/** Each set of parameters a method can receive: required ones always, each optional one with and without. */
function parameterCombinations(requestParameters: Record<string, boolean> = {}) {
  let combos: { path: Record<string, string>; query: Record<string, string> }[] = [{ path: {}, query: {} }];
  for (const [parameter, required] of Object.entries(requestParameters)) {
    const [, , where, name] = parameter.split('.');
    const value = SAMPLE_PARAMETERS[name];
    if (value === undefined) throw new Error(`no sample value for ${parameter}: add it to SAMPLE_PARAMETERS`);
    const key = where === 'path' ? 'path' : 'query';
    const withIt = combos.map((c) => ({ ...c, [key]: { ...c[key], [name]: value } }));
    combos = required ? withIt : [...combos, ...withIt];
  }
  return combos;
}

describe('the REST facade’s DynamoDB role', () => {
  it('grants exactly the actions its integrations call (Query; DescribeTable for /health), on the table only', () => {
    for (const stage of cases) {
      const integrations = resourcesOf(stage.template, 'AWS::ApiGateway::Method')
        .map(([, method]) => method.Properties)
        .filter((method) => method.Integration?.Type === 'AWS');
      expect(integrations.length, stage.name).toBeGreaterThan(0);
      const roles = new Set<string>();
      const actions = new Set<string>();
      for (const method of integrations) {
        const uri = JSON.stringify(method.Integration.Uri);
        const action = /:dynamodb:action\/(\w+)/.exec(uri)?.[1];
        expect(action, uri).toBeDefined();
        actions.add(`dynamodb:${action}`);
        roles.add(method.Integration.Credentials['Fn::GetAtt'][0]);
        // The body API Gateway sends for each parameter shape names the stage's table and no index.
        for (const { path, query } of parameterCombinations(method.RequestParameters)) {
          const body = renderMappingTemplate(method.Integration.RequestTemplates['application/json'], {
            request: {
              httpMethod: method.HttpMethod,
              resourcePath: '/',
              path: '/',
              pathParameters: path,
              queryParameters: query,
              headers: {},
              body: '',
              sourceIp: '192.0.2.1',
              requestId: 'r1',
              receivedAt: new Date(0),
            },
            stage: stage.name,
            stageVariables: { scoresTable: TABLE },
            payload: '',
          }).output;
          const request = JSON.parse(body);
          expect(request.TableName, body).toBe(TABLE);
          expect(request.IndexName, body).toBeUndefined();
        }
      }
      expect([...roles], stage.name).toHaveLength(1);
      const [role] = roles;
      expect([...actions].sort()).toEqual(['dynamodb:DescribeTable', 'dynamodb:Query']);
      expectExactTableAccess(statementsOf(stage.template, role), stage.template, stage, [...actions]);
    }
  });
});
