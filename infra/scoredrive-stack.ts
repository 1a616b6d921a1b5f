import path from 'node:path';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct, IConstruct } from 'constructs';
import type { DataSourceCatalogue } from '../src/contract/data-sources';
import type { ResolverBundle } from '../src/contract/resolver-bundles';
import { graphqlApiName, scoresTableName } from '../src/contract/resource-names';
import { AWS_SCALARS_FILE, SCHEMA_FILE } from '../src/contract/schema';
import { ScoresGraphqlApi } from './constructs/graphql-api';
import { MachineClients } from './constructs/machine-clients';
import { RegionalFailover } from './constructs/regional-failover';
import { RestFacade } from './constructs/rest-facade';
import { ScoresTable } from './constructs/scores-table';
import { ServiceDashboard } from './constructs/service-dashboard';
import { ApiWebAcl } from './constructs/web-acl';
import type { StageSettings } from './stages';

export interface ScoreDriveStackProps extends StackProps {
  readonly settings: StageSettings;
  /** The primary region owns the table (and its replica); the DR region reads the replica. */
  readonly role: 'primary' | 'dr';
  readonly bundles: readonly ResolverBundle[];
  /**
   * The data sources the bundles name.
   * @default DATA_SOURCES (src/contract/data-sources.ts)
   */
  readonly dataSources?: DataSourceCatalogue;
  /**
   * The folder holding schema.graphql and aws-scalars.graphql.
   * @default SCHEMA_DIR (the project's schema/)
   */
  readonly schemaDir?: string;
}

/** One stage in one region: the table (or its replica), both APIs, WAF, dashboard and alarms, DNS failover. */
export class ScoreDriveStack extends Stack {
  public readonly table: ITableV2;
  public readonly scoresTable?: ScoresTable;
  public readonly graphql: ScoresGraphqlApi;
  public readonly rest: RestFacade;
  public readonly dashboard: ServiceDashboard;
  public readonly webAcl?: ApiWebAcl;
  public readonly machineClients?: MachineClients;
  public readonly failover?: RegionalFailover;

