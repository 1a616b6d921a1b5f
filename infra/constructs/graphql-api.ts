import { readFileSync } from 'node:fs';
import { Expiration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AppsyncFunction,
  type AuthorizationMode,
  AuthorizationType,
  BackedDataSource,
  type BackedDataSourceProps,
  type BaseDataSource,
  type CfnGraphQLApi,
  Code,
  Definition,
  FunctionRuntime,
  GraphqlApi,
  IntrospectionConfig,
  Resolver,
  type SchemaBindOptions,
  SchemaFile,
} from 'aws-cdk-lib/aws-appsync';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSchema } from 'graphql';
import { type GraphQLAuthMode, OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS } from '../../src/contract/auth-modes';
import {
  checkDataSources,
  DATA_SOURCES,
  type DataSourceCatalogue,
  type DataSourceSpec,
  DEFAULT_DATA_SOURCE,
} from '../../src/contract/data-sources';
import type { FunctionBundle, ResolverBundle } from '../../src/contract/resolver-bundles';
import type { DataSourceName } from '../../src/contract/resolver-manifest';
import { assertResolversMatchSchema } from '../../src/contract/schema';
import { withStageAuthDirectives } from '../../src/contract/stage-schema';
import { grantTableRead } from './table-access';

/**
 * The DynamoDB actions the `scores` data source's resolvers and functions run: GetItem (`score`
 * with a period), Query (`score` without one, `scoreHistory`), BatchGetItem (`scores`), all on
 * the table itself. test/infra/least-privilege.test.ts derives the same set from the bundles'
 * requests, per data source, so code that starts another operation fails it until this list
 * (and the role) follow.
 */
export const RESOLVER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'] as const;

/**
 * Each AMAZON_DYNAMODB data source's actions, by catalogue name: its role gets these and no
 * more. A DynamoDB data source without an entry stops synth rather than getting a default.
 */
export const RESOLVER_TABLE_ACTIONS_BY_DATA_SOURCE: Readonly<Record<DataSourceName, readonly string[]>> = {
  scores: RESOLVER_TABLE_ACTIONS,
};

export interface ScoresGraphqlApiProps {
  readonly name: string;
  /** The deployed schema: schema/schema.graphql (AppSync supplies the AWS scalars itself). */
  readonly schemaFile: string;
  /** AppSync's own scalar and directive declarations, only to check the schema here. */
  readonly awsScalarsFile: string;
  /** The resolver bundles the offline runtime runs: one per root field, unit or pipeline. */
  readonly bundles: readonly ResolverBundle[];
  /**
   * The data sources the bundles name; each one some bundle uses is deployed, unused ones are not.
   * @default DATA_SOURCES (src/contract/data-sources.ts)
   */
  readonly dataSources?: DataSourceCatalogue;
  /**
   * The DynamoDB actions each AMAZON_DYNAMODB data source's role may run on the table.
   * @default RESOLVER_TABLE_ACTIONS_BY_DATA_SOURCE
   */
  readonly tableActions?: Readonly<Record<DataSourceName, readonly string[]>>;
  readonly table: ITableV2;
  /**
   * The table's customer-managed KMS key in this region (the replica's key in the DR region).
   * @default none: the table uses an AWS-owned key
   */
  readonly tableKeyArn?: string;
  /** The authorization modes, the default first (src/contract/auth-modes.ts). */
  readonly modes: readonly GraphQLAuthMode[];
  /** The API key's expiry, for API_KEY mode. */
  readonly apiKeyExpires?: Date;
  /** The issuer OPENID_CONNECT mode trusts (the Cognito user pool's). */
  readonly oidcIssuer?: string;
  readonly fieldLogLevel: 'NONE' | 'ERROR';
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly introspection: boolean;
  /** 0: no limit. */
  readonly queryDepthLimit: number;
  /** Most resolvers one request may run; 0: AppSync's default (10,000). */
  readonly resolverCountLimit: number;
}

