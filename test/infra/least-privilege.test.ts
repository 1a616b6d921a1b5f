/**
 * Least privilege, derived rather than listed: each AppSync data source's role may run exactly
 * the DynamoDB actions the code deployed on it needs, and the REST facade's role exactly the
 * actions its deployed integrations call, both on the table only (no index, no stream), plus
 * the table's customer-managed key through DynamoDB where there is one.
 *
 * The resolvers' operations come from running each request handler offline (EvaluateCode) with
 * arguments that reach each of its branches: a unit resolver's on its own, a pipeline's steps in
 * order, each function seeing the ctx.prev.result and stash the steps before it left. Only the
 * requests of code over AMAZON_DYNAMODB data sources count as table access; NONE functions must
 * return early or hand NONE a payload. Each is cross-checked against the
 * `@aws-appsync/utils/dynamodb` helpers the code imports, so a branch the arguments miss fails
 * here too. The REST actions come from the synthesised methods' integration URIs, and their
 * request templates are rendered to check which table (and whether an index) they name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_SOURCES, type DataSourceCatalogue, DEFAULT_DATA_SOURCE } from '../../src/contract/data-sources';
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

const noAccess = (): DerivedAccess => ({
  operations: new Set(),
  actions: new Set(),
  indexes: new Set(),
  otherTables: new Set(),
});

function addAccess(into: DerivedAccess, from: DerivedAccess): void {
  for (const key of ['operations', 'actions', 'indexes', 'otherTables'] as const) {
    for (const value of from[key]) into[key].add(value);
  }
}

/** The map's entry for `key`, made (and kept) on first use. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

/** What one handler answered through EvaluateCode: its value and the stash after it. */
interface Evaluated {
  readonly value: unknown;
  readonly stash: Record<string, unknown>;
}

/**
 * One handler, run offline through EvaluateCode on the context the step would see: the field's
 * arguments and info, the API's environment, and in a pipeline the stash and ctx.prev.result
 * the steps before it left.
 */
async function evaluate(
  code: string,
  handler: 'request' | 'response',
  context: Record<string, unknown>,
  label: string,
): Promise<Evaluated> {
  const out = await evaluateCode({
    runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
    code,
    context: JSON.stringify(context),
    function: handler,
  });
  if (out.error || out.evaluationResult === undefined) {
    throw new Error(`${label}: the ${handler} handler failed: ${out.error?.message}`);
  }
  return { value: JSON.parse(out.evaluationResult), stash: JSON.parse(out.stash ?? '{}') };
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A request only a data source with a role could run: DynamoDB's (or Lambda's) `operation`, or HTTP's. */
const needsARole = (value: unknown) =>
  isRecord(value) && (typeof value.operation === 'string' || 'resourcePath' in value || 'method' in value);

/** How a NONE function's request handler ended, as far as EvaluateCode shows it. */
interface NoneAnswer {
  readonly step: string;
  readonly answer: unknown;
  /**
   * `early`: runtime.earlyReturn, no data-source call; `payload`: a NONE request, its payload
   * handed back as ctx.result; `other`: anything else (a request meant for another data source).
   */
  readonly kind: 'early' | 'payload' | 'other';
}

/**
 * EvaluateCode answers an early return like any request object, so a NONE step's answer is read
 * as AppSync's NONE data source would take it: `{ payload }` is a NONE request; code that calls
 * runtime.earlyReturn answering something else (`{}` included: the authorize step passes an
 * empty ctx.prev.result on) returned early; `{}` from code that never returns early is a NONE
 * request without a payload.
 */