  constructor(scope: Construct, id: string, props: ScoreDriveStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const tableName = scoresTableName(settings.name);
    const name = graphqlApiName(settings.name, props.role);

    if (props.role === 'primary') {
      this.scoresTable = new ScoresTable(this, 'Scores', {
        tableName,
        pointInTimeRecovery: settings.table.pointInTimeRecovery,
        deletionProtection: settings.table.deletionProtection,
        customerManagedKey: settings.table.customerManagedKey,
        replicaRegions: settings.drRegion ? [settings.drRegion] : [],
        replicaKeyArns:
          settings.drRegion && settings.table.replicaKeyArn
            ? { [settings.drRegion]: settings.table.replicaKeyArn }
            : undefined,
        removalPolicy: settings.removalPolicy,
      });
      this.table = this.scoresTable.table;
    } else {
      this.table = ScoresTable.replicaIn(this, 'Scores', tableName);
    }
    // Readers of a table under a customer-managed key need that key: the replica's key in the DR region.
    const tableKeyArn =
      props.role === 'primary'
        ? this.scoresTable?.key?.keyArn
        : settings.table.customerManagedKey
          ? settings.table.replicaKeyArn
          : undefined;

    if (settings.auth.iamAndOAuth) {
      this.machineClients = new MachineClients(this, 'MachineClients', {
        name,
        removalPolicy: settings.removalPolicy,
      });
    }

    this.graphql = new ScoresGraphqlApi(this, 'GraphQL', {
      name,
      schemaFile: props.schemaDir ? path.join(props.schemaDir, path.basename(SCHEMA_FILE)) : SCHEMA_FILE,
      awsScalarsFile: props.schemaDir ? path.join(props.schemaDir, path.basename(AWS_SCALARS_FILE)) : AWS_SCALARS_FILE,
      bundles: props.bundles,
      dataSources: props.dataSources,
      table: this.table,
      tableKeyArn,
      modes: settings.auth.graphqlModes,
      apiKeyExpires: settings.auth.apiKeyExpires,
      oidcIssuer: this.machineClients?.issuer,
      fieldLogLevel: settings.logs.graphqlFieldLogLevel,
      logRetention: settings.logs.retention,
      removalPolicy: settings.removalPolicy,
      introspection: settings.graphql.introspection,
      queryDepthLimit: settings.graphql.queryDepthLimit,
      resolverCountLimit: settings.graphql.resolverCountLimit,
    });

    this.rest = new RestFacade(this, 'Rest', {
      name,
      stageName: settings.name,
      table: this.table,
      tableKeyArn,
      throttling: settings.throttling,
      executionLogLevel: settings.logs.restExecutionLogLevel,
      logRetention: settings.logs.retention,
      removalPolicy: settings.removalPolicy,
      userPool: this.machineClients?.userPool,
      oauthScope: settings.auth.restOAuthScope,
    });

    if (settings.waf.enabled) {
      this.webAcl = new ApiWebAcl(this, 'Waf', {
        name,
        rateLimitPer5Minutes: settings.waf.rateLimitPer5Minutes,
        protectedArns: { Rest: this.rest.api.deploymentStage.stageArn, GraphQL: this.graphql.api.arn },
      });
    }

    this.dashboard = new ServiceDashboard(this, 'Observability', {
      name: `${name}-${this.region}`,
      restApiName: name,
      restStage: settings.name,
      graphqlApiId: this.graphql.api.apiId,
      tableName,
      alarms: settings.alarms,
      removalPolicy: settings.removalPolicy,
    });

    if (settings.customDomain && settings.drRegion) {
      this.failover = new RegionalFailover(this, 'Failover', {
        domain: settings.customDomain,
        api: this.rest.api,
        stageName: settings.name,
        role: props.role === 'primary' ? 'PRIMARY' : 'SECONDARY',
      });
    }

    new CfnOutput(this, 'GraphqlUrl', { value: this.graphql.api.graphqlUrl });
    new CfnOutput(this, 'RestUrl', { value: this.rest.api.url });
    new CfnOutput(this, 'RestApiKeyId', { value: this.rest.apiKey.keyId });
    // What `scoredrive report --graphql-api-id … --rest-api-name …` needs to read the stage's metrics.
    new CfnOutput(this, 'GraphqlApiId', { value: this.graphql.api.apiId });
    new CfnOutput(this, 'RestApiName', { value: name });
    this.suppressAcceptedFindings(settings);
  }

  /** cdk-nag findings we accept, each with the reason a reviewer needs. */
  private suppressAcceptedFindings(settings: StageSettings): void {
    const accept = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
    accept(
      this.graphql.api,
      'AwsSolutions-ASC3',
      'Request-level logging at ALL would write arguments (driverIds: personal data) to CloudWatch; ' +
        'field logs stay at ERROR with verbose content excluded, and X-Ray traces every request.',
    );
    accept(
      this.rest.api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'API Gateway’s account-level CloudWatch role uses the AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs, as AWS documents.',
    );
    const health = this.rest.api.root.getResource('health');
    if (health) {
      accept(
        health,
        'AwsSolutions-APIG4',
        'GET /health answers Route 53 health checkers, which cannot authenticate; it returns only the table status.',
      );
      accept(
        health,
        'AwsSolutions-COG4',
        'GET /health answers Route 53 health checkers, which cannot present a token.',
      );
    }
    if (!settings.auth.iamAndOAuth) {
      for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        accept(
          this.rest.api,
          id,
          `The ${settings.name} stage authenticates REST callers with API keys only (stage setting auth.iamAndOAuth); test and prod add OAuth.`,
        );
      }
    }
    if (!settings.waf.enabled) {
      accept(
        this.rest.api,
        'AwsSolutions-APIG3',
        `The ${settings.name} stage runs without WAF (stage setting waf.enabled); test and prod have it.`,
      );
    }
    if (this.machineClients) {
      accept(
        this.machineClients.userPool,
        'AwsSolutions-COG2',
        'The pool has no users: only machine clients with the client-credentials grant, which has no MFA step.',
      );
      accept(
        this.machineClients.userPool,
        'AwsSolutions-COG8',
        'Plus-tier threat protection watches user sign-ins and passwords; this pool has neither, only client credentials.',
      );
    }
  }
}
