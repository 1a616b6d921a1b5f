/**
 * What each stage's CloudFormation holds, checked on the synthesised templates (offline: no AWS
 * account is involved). One block per concern of the infrastructure issue; the two DynamoDB
 * roles' permissions, derived from what the resolvers and routes call, are in least-privilege.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { parse, print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../infra/constructs/rest-facade';
import { SLA_PEAK_REQUESTS_PER_MINUTE } from '../../infra/stages';
import { STAGE_AUTH } from '../../src/contract/auth-modes';
import { GRAPHQL_LIMITS } from '../../src/contract/graphql-limits';
import { graphqlApiName } from '../../src/contract/resource-names';
import { REST_ROUTES, TEMPLATES_DIR } from '../../src/contract/rest/routes';
import { AUTH_DIRECTIVES, withStageAuthDirectives } from '../../src/contract/stage-schema';
import { integrationOf } from '../../src/server/rest-facade';
import { DR_CONTEXT, resolverBundles, resourcesOf, type SynthesisedStage, synthesise } from './synth';

let dev: SynthesisedStage;
let test: SynthesisedStage;
let prod: SynthesisedStage;
let prodDr: SynthesisedStage;

beforeAll(async () => {
  [dev, test, prod, prodDr] = await Promise.all([
    synthesise({ stage: 'dev' }),
    synthesise({ stage: 'test' }),
    synthesise({ stage: 'prod' }),
    synthesise(DR_CONTEXT),
  ]);
}, 120_000);

const stages = () => ({ dev, test, prod });

describe('the scores table', () => {
  it('has design.md’s key schema and on-demand billing in every stage', () => {
    for (const { template } of Object.values(stages())) {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: Match.stringLikeRegexp('^scoredrive-(dev|test|prod)-scores$'),
        KeySchema: [
          { AttributeName: 'driverId', KeyType: 'HASH' },
          { AttributeName: 'period', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'driverId', AttributeType: 'S' },
          { AttributeName: 'period', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      });
    }
  });

  it('has point-in-time recovery and deletion protection in test and prod, not in dev', () => {
    const replica = (s: SynthesisedStage) =>
      resourcesOf(s.template, 'AWS::DynamoDB::GlobalTable')[0][1].Properties.Replicas[0];
    expect(replica(dev)).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } });
    expect(replica(dev).DeletionProtectionEnabled).toBe(false);
    for (const s of [test, prod]) {
      expect(replica(s)).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
    dev.template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    prod.template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it('is encrypted with a rotated customer-managed key in prod', () => {
    prod.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    prod.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: 'encrypts the scoredrive-prod-scores table',
    });
    expect(resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable')[0][1].Properties.SSESpecification?.SSEType).not.toBe(
      'KMS',
    );
  });

  it('gets a replica in the DR region, encrypted with that region’s key', () => {
    const replicas = resourcesOf(prodDr.template, 'AWS::DynamoDB::GlobalTable')[0][1].Properties.Replicas;
    expect(replicas.map((r: { Region: string }) => r.Region).sort()).toEqual(['eu-central-1', 'eu-south-1']);
    const drReplica = replicas.find((r: { Region: string }) => r.Region === 'eu-central-1');
    expect(drReplica.SSESpecification.KMSMasterKeyId).toBe(DR_CONTEXT.replicaKeyArn);
    expect(drReplica.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
    prodDr.drTemplate?.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });
});

describe('the GraphQL API', () => {
  it('runs each resolver bundle the offline runtime runs, byte for byte, as APPSYNC_JS', async () => {
    const bundles = await resolverBundles();
    for (const { template } of [dev, prod, prodDr]) {
      const resolvers = resourcesOf(template, 'AWS::AppSync::Resolver').map(([, r]) => r.Properties);
      expect(resolvers).toHaveLength(bundles.length);
      for (const bundle of bundles) {
        const resolver = resolvers.find((r) => r.TypeName === bundle.typeName && r.FieldName === bundle.fieldName);
        expect(resolver?.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
        expect(resolver?.Code).toBe(bundle.code);
        expect(resolver?.Kind).toBe(bundle.kind === 'pipeline' ? 'PIPELINE' : 'UNIT');
      }
    }
  });

  it('deploys schema/schema.graphql with nothing but the stage’s auth directives added', () => {
    const schema = readFileSync(path.resolve('schema/schema.graphql'), 'utf8');
    prod.template.hasResourceProperties('AWS::AppSync::GraphQLSchema', {
      Definition: withStageAuthDirectives(schema, STAGE_AUTH.prod.graphql),
    });
    const deployed = resourcesOf(prod.template, 'AWS::AppSync::GraphQLSchema')[0]?.[1].Properties.Definition as string;
    expect(print(parse(deployed.replaceAll(/ @aws_(iam|oidc)/g, '')))).toBe(print(parse(schema)));
  });

  it('logs errors only, without request content, and traces with X-Ray', () => {
    for (const { template } of Object.values(stages())) {
      template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
        XrayEnabled: true,
        LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true, CloudWatchLogsRoleArn: Match.anyValue() },
      });
    }
    // The table's name, as the stack's own table resolves it.
    prod.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      EnvironmentVariables: { SCORES_TABLE: { Ref: Match.stringLikeRegexp('^ScoresTable') } },
    });
  });

  it('keeps its logs for the stage’s retention: a week in dev, a month in test, a year in prod', () => {
    const retention = (s: SynthesisedStage) =>
      resourcesOf(s.template, 'AWS::Logs::LogGroup').map(([, r]) => r.Properties.RetentionInDays);
    expect(new Set(retention(dev))).toEqual(new Set([7]));
    expect(new Set(retention(test))).toEqual(new Set([30]));
    expect(new Set(retention(prod))).toEqual(new Set([365]));
  });

  it('is named as the offline explorer names it: scoredrive-<stage>, -dr in the DR region (resource-names.ts)', () => {
    for (const [name, stage] of Object.entries(stages())) {
      expect(resourcesOf(stage.template, 'AWS::AppSync::GraphQLApi')[0][1].Properties.Name).toBe(graphqlApiName(name));
    }
    prod.template.hasResourceProperties('AWS::AppSync::GraphQLApi', { Name: 'scoredrive-prod' });
    const dr = prodDr.drTemplate;
    expect(dr && resourcesOf(dr, 'AWS::AppSync::GraphQLApi')[0][1].Properties.Name).toBe('scoredrive-prod-dr');
  });

  it('applies each stage’s introspection, query-depth and resolver-count limits (graphql-limits.ts)', () => {
    const cases = [...Object.entries(stages()), ['prod with DR', prodDr] as const];
    for (const [name, stage] of cases) {
      const expected = GRAPHQL_LIMITS[stage.settings.name];
      for (const template of [stage.template, stage.drTemplate].filter((t) => t !== undefined)) {
        const api = resourcesOf(template, 'AWS::AppSync::GraphQLApi')[0][1].Properties;
        expect(api.IntrospectionConfig, name).toBe(expected.introspection ? 'ENABLED' : 'DISABLED');
        expect(api.QueryDepthLimit, name).toBe(expected.queryDepthLimit);
        expect(api.ResolverCountLimit, name).toBe(expected.resolverCountLimit);
      }
    }
    // What the issue asked of prod, in plain numbers.
    prod.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      IntrospectionConfig: 'DISABLED',
      QueryDepthLimit: 5,
    });
    dev.template.hasResourceProperties('AWS::AppSync::GraphQLApi', { IntrospectionConfig: 'ENABLED' });
  });

  it('takes an API key with an explicit expiry in dev; IAM and OIDC tokens in prod', () => {
    dev.template.hasResourceProperties('AWS::AppSync::GraphQLApi', { AuthenticationType: 'API_KEY' });
    dev.template.hasResourceProperties('AWS::AppSync::ApiKey', {
      Expires: Date.UTC(2027, 9, 1) / 1000,
    });
    prod.template.resourceCountIs('AWS::AppSync::ApiKey', 0);
    prod.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AWS_IAM',
      AdditionalAuthenticationProviders: [
        { AuthenticationType: 'OPENID_CONNECT', OpenIDConnectConfig: { Issuer: Match.anyValue() } },
      ],
    });
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['client_credentials'],
      GenerateSecret: true,
    });
  });
  it('opens every type of the deployed schema to each of the stage’s modes, as AppSync needs for additional modes (security-authz)', () => {
    for (const [name, stage] of Object.entries({ dev, test, prod })) {
      const schema = resourcesOf(stage.template, 'AWS::AppSync::GraphQLSchema')[0]?.[1].Properties.Definition as string;
      const directives = STAGE_AUTH[name as 'dev' | 'test' | 'prod'].graphql
        .map((mode) => `@${AUTH_DIRECTIVES[mode]}`)
        .join(' ');
      const types = schema.split('\n').filter((line) => line.startsWith('type '));
      expect(types.length, name).toBeGreaterThanOrEqual(4);
      for (const line of types) expect(line, name).toMatch(new RegExp(`^type \\w+ ${directives} \\{$`));
    }
  });

  it('deploys each stage’s auth modes as the contract lists them, the default first (src/contract/auth-modes.ts)', () => {
    const stages = { dev, test, prod, prodDr } as const;
    for (const [label, stage] of Object.entries(stages)) {
      const name = label === 'prodDr' ? 'prod' : (label as 'dev' | 'test' | 'prod');
      const api = resourcesOf(stage.template, 'AWS::AppSync::GraphQLApi')[0]?.[1].Properties;
      const deployed = [
        api?.AuthenticationType,
        ...((api?.AdditionalAuthenticationProviders ?? []) as { AuthenticationType: string }[]).map(
          (mode) => mode.AuthenticationType,
        ),
      ];
      expect(deployed, label).toEqual(STAGE_AUTH[name].graphql);
      const scopes = resourcesOf(stage.template, 'AWS::ApiGateway::Method')
        .filter(([, method]) => method.Properties.ApiKeyRequired)
        .map(([, method]) => method.Properties.AuthorizationScopes ?? []);
      expect(scopes.length, label).toBeGreaterThan(0);
      const wanted = STAGE_AUTH[name].rest.oauthScope;
      for (const list of scopes) expect(list, label).toEqual(wanted ? [wanted] : []);
    }
  });
});

describe('the REST facade', () => {
  const method = (s: SynthesisedStage, resourcePart: string) =>
    resourcesOf(s.template, 'AWS::ApiGateway::Method').find(([id]) => id.includes(resourcePart))?.[1].Properties;

  it('calls DynamoDB directly with the mapping templates of src/contract/rest, byte for byte', () => {
    for (const route of REST_ROUTES) {
      const part = route.path === '/health' ? 'health' : 'score';
      const properties = method(prod, part);
      expect(properties?.HttpMethod).toBe('GET');
      expect(properties?.Integration.Type).toBe('AWS');
      expect(JSON.stringify(properties?.Integration.Uri)).toContain(`:dynamodb:action/${route.action}`);
      expect(properties?.Integration.RequestTemplates['application/json']).toBe(
        readFileSync(path.join(TEMPLATES_DIR, route.requestTemplate), 'utf8'),
      );
      for (const response of route.responses) {
        const integration = properties?.Integration.IntegrationResponses.find(
          (r: { StatusCode: string }) => r.StatusCode === String(response.statusCode),
        );
        expect(integration.SelectionPattern).toBe(response.selectionPattern);
        expect(integration.ResponseTemplates['application/json']).toBe(
          readFileSync(path.join(TEMPLATES_DIR, response.template), 'utf8'),
        );
      }
    }
    for (const s of [dev, test, prod]) s.template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('deploys exactly the templates the offline REST facade executes', () => {
    for (const route of REST_ROUTES) {
      const offline = integrationOf(route);
      const deployed = method(prod, route.path === '/health' ? 'health' : 'score')?.Integration;
      expect(deployed.RequestTemplates['application/json']).toBe(offline.requestTemplate);
      expect(
        deployed.IntegrationResponses.map(
          (r: { ResponseTemplates: Record<string, string> }) => r.ResponseTemplates['application/json'],
        ),
      ).toEqual(offline.responses.map((r) => r.template));
    }
  });

  it('requires an API key on the score route, an OAuth scope in prod, and validates parameters', () => {
    expect(method(dev, 'score')).toMatchObject({
      ApiKeyRequired: true,
      RequestParameters: { 'method.request.path.driverId': true, 'method.request.querystring.period': false },
      RequestValidatorId: expect.anything(),
    });
    expect(method(prod, 'score')).toMatchObject({
      ApiKeyRequired: true,
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: ['scoredrive/scores.read'],
    });
    expect(method(prod, 'health')).toMatchObject({ ApiKeyRequired: false, AuthorizationType: 'NONE' });
    prod.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
  });

  it('throttles the stage and the usage plan to fit the 500/min peak with headroom', () => {
    prod.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 25, BurstLimit: 50 } });
    prod.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [
        Match.objectLike({
          ThrottlingRateLimit: 25,
          ThrottlingBurstLimit: 50,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
    expect(25 * 60).toBeGreaterThan(500 * 2);
  });

  it('writes JSON access logs with time, resource, method, status, latency and source IP, and no driverId', () => {
    const stage = resourcesOf(prod.template, 'AWS::ApiGateway::Stage')[0][1].Properties;
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.Variables).toEqual({ scoresTable: { Ref: expect.stringMatching(/^ScoresTable/) } });
    const format = JSON.parse(stage.AccessLogSetting.Format);
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestTime: '$context.requestTime',
      resourcePath: '$context.resourcePath',
      httpMethod: '$context.httpMethod',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      sourceIp: '$context.identity.sourceIp',
    });
    // $context.path is the path as requested, driverId included; $context.resourcePath is the template.
    expect(stage.AccessLogSetting.Format).not.toMatch(/\$context\.path\b|\$input|\$method\.request/);
  });
});

describe('WAF', () => {
  const rateRule = (template: SynthesisedStage['template']) =>
    resourcesOf(template, 'AWS::WAFv2::WebACL')[0][1].Properties.Rules.find(
      (rule: { Statement: Record<string, unknown> }) => rule.Statement.RateBasedStatement,
    );

  it('protects both APIs in test and prod with AWS’s managed rule groups and a rate rule', () => {
    for (const s of [test, prod]) {
      s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Rules: [
          Match.objectLike({
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
          }),
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
            },
          }),
          Match.objectLike({
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: {
                Limit: s.settings.waf.rateLimitPer5Minutes,
                AggregateKeyType: 'IP',
                EvaluationWindowSec: 300,
              },
            },
          }),
        ],
      });
      const targets = resourcesOf(s.template, 'AWS::WAFv2::WebACLAssociation').map(([, a]) =>
        JSON.stringify(a.Properties.ResourceArn),
      );
      expect(targets).toHaveLength(2);
      expect(targets.some((t) => t.includes('/restapis/') && t.includes('/stages/'))).toBe(true);
      expect(targets.some((t) => t.includes('GraphQLApi'))).toBe(true);
    }
    dev.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('lets one client system send the whole SLA peak with 4× headroom before its IP is blocked', () => {
    // The SLA peak over the rule's 5-minute window, all of it from one address in the worst case.
    const peakPer5Minutes = SLA_PEAK_REQUESTS_PER_MINUTE * 5;
    const templates = [test.template, prod.template, prodDr.template, prodDr.drTemplate];
    for (const template of templates.filter((t) => t !== undefined)) {
      const rule = rateRule(template);
      expect(rule.Action).toEqual({ Block: {} });
      expect(rule.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
      expect(rule.Statement.RateBasedStatement.Limit).toBeGreaterThanOrEqual(4 * peakPer5Minutes);
    }
  });
});

describe('observability', () => {
  it('outputs what `scoredrive report` needs to read the stage’s CloudWatch metrics', () => {
    for (const [name, stage] of Object.entries(stages())) {
      const outputs = stage.template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs.RestApiName.Value).toBe(`scoredrive-${name}`);
      const appsync = resourcesOf(stage.template, 'AWS::AppSync::GraphQLApi')[0][0];
      expect(outputs.GraphqlApiId.Value).toEqual({ 'Fn::GetAtt': [appsync, 'ApiId'] });
    }
  });

  it('has a dashboard with calls, latency p50/p99/p99.8, 4xx, 5xx for both APIs, and DynamoDB', () => {
    const widgets = dashboardWidgets(prod);
    const graph = (title: string) => {
      const widget = widgets.find((w) => w.properties.title === title);
      expect(widget, title).toBeDefined();
      return (widget?.properties.metrics ?? []).map((m: unknown[]) => {
        const options = m.at(-1) as { stat: string };
        return `${m[0]} ${m[1]} ${options.stat}`;
      });
    };
    expect(graph('API calls')).toEqual(['AWS/ApiGateway Count Sum', 'AWS/AppSync Latency SampleCount']);
    expect(graph('4xx')).toEqual(['AWS/ApiGateway 4XXError Sum', 'AWS/AppSync 4XXError Sum']);
    expect(graph('5xx')).toEqual(['AWS/ApiGateway 5XXError Sum', 'AWS/AppSync 5XXError Sum']);
    expect(graph('REST latency (ms)')).toEqual([
      'AWS/ApiGateway Latency p50',
      'AWS/ApiGateway Latency p99',
      'AWS/ApiGateway Latency p99.8',
    ]);
    expect(graph('GraphQL latency (ms)')).toEqual([
      'AWS/AppSync Latency p50',
      'AWS/AppSync Latency p99',
      'AWS/AppSync Latency p99.8',
    ]);
    expect(graph('share of answers within 1000 ms (%)')).toEqual([
      'AWS/ApiGateway Latency PR(0:1000)',
      'AWS/AppSync Latency PR(0:1000)',
    ]);
    expect(graph('DynamoDB latency (ms)')).toEqual([
      'AWS/DynamoDB SuccessfulRequestLatency p99',
      'AWS/DynamoDB SuccessfulRequestLatency p99',
      'AWS/DynamoDB SuccessfulRequestLatency p99',
    ]);
    expect(graph('DynamoDB read throttles')).toEqual(['AWS/DynamoDB ReadThrottleEvents Sum']);
  });

  it('alarms on the SLA (99.8% within 1000 ms per hour), the 5xx rate and throttling, to an encrypted topic', () => {
    const alarms = resourcesOf(prod.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const sla = alarms.filter((a) => a.Metrics?.[0]?.MetricStat?.Stat === 'PR(0:1000)');
    expect(sla.map((a) => a.Metrics[0].MetricStat.Metric.Namespace).sort()).toEqual(['AWS/ApiGateway', 'AWS/AppSync']);
    for (const alarm of sla) {
      expect(alarm).toMatchObject({ Threshold: 99.8, ComparisonOperator: 'LessThanThreshold' });
      expect(alarm.Metrics[0].MetricStat).toMatchObject({ Period: 3600, Metric: { MetricName: 'Latency' } });
    }
    const errorRates = alarms.filter((a) =>
      a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('errors')),
    );
    expect(errorRates).toHaveLength(2);
    expect(errorRates[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarms.some((a) => a.MetricName === 'ReadThrottleEvents' && a.Threshold === 1)).toBe(true);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain('ObservabilityAlarms');
    prod.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('disaster recovery', () => {
  it('deploys the same APIs in the DR region on the table’s replica', () => {
    const dr = prodDr.drTemplate;
    expect(dr).toBeDefined();
    dr?.resourceCountIs('AWS::AppSync::GraphQLApi', 1);
    dr?.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    dr?.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      EnvironmentVariables: { SCORES_TABLE: 'scoredrive-prod-scores' },
    });
    expect(prodDr.dr?.region).toBe('eu-central-1');
    expect(prodDr.dr?.dependencies).toContain(prodDr.primary);
  });

  it('answers the custom domain from the primary while healthy, from the DR region otherwise', () => {
    for (const [template, failover] of [
      [prodDr.template, 'PRIMARY'],
      [prodDr.drTemplate, 'SECONDARY'],
    ] as const) {
      template?.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.scoredrive.example.it.',
        Type: 'A',
        Failover: failover,
        HealthCheckId: Match.anyValue(),
        AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
        HostedZoneId: DR_CONTEXT.hostedZoneId,
      });
      template?.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', ResourcePath: '/prod/health', FailureThreshold: 3 }),
      });
      template?.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: 'api.scoredrive.example.it',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        SecurityPolicy: 'TLS_1_2',
      });
    }
    prod.template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});

/** The dashboard's widgets, its body's CloudFormation tokens replaced by a placeholder. */
function dashboardWidgets(stage: SynthesisedStage): { properties: { title?: string; metrics?: unknown[][] } }[] {
  const body = resourcesOf(stage.template, 'AWS::CloudWatch::Dashboard')[0][1].Properties.DashboardBody;
  const parts: unknown[] = body['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('')).widgets;
}
