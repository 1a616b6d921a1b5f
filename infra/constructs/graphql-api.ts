import { readFileSync } from 'node:fs';
import { Duration, Expiration, type RemovalPolicy } from 'aws-cdk-lib';
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
} from 'aws-cdk-lib/aws-appsync';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSchema } from 'graphql';
import type { ResolverBundle } from '../../src/contract/resolver-bundles';
import type { DataSourceName } from '../../src/contract/resolver-manifest';
import { assertResolversMatchSchema } from '../../src/contract/schema';
import { grantTableRead } from './table-access';

/**
 * The DynamoDB actions the resolvers' requests run: GetItem (`score` with a period), Query
 * (`score` without one, `scoreHistory`), BatchGetItem (`scores`), all on the table itself.
 * test/infra/least-privilege.test.ts derives the same set from the bundles' requests, so a
 * resolver that starts another operation fails it until this list (and the role) follow.
 */
export const RESOLVER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'] as const;

export interface ScoresGraphqlApiProps {
  readonly name: string;
  /** The deployed schema: schema/schema.graphql (AppSync supplies the AWS scalars itself). */
  readonly schemaFile: string;
  /** AppSync's own scalar and directive declarations, only to check the schema here. */
  readonly awsScalarsFile: string;
  /** The resolver bundles the offline runtime runs: one per root field. */
  readonly bundles: readonly ResolverBundle[];
  readonly table: ITableV2;
  /**
   * The table's customer-managed KMS key in this region (the replica's key in the DR region).
   * @default none: the table uses an AWS-owned key
   */
  readonly tableKeyArn?: string;
  /** @default no API key */
  readonly apiKeyExpires?: Date;
  /** IAM and OpenID Connect (the Cognito user pool's issuer) as further auth modes. */
  readonly oidcIssuer?: string;
  readonly iam: boolean;
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
 * The AppSync GraphQL API: schema/schema.graphql, one APPSYNC_JS unit resolver per root field
 * from the very bundles the offline runtime executes, and a DynamoDB data source whose role may
 * run only the resolvers' read actions on the scores table. Logs keep errors only and never
 * request or response content (driverIds are personal data); X-Ray traces every request.
 */
export class ScoresGraphqlApi extends Construct {
  public readonly api: GraphqlApi;
  public readonly dataSource: ScoresTableDataSource;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ScoresGraphqlApiProps) {
    super(scope, id);
    const sdl = readFileSync(props.schemaFile, 'utf8');
    // Same check as the offline server: a field without a resolver would answer null on AWS.
    assertResolversMatchSchema(
      buildSchema(`${readFileSync(props.awsScalarsFile, 'utf8')}\n${sdl}`),
      props.bundles.map((bundle) => `${bundle.typeName}.${bundle.fieldName}`),
    );

    const modes: AuthorizationMode[] = [];
    if (props.apiKeyExpires) {
      modes.push({
        authorizationType: AuthorizationType.API_KEY,
        apiKeyConfig: { description: 'ScoreDrive API key', expires: Expiration.atDate(props.apiKeyExpires) },
      });
    }
    if (props.iam) modes.push({ authorizationType: AuthorizationType.IAM });
    if (props.oidcIssuer) {
      modes.push({
        authorizationType: AuthorizationType.OIDC,
        openIdConnectConfig: {
          oidcProvider: props.oidcIssuer,
          tokenExpiryFromIssue: Duration.hours(1).toMilliseconds(),
        },
      });
    }
    const [defaultAuthorization, ...additionalAuthorizationModes] = modes;
    if (!defaultAuthorization) throw new Error(`${props.name}: no authorization mode is enabled`);

    this.api = new GraphqlApi(this, 'Api', {
      name: props.name,
      definition: Definition.fromFile(props.schemaFile),
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

    this.dataSource = new ScoresTableDataSource(this, 'ScoresTable', {
      api: this.api,
      table: props.table,
      description: 'the scores table, read-only',
    });
    grantTableRead(this.dataSource, props.table, {
      actions: RESOLVER_TABLE_ACTIONS,
      encryptionKeyArn: props.tableKeyArn,
    });

    // The resolver manifest (src/contract/resolver-manifest.ts) names data sources `scores` and
    // `none`; NONE needs no role. Made only when something uses it.
    const uses = (name: DataSourceName) =>
      props.bundles.some((b) => b.dataSource === name || b.functions.some((f) => f.dataSource === name));
    const none = uses('none')
      ? this.api.addNoneDataSource('None', { description: 'no data source (NONE)' })
      : undefined;
    const dataSourceNamed = (name: DataSourceName): BaseDataSource => {
      if (name === 'scores') return this.dataSource;
      if (none) return none;
      throw new Error(`data source ${name} is not deployed`);
    };

    for (const bundle of props.bundles) {
      const id = `${bundle.typeName}${bundle.fieldName}`;
      if (bundle.kind === 'unit') {
        dataSourceNamed(bundle.dataSource ?? 'scores').createResolver(id, {
          typeName: bundle.typeName,
          fieldName: bundle.fieldName,
          runtime: FunctionRuntime.JS_1_0_0,
          code: Code.fromInline(bundle.code),
        });
        continue;
      }
      // A pipeline: one AppSync function per file, in order, then the resolver over them.
      const pipelineConfig = bundle.functions.map(
        (f) =>
          new AppsyncFunction(this, `${id}Fn${f.order}${f.name}`, {
            api: this.api,
            name: `${bundle.typeName}_${bundle.fieldName}_${f.order}_${f.name}`.replace(/[^A-Za-z0-9_]/g, '_'),
            dataSource: dataSourceNamed(f.dataSource),
            runtime: FunctionRuntime.JS_1_0_0,
            code: Code.fromInline(f.code),
          }),
      );
      new Resolver(this, id, {
        api: this.api,
        typeName: bundle.typeName,
        fieldName: bundle.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: Code.fromInline(bundle.code),
        pipelineConfig,
      });
    }
  }
}

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