/**
 * The AppSync GraphQL API: schema/schema.graphql, one APPSYNC_JS resolver (unit or pipeline) per
 * root field from the very bundles the offline runtime executes, pipeline functions shared
 * where they are the same, and one data source per catalogue entry in use, each with a role of
 * its own: the table's may run only its code's read actions on the scores table. Logs keep
 * errors only and never request or response content (driverIds are personal data); X-Ray
 * traces every request.
 */
export class ScoresGraphqlApi extends Construct {
  public readonly api: GraphqlApi;
  /** The deployed data sources, by catalogue name: only those some resolver or function uses. */
  public readonly dataSources: Readonly<Record<DataSourceName, BaseDataSource>>;
  /** The AppSync functions of the pipelines, each shared one once. */
  public readonly functions: readonly AppsyncFunction[];
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ScoresGraphqlApiProps) {
    super(scope, id);
    const sdl = readFileSync(props.schemaFile, 'utf8');
    // Same check as the offline server: a field without a resolver would answer null on AWS.
    assertResolversMatchSchema(
      buildSchema(`${readFileSync(props.awsScalarsFile, 'utf8')}\n${sdl}`),
      props.bundles.map((bundle) => `${bundle.typeName}.${bundle.fieldName}`),
    );

    // In the contract's order (src/contract/auth-modes.ts): the first is AppSync's default mode.
    const modes = props.modes.map((mode): AuthorizationMode => {
      switch (mode) {
        case 'API_KEY':
          if (!props.apiKeyExpires) throw new Error(`${props.name}: API_KEY mode needs apiKeyExpires`);
          return {
            authorizationType: AuthorizationType.API_KEY,
            apiKeyConfig: { description: 'ScoreDrive API key', expires: Expiration.atDate(props.apiKeyExpires) },
          };
        case 'AWS_IAM':
          return { authorizationType: AuthorizationType.IAM };
        case 'OPENID_CONNECT':
          if (!props.oidcIssuer) throw new Error(`${props.name}: OPENID_CONNECT mode needs an issuer`);
          return {
            authorizationType: AuthorizationType.OIDC,
            openIdConnectConfig: {
              oidcProvider: props.oidcIssuer,
              tokenExpiryFromIssue: OIDC_TOKEN_EXPIRY_FROM_ISSUE_MS,
            },
          };
        default:
          throw new Error(`${props.name}: no deployment for authorization mode ${mode satisfies never}`);
      }
    });
    const [defaultAuthorization, ...additionalAuthorizationModes] = modes;
    if (!defaultAuthorization) throw new Error(`${props.name}: no authorization mode is enabled`);

    this.api = new GraphqlApi(this, 'Api', {
      name: props.name,
      definition: Definition.fromSchema(new StageSchemaFile(props.schemaFile, props.modes)),
      authorizationConfig: { defaultAuthorization, additionalAuthorizationModes },
      xrayEnabled: true,
      introspectionConfig: props.introspection ? IntrospectionConfig.ENABLED : IntrospectionConfig.DISABLED,
      queryDepthLimit: props.queryDepthLimit,
      resolverCountLimit: props.resolverCountLimit,
      environmentVariables: { SCORES_TABLE: props.table.tableName },
    });

    // Logging is set on the L1 resource: the L2's logConfig always adds a custom-resource Lambda
    // (for retention) and a role with an AWS managed policy. Here the group is ours, with its
    // retention, and AppSync's role may write to that group only.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const logsRole = new Role(this, 'LogsRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'lets AppSync write this API logs, nothing else',
    });
    logsRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // A log group's Arn attribute ends in `:*`: it covers the group's streams.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    (this.api.node.defaultChild as CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: logsRole.roleArn,
      fieldLogLevel: props.fieldLogLevel,
      excludeVerboseContent: true,
    };

    const catalogue = props.dataSources ?? DATA_SOURCES;
    checkDataSources(catalogue);
    const tableActions = props.tableActions ?? RESOLVER_TABLE_ACTIONS_BY_DATA_SOURCE;
    const used = usedDataSources(props.bundles, catalogue);
    const dataSources: Record<DataSourceName, BaseDataSource> = {};
    const appSyncNames = new Map<string, DataSourceName>();
    for (const [name, spec] of Object.entries(catalogue)) {
      if (!used.has(name)) continue;
      const id = dataSourceId(name, spec);
      const clash = appSyncNames.get(id);
      if (clash) throw new Error(`data sources "${clash}" and "${name}" would both be deployed as ${id}`);
      appSyncNames.set(id, name);
      dataSources[name] = this.dataSourceFor(id, name, spec, props, tableActions);
    }
    this.dataSources = dataSources;
    const dataSourceNamed = (name: DataSourceName): BaseDataSource => dataSources[name] as BaseDataSource;

    // AppSync functions belong to the API, not to a pipeline: one with the same name, data
    // source and code (byte for byte, source map included) in several pipelines is deployed once.
    const uses = new Map<string, number>();
    for (const f of props.bundles.flatMap((b) => b.functions)) {
      const key = functionKey(f);
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
    const shared = new Map<string, AppsyncFunction>();
    const sharedNames = new Set<string>();
    const functionFor = (bundle: ResolverBundle, f: FunctionBundle): AppsyncFunction => {
      const key = functionKey(f);
      const existing = shared.get(key);
      if (existing) return existing;
      const common = {
        api: this.api,
        dataSource: dataSourceNamed(f.dataSource),
        runtime: FunctionRuntime.JS_1_0_0,
        code: Code.fromInline(f.code),
      };
      if ((uses.get(key) ?? 0) === 1) {
        // Used by one pipeline: named after its place there, as before sharing existed.
        return new AppsyncFunction(this, `${bundle.typeName}${bundle.fieldName}Fn${f.order}${f.name}`, {
          ...common,
          name: appSyncName(`${bundle.typeName}_${bundle.fieldName}_${f.order}_${f.name}`),
        });
      }
      // Shared: named after itself and its data source; a second variant (other code under the
      // same name) gets a number, in the order the pipelines (sorted by Type.field) first use it.
      const base = appSyncName(`${f.name}_${f.dataSource}`);
      let name = base;
      for (let n = 2; sharedNames.has(name); n += 1) name = `${base}_${n}`;
      sharedNames.add(name);
      const fn = new AppsyncFunction(this, `SharedFn${name}`, { ...common, name });
      shared.set(key, fn);
      return fn;
    };

    const functions = new Set<AppsyncFunction>();
    for (const bundle of props.bundles) {
      const id = `${bundle.typeName}${bundle.fieldName}`;
      if (bundle.kind === 'unit') {
        dataSourceNamed(bundle.dataSource ?? DEFAULT_DATA_SOURCE).createResolver(id, {
          typeName: bundle.typeName,
          fieldName: bundle.fieldName,
          runtime: FunctionRuntime.JS_1_0_0,
          code: Code.fromInline(bundle.code),
        });
        continue;
      }
      // A pipeline: its functions in order (shared ones reused), then the resolver over them.
      const pipelineConfig = bundle.functions.map((f) => functionFor(bundle, f));
      for (const fn of pipelineConfig) functions.add(fn);
      new Resolver(this, id, {
        api: this.api,
        typeName: bundle.typeName,
        fieldName: bundle.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: Code.fromInline(bundle.code),
        pipelineConfig,
      });
    }
    this.functions = [...functions];
  }

  /**
   * One catalogue entry as an AppSync data source, each with a role of its own or none: a
   * DynamoDB one may run its resolvers' actions on the table (and decrypt through DynamoDB
   * with the table's key); an HTTP one has a role AppSync can assume but no policy, so no AWS
   * access (the catalogue has no IAM-signing setting yet); NONE has no role at all.
   */
  private dataSourceFor(
    id: string,
    name: DataSourceName,
    spec: DataSourceSpec,
    props: ScoresGraphqlApiProps,
    tableActions: Readonly<Record<DataSourceName, readonly string[]>>,
  ): BaseDataSource {
    switch (spec.kind) {
      case 'AMAZON_DYNAMODB': {
        const actions = tableActions[name];
        if (!actions || actions.length === 0) {
          throw new Error(
            `data source "${name}" (AMAZON_DYNAMODB): no table actions for its role (list them in tableActions)`,
          );
        }
        // Kept at this scope (ScoresTable for `scores`), so the deployed data source keeps its logical id.
        const dataSource = new ScoresTableDataSource(this, id, {
          api: this.api,
          table: props.table,
          description: spec.description,
        });
        grantTableRead(dataSource, props.table, { actions, encryptionKeyArn: props.tableKeyArn });
        return dataSource;
      }
      case 'NONE':
        return this.api.addNoneDataSource(id, { description: spec.description });
      case 'HTTP':
        return this.api.addHttpDataSource(id, spec.endpoint, { description: spec.description });
    }
  }
}

