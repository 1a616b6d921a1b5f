import { readFileSync } from 'node:fs';
import { Duration, Expiration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  type AuthorizationMode,
  AuthorizationType,
  type CfnGraphQLApi,
  Code,
  Definition,
  DynamoDbDataSource,
  FunctionRuntime,
  GraphqlApi,
  IntrospectionConfig,
} from 'aws-cdk-lib/aws-appsync';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSchema } from 'graphql';
import type { ResolverBundle } from '../../src/build/resolver-bundles';
import { assertResolversMatchSchema } from '../../src/server/schema';

export interface ScoresGraphqlApiProps {
  readonly name: string;
  /** The deployed schema: schema/schema.graphql (AppSync supplies the AWS scalars itself). */
  readonly schemaFile: string;
  /** AppSync's own scalar and directive declarations, only to check the schema here. */
  readonly awsScalarsFile: string;
  /** The resolver bundles the offline runtime runs: one per root field. */
  readonly bundles: readonly ResolverBundle[];
  readonly table: ITableV2;
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
}

/**
 * The AppSync GraphQL API: schema/schema.graphql, one APPSYNC_JS unit resolver per root field
 * from the very bundles the offline runtime executes, and a DynamoDB data source that may only
 * read the scores table. Logs keep errors only and never request or response content (driverIds
 * are personal data); X-Ray traces every request.
 */
export class ScoresGraphqlApi extends Construct {
  public readonly api: GraphqlApi;
  public readonly dataSource: DynamoDbDataSource;
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

    this.dataSource = new DynamoDbDataSource(this, 'ScoresTable', {
      api: this.api,
      table: props.table,
      readOnlyAccess: true,
      description: 'the scores table, read-only',
    });

    for (const bundle of props.bundles) {
      this.dataSource.createResolver(`${bundle.typeName}${bundle.fieldName}`, {
        typeName: bundle.typeName,
        fieldName: bundle.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: Code.fromInline(bundle.code),
      });
    }
  }
}
