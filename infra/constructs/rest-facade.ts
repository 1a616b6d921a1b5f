import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKey,
  AuthorizationType,
  AwsIntegration,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  type IResource,
  LogGroupLogDestination,
  MethodLoggingLevel,
  PassthroughBehavior,
  RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REST_ROUTES, type RestRoute, readTemplate, TABLE_STAGE_VARIABLE } from '../../src/contract/rest/routes';
import { grantTableRead } from './table-access';

/**
 * One JSON line per call. `resourcePath` is the template (`/drivers/{driverId}/score`), never the
 * path with the driverId in it; nothing else here carries personal data.
 */
export const ACCESS_LOG_FIELDS = {
  requestTime: '$context.requestTime',
  requestId: '$context.requestId',
  stage: '$context.stage',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  apiKeyId: '$context.identity.apiKeyId',
  errorType: '$context.error.responseType',
  xrayTraceId: '$context.xrayTraceId',
};

export interface RestFacadeProps {
  readonly name: string;
  /** The API Gateway stage name: the ScoreDrive stage (dev, test, prod). */
  readonly stageName: string;
  readonly table: ITableV2;
  /**
   * The table's customer-managed KMS key in this region (the replica's key in the DR region).
   * @default none: the table uses an AWS-owned key
   */
  readonly tableKeyArn?: string;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly executionLogLevel: 'OFF' | 'ERROR';
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /**
   * Also require an OAuth access token from this user pool, with `scope`.
   * @default API key only
   */
  readonly userPool?: IUserPool;
  /** @default none */
  readonly oauthScope?: string;
}

/**
 * The REST facade: API Gateway calling DynamoDB directly (an AWS service integration, no
 * Lambda), with the mapping templates of src/contract/rest/ and the routes of src/contract/rest/routes.ts.
 * API keys and a usage plan throttle callers; JSON access logs, execution logs at ERROR
 * without data trace, X-Ray.
 */
export class RestFacade extends Construct {
  public readonly api: RestApi;
  public readonly apiKey: ApiKey;
  public readonly accessLogs: LogGroup;
  public readonly integrationRole: Role;

  constructor(scope: Construct, id: string, props: RestFacadeProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: props.name,
      description: 'ScoreDrive REST facade: GET /drivers/{driverId}/score',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: props.removalPolicy,
      deployOptions: {
        stageName: props.stageName,
        variables: { [TABLE_STAGE_VARIABLE]: props.table.tableName },
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: props.executionLogLevel === 'ERROR' ? MethodLoggingLevel.ERROR : MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
    });

    this.integrationRole = new Role(this, 'DynamoDBRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'lets the REST facade run the DynamoDB actions of its routes on the scores table, nothing else',
    });
    // Each route's integration action and nothing else: Query (the score route) and DescribeTable
    // (/health reports the table's status), on the table; no template names an index.
    grantTableRead(this.integrationRole, props.table, {
      actions: [...new Set(REST_ROUTES.map((route) => `dynamodb:${route.action}`))],
      encryptionKeyArn: props.tableKeyArn,
    });

    const validator = new RequestValidator(this, 'ParameterValidator', {
      restApi: this.api,
      validateRequestParameters: true,
      // No route takes a body; validating one costs nothing and keeps any future route honest.
      validateRequestBody: true,
    });
    const authorizer = props.userPool
      ? new CognitoUserPoolsAuthorizer(this, 'OAuth', { cognitoUserPools: [props.userPool] })
      : undefined;

    for (const route of REST_ROUTES) {
      const resource = route.path
        .split('/')
        .filter(Boolean)
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), this.api.root);
      resource.addMethod(route.method, this.integration(route), {
        apiKeyRequired: route.authenticated,
        requestValidator: validator,
        requestParameters: Object.fromEntries([
          ...route.pathParameters.map((name) => [`method.request.path.${name}`, true]),
          ...route.queryParameters.map((name) => [`method.request.querystring.${name}`, false]),
        ]),
        methodResponses: route.statuses.map((status) => ({ statusCode: String(status) })),
        ...(route.authenticated && authorizer
          ? {
              authorizer,
              authorizationType: AuthorizationType.COGNITO,
              authorizationScopes: props.oauthScope ? [props.oauthScope] : undefined,
            }
          : {}),
      });
    }

    this.apiKey = new ApiKey(this, 'ApiKey', { description: `${props.name} default key` });
    const plan = this.api.addUsagePlan('UsagePlan', {
      name: `${props.name}-plan`,
      throttle: props.throttling,
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    plan.addApiKey(this.apiKey);
  }

  private integration(route: RestRoute): AwsIntegration {
    return new AwsIntegration({
      service: 'dynamodb',
      action: route.action,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': readTemplate(route.requestTemplate) },
        integrationResponses: route.responses.map((response) => ({
          statusCode: String(response.statusCode),
          selectionPattern: response.selectionPattern,
          responseTemplates: { 'application/json': readTemplate(response.template) },
        })),
      },
    });
  }
}