/**
 * The catalogue's names some resolver or function uses; a name the catalogue does not have
 * stops synth, naming the bundle (bundles built against another catalogue than the one deployed).
 */
function usedDataSources(bundles: readonly ResolverBundle[], catalogue: DataSourceCatalogue): Set<DataSourceName> {
  const used = new Set<DataSourceName>();
  const use = (name: DataSourceName, file: string) => {
    if (!Object.hasOwn(catalogue, name)) {
      throw new Error(
        `${file}: names the data source "${name}", which the catalogue does not have (known: ${Object.keys(catalogue).join(', ')})`,
      );
    }
    used.add(name);
  };
  for (const bundle of bundles) {
    if (bundle.kind === 'unit') use(bundle.dataSource ?? DEFAULT_DATA_SOURCE, bundle.bundleFile);
    for (const f of bundle.functions) use(f.dataSource, f.bundleFile);
  }
  return used;
}

/**
 * The construct id, which is also the AppSync data source's name: `scores` (DynamoDB) is
 * ScoresTable and `none` is None, the names they were deployed under before the catalogue.
 */
function dataSourceId(name: DataSourceName, spec: DataSourceSpec): string {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  if (spec.kind === 'AMAZON_DYNAMODB') return `${pascal}Table`;
  if (spec.kind === 'HTTP') return `${pascal}Http`;
  return pascal;
}