function noneAnswerOf(step: string, code: string, answer: unknown): NoneAnswer {
  if (needsARole(answer)) return { step, answer, kind: 'other' };
  const returnsEarly = /\bearlyReturn\s*\(/.test(code);
  if (isRecord(answer) && Object.keys(answer).every((key) => key === 'payload')) {
    if ('payload' in answer || !returnsEarly) return { step, answer, kind: 'payload' };
  }
  return { step, answer, kind: returnsEarly ? 'early' : 'other' };
}

interface ResolverAccess {
  /** By bundle code (a resolver's or a function's): what its requests need, for every field it serves. */
  readonly byCode: Map<string, DerivedAccess>;
  /** By catalogue data source. */
  readonly byDataSource: Map<string, DerivedAccess>;
  /** The operations each piece of code can build (its imports) against those its requests built. */
  readonly crossChecks: { step: string; inCode: string[]; exercised: string[] }[];
  readonly noneAnswers: NoneAnswer[];
}

/** One step that may reach a data source: a unit resolver, or a pipeline function. */
interface DataStep {
  readonly label: string;
  readonly code: string;
  readonly dataSource: string;
}

async function deriveResolverAccess(
  bundles: readonly ResolverBundle[],
  catalogue: DataSourceCatalogue = DATA_SOURCES,
): Promise<ResolverAccess> {
  const derived: ResolverAccess = { byCode: new Map(), byDataSource: new Map(), crossChecks: [], noneAnswers: [] };
  const exercisedByCode = new Map<string, { label: string; operations: Set<string> }>();
  const codeAccess = (step: DataStep) => ({
    access: entryOf(derived.byCode, step.code, noAccess),
    exercised: entryOf(exercisedByCode, step.code, () => ({ label: step.label, operations: new Set<string>() }))
      .operations,
  });

  /** A step's request, read by the kind of its data source; the value the next step gets as ctx.prev.result. */
  async function runStep(step: DataStep, context: Record<string, unknown>, last: boolean): Promise<Evaluated> {
    const spec = catalogue[step.dataSource];
    if (!spec) throw new Error(`${step.label}: data source ${step.dataSource} is not in the catalogue`);
    const requested = await evaluate(step.code, 'request', context, step.label);
    const { access, exercised } = codeAccess(step);
    if (spec.kind === 'NONE') {
      const answer = noneAnswerOf(step.label, step.code, requested.value);
      derived.noneAnswers.push(answer);
      if (answer.kind === 'early') return requested;
      const result = isRecord(requested.value) ? (requested.value.payload ?? null) : null;
      return evaluate(step.code, 'response', { ...context, stash: requested.stash, result }, step.label);
    }
    // A data-source step's response needs that source's answer, which only AWS (or the offline
    // twin) gives: a step after one has no representative ctx.prev.result here yet.
    if (!last) throw new Error(`${step.label}: a step after a ${spec.kind} function: give it a representative result`);
    if (spec.kind === 'AMAZON_DYNAMODB') {
      const request = requested.value as Record<string, unknown>;
      const operation = String(request.operation);
      const actions = IAM_ACTIONS_OF_OPERATION[operation];
      if (!actions) throw new Error(`${step.label} sends ${operation}: map it in IAM_ACTIONS_OF_OPERATION`);
      exercised.add(operation);
      access.operations.add(operation);
      for (const action of actions) access.actions.add(action);
      if (typeof request.index === 'string') access.indexes.add(request.index);
      for (const table of Object.keys((request.tables as object | undefined) ?? {})) {
        if (table !== TABLE) access.otherTables.add(table);
      }
    }
    // HTTP: the request goes to the endpoint, signed with nothing; it needs no AWS permission.
    return requested;
  }

  for (const bundle of bundles) {
    const field = `${bundle.typeName}.${bundle.fieldName}`;
    const cases = REPRESENTATIVE_ARGUMENTS[field];
    if (!cases) throw new Error(`${field}: add representative arguments to REPRESENTATIVE_ARGUMENTS`);
    const steps: DataStep[] =
      bundle.kind === 'unit'
        ? [{ label: field, code: bundle.code, dataSource: bundle.dataSource ?? DEFAULT_DATA_SOURCE }]
        : bundle.functions.map((f) => ({
            label: `${field} ${f.order}.${f.name}`,
            code: f.code,
            dataSource: f.dataSource,
          }));
    for (const args of cases) {
      const base = {
        arguments: args,
        env: { SCORES_TABLE: TABLE },
        info: { fieldName: bundle.fieldName, parentTypeName: bundle.typeName, variables: {} },
      };
      let carried: Evaluated | undefined;
      if (bundle.kind === 'pipeline') {
        // The before step: its value is the first function's ctx.prev.result.
        carried = await evaluate(bundle.code, 'request', { ...base, stash: {} }, `${field} (before step)`);
      }
      for (const [index, step] of steps.entries()) {
        const context = carried ? { ...base, stash: carried.stash, prev: { result: carried.value } } : base;
        carried = await runStep(step, context, index === steps.length - 1);
      }
    }
    if (bundle.kind === 'pipeline') {
      // The before and after steps call no data source: nothing in their code may build a request.
      derived.crossChecks.push({ step: `${field} (index)`, inCode: [...operationsInCode(bundle.code)], exercised: [] });
    }
    for (const step of steps) {
      const access = derived.byCode.get(step.code) ?? noAccess();
      addAccess(entryOf(derived.byDataSource, step.dataSource, noAccess), access);
    }
  }
  // A helper a bundle imports but no representative call reached: a branch the arguments miss
  // (and, in a NONE or HTTP function, a DynamoDB request it should not build at all).
  for (const [code, { label, operations }] of exercisedByCode) {
    derived.crossChecks.push({
      step: label,
      inCode: [...operationsInCode(code)].sort(),
      exercised: [...operations].sort(),
    });
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

interface DeployedDataSource {
  readonly logicalId: string;
  readonly name: string;
  readonly type: string;
  /** Its role's logical id; none for NONE. */
  readonly role?: string;
  /** The code of every unit resolver and function the template runs on it. */
  readonly codes: string[];
}

/** The template's AppSync data sources, each with the code deployed on it (joined by data source name). */
function deployedDataSources(template: Template): DeployedDataSource[] {
  const runsOn = [
    ...resourcesOf(template, 'AWS::AppSync::FunctionConfiguration'),
    ...resourcesOf(template, 'AWS::AppSync::Resolver').filter(([, r]) => r.Properties.Kind !== 'PIPELINE'),
  ].map(([, r]) => ({ dataSource: r.Properties.DataSourceName, code: r.Properties.Code as string }));
  return resourcesOf(template, 'AWS::AppSync::DataSource').map(([logicalId, ds]) => ({
    logicalId,
    name: ds.Properties.Name,
    type: ds.Properties.Type,
    role: ds.Properties.ServiceRoleArn?.['Fn::GetAtt']?.[0],
    codes: runsOn.filter((r) => r.dataSource === ds.Properties.Name).map((r) => r.code),
  }));
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
let bundles: ResolverBundle[];
let resolverAccess: ResolverAccess;

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
  bundles = await resolverBundles();
  resolverAccess = await deriveResolverAccess(bundles);
}, 120_000);

/** What the code deployed on one data source needs, from the offline runs; code not run here fails. */
function accessOfDeployed(dataSource: DeployedDataSource): DerivedAccess {
  const access = noAccess();
  for (const code of dataSource.codes) {
    const derived = resolverAccess.byCode.get(code);
    if (!derived) throw new Error(`${dataSource.name}: runs code no bundle has (not derived here)`);
    addAccess(access, derived);
  }
  return access;
}

describe('the AppSync data sources’ roles', () => {
  it('derives the table reads from the requests: GetItem, Query and BatchGetItem, all over `scores`, on the table alone', () => {
    // Today's resolvers, as read from their requests; the role checks below use the derived sets, not this list.
    expect(
      [...resolverAccess.byDataSource.keys()].filter((name) => DATA_SOURCES[name]?.kind === 'AMAZON_DYNAMODB'),
    ).toEqual(['scores']);
    const scores = resolverAccess.byDataSource.get('scores') ?? noAccess();
    expect([...scores.operations].sort()).toEqual(['BatchGetItem', 'GetItem', 'Query']);
    expect([...scores.indexes]).toEqual([]);
    expect([...scores.otherTables]).toEqual([]);
    for (const [name, access] of resolverAccess.byDataSource) {
      if (DATA_SOURCES[name]?.kind !== 'AMAZON_DYNAMODB') expect([...access.actions], name).toEqual([]);
    }
  });

  it('reaches every DynamoDB helper each bundle imports, and none in a step without a table', () => {
    expect(resolverAccess.crossChecks.length).toBeGreaterThan(0);
    for (const { step, inCode, exercised } of resolverAccess.crossChecks) {
      expect(inCode, `${step}: operations in its code vs. exercised`).toEqual(exercised);
    }
  });

  it('lets NONE functions send nothing a role would be needed for: they return early or hand NONE a payload', () => {
    const noneSteps = bundles.flatMap((b) =>
      b.kind === 'unit'
        ? DATA_SOURCES[b.dataSource ?? DEFAULT_DATA_SOURCE]?.kind === 'NONE'
          ? [`${b.typeName}.${b.fieldName}`]
          : []
        : b.functions
            .filter((f) => DATA_SOURCES[f.dataSource]?.kind === 'NONE')
            .map((f) => `${b.typeName}.${b.fieldName} ${f.order}.${f.name}`),
    );
    expect(new Set(resolverAccess.noneAnswers.map((a) => a.step))).toEqual(new Set(noneSteps));
    for (const { step, answer, kind } of resolverAccess.noneAnswers) {
      expect(['early', 'payload'], `${step} answered ${JSON.stringify(answer)}`).toContain(kind);
    }
  });

  it('grants each data source’s own role exactly what the code on it needs, on the table only, in every stage and region', () => {
    expect(cases).toHaveLength(5);
    for (const stage of cases) {
      const deployed = deployedDataSources(stage.template);
      const roles = deployed.flatMap((ds) => (ds.role ? [ds.role] : []));
      expect(new Set(roles).size, `${stage.name}: one role per data source`).toBe(roles.length);
      expect(
        deployed.some((ds) => ds.type === 'AMAZON_DYNAMODB'),
        stage.name,
      ).toBe(true);
      for (const ds of deployed) {
        const where = `${stage.name} ${ds.name}`;
        const access = accessOfDeployed(ds);
        if (ds.type === 'NONE') {
          expect(ds.role, where).toBeUndefined();
          expect([...access.actions], where).toEqual([]);
          continue;
        }
        expect(ds.role, where).toBeDefined();
        const role = ds.role as string;
        const statements = statementsOf(stage.template, role);
        const roleResource = stage.template.toJSON().Resources[role];
        expect(roleResource.Properties.ManagedPolicyArns, where).toBeUndefined();
        expect(roleResource.Properties.Policies, where).toBeUndefined();
        expect(JSON.stringify(roleResource.Properties.AssumeRolePolicyDocument)).toContain('appsync.amazonaws.com');
        if (ds.type !== 'AMAZON_DYNAMODB') {
          // HTTP (unsigned): AppSync calls the endpoint itself, with no AWS permission to use.
          expect(statements, where).toEqual([]);
          expect([...access.actions], where).toEqual([]);
          continue;
        }
        expect(access.actions.size, where).toBeGreaterThan(0);
        expect([...access.indexes], where).toEqual([]);
        expect([...access.otherTables], where).toEqual([]);
        expectExactTableAccess(statements, stage.template, stage, [...access.actions]);
        const granted = actionsOf(statements);
        for (const unneeded of [
          'dynamodb:Scan',
          'dynamodb:ConditionCheckItem',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:DescribeTable',
        ]) {
          expect(granted, `${where}: ${unneeded}`).not.toContain(unneeded);
        }
      }
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