const functionKey = (f: FunctionBundle) => JSON.stringify([f.name, f.dataSource, f.code]);

/** AppSync names are letters, digits and `_`. */
const appSyncName = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * A DynamoDB data source that grants nothing by itself. CDK's DynamoDbDataSource always grants
 * (`readOnlyAccess` means `table.grantReadData`: Scan, ConditionCheckItem, DescribeTable and
 * the stream reads besides what resolvers use); here the caller grants what its resolvers run.
 */
export class ScoresTableDataSource extends BackedDataSource {
  constructor(scope: Construct, id: string, props: BackedDataSourceProps & { readonly table: ITableV2 }) {
    super(scope, id, props, {
      type: 'AMAZON_DYNAMODB',
      dynamoDbConfig: { tableName: props.table.tableName, awsRegion: props.table.env.region },
    });
  }
}

/**
 * The schema file as the stage deploys it: every object type without auth directives of its
 * own opened to each of the stage's modes (src/contract/stage-schema.ts), so an OIDC or IAM
 * caller reaches the fields on AWS as offline.
 */
class StageSchemaFile extends SchemaFile {
  constructor(
    filePath: string,
    private readonly modes: readonly GraphQLAuthMode[],
  ) {
    super({ filePath });
  }

  override bind(api: Parameters<SchemaFile['bind']>[0], options?: SchemaBindOptions) {
    const config = super.bind(api, options);
    return { ...config, definition: withStageAuthDirectives(config.definition, this.modes) };
  }
}
