import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ServiceDashboardProps {
  /** `scoredrive-<stage>`, plus the region for a DR copy. */
  readonly name: string;
  readonly restApiName: string;
  readonly restStage: string;
  readonly graphqlApiId: string;
  readonly tableName: string;
  readonly alarms: {
    readonly latencySlaPercent: number;
    readonly latencyThresholdMs: number;
    readonly serverErrorPercent: number;
    readonly throttledRequests: number;
  };
  readonly removalPolicy: RemovalPolicy;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

/** One API's metrics, named as the client's report names them. */
interface ApiMetrics {
  readonly label: string;
  readonly calls: Metric;
  readonly latency: (statistic: string, period?: Duration) => Metric;
  readonly clientErrors: Metric;
  readonly serverErrors: Metric;
}

/**
 * What the client's report shows, per stage, for both APIs: calls, latency (p50, p99, p99.8),
 * 4xx and 5xx; DynamoDB latency and throttles. Alarms (to an SNS topic) on the SLA, the 5xx
 * rate and throttling.
 */
export class ServiceDashboard extends Construct {
  public readonly dashboard: Dashboard;
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const rest = apiMetrics(
      'REST',
      'AWS/ApiGateway',
      { ApiName: props.restApiName, Stage: props.restStage },
      { metricName: 'Count', statistic: Stats.SUM },
    );
    const graphql = apiMetrics(
      'GraphQL',
      'AWS/AppSync',
      { GraphQLAPIId: props.graphqlApiId },
      { metricName: 'Latency', statistic: Stats.SAMPLE_COUNT },
    );

    // CloudWatch must be able to use the key to publish to an encrypted topic.
    const key = new Key(this, 'TopicKey', {
      description: `${props.name} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', {
      topicName: `${props.name}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    const action = new SnsAction(this.topic);

    for (const api of [rest, graphql]) {
      // The SLA: the share of answers at or under the threshold, over an hour (~15,000 requests at
      // the average rate, enough samples for a 99.8% statement), as CloudWatch's percentile rank.
      const sla = new Alarm(this, `${api.label}LatencySla`, {
        alarmName: `${props.name}-${api.label}-latency-sla`,
        alarmDescription: `${api.label}: fewer than ${props.alarms.latencySlaPercent}% of answers within ${props.alarms.latencyThresholdMs} ms over an hour`,
        metric: api.latency(Stats.percentileRank(0, props.alarms.latencyThresholdMs), ONE_HOUR),
        threshold: props.alarms.latencySlaPercent,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const errors = new Alarm(this, `${api.label}ServerErrorRate`, {
        alarmName: `${props.name}-${api.label}-5xx-rate`,
        alarmDescription: `${api.label}: more than ${props.alarms.serverErrorPercent}% of answers are 5xx`,
        metric: new MathExpression({
          label: '5xx %',
          expression: 'IF(calls > 0, 100 * errors / calls, 0)',
          usingMetrics: { errors: api.serverErrors, calls: api.calls },
          period: FIVE_MINUTES,
        }),
        threshold: props.alarms.serverErrorPercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(sla, errors);
    }

    const throttles = new Metric({
      namespace: 'AWS/DynamoDB',
      metricName: 'ReadThrottleEvents',
      dimensionsMap: { TableName: props.tableName },
      statistic: Stats.SUM,
      period: FIVE_MINUTES,
    });
    this.alarms.push(
      new Alarm(this, 'TableThrottling', {
        alarmName: `${props.name}-dynamodb-throttling`,
        alarmDescription: 'DynamoDB throttled reads of the scores table',
        metric: throttles,
        threshold: props.alarms.throttledRequests,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    const tableLatency = (operation: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'SuccessfulRequestLatency',
        dimensionsMap: { TableName: props.tableName, Operation: operation },
        statistic: Stats.p(99),
        period: FIVE_MINUTES,
        label: `${operation} p99`,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.name });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${props.name}\nSLA: ${props.alarms.latencySlaPercent}% of answers under ${props.alarms.latencyThresholdMs} ms, per month.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API calls', left: [rest.calls, graphql.calls], width: 8 }),
      new GraphWidget({ title: '4xx', left: [rest.clientErrors, graphql.clientErrors], width: 8 }),
      new GraphWidget({ title: '5xx', left: [rest.serverErrors, graphql.serverErrors], width: 8 }),
    );
    this.dashboard.addWidgets(
      ...[rest, graphql].map(
        (api) =>
          new GraphWidget({
            title: `${api.label} latency (ms)`,
            left: [api.latency(Stats.p(50)), api.latency(Stats.p(99)), api.latency(Stats.p(99.8))],
            leftAnnotations: [{ value: props.alarms.latencyThresholdMs, label: 'SLA threshold' }],
            width: 8,
          }),
      ),
      new GraphWidget({
        title: `share of answers within ${props.alarms.latencyThresholdMs} ms (%)`,
        left: [rest, graphql].map((api) =>
          api.latency(Stats.percentileRank(0, props.alarms.latencyThresholdMs), ONE_HOUR),
        ),
        leftAnnotations: [{ value: props.alarms.latencySlaPercent, label: 'SLA' }],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'DynamoDB latency (ms)',
        left: ['Query', 'GetItem', 'BatchGetItem'].map(tableLatency),
        width: 12,
      }),
      new GraphWidget({ title: 'DynamoDB read throttles', left: [throttles], width: 12 }),
    );
  }
}

/**
 * An API's metrics. `calls` names the metric that counts requests: API Gateway has `Count`;
 * AppSync has no per-API request count, but every request has a latency sample.
 */
function apiMetrics(
  label: string,
  namespace: string,
  dimensionsMap: Record<string, string>,
  calls: { metricName: string; statistic: string },
): ApiMetrics {
  const metric = (metricName: string, statistic: string, metricLabel: string, period = FIVE_MINUTES) =>
    new Metric({ namespace, metricName, dimensionsMap, statistic, period, label: metricLabel });
  return {
    label,
    calls: metric(calls.metricName, calls.statistic, `${label} calls`),
    latency: (statistic, period) => metric('Latency', statistic, `${label} ${statistic}`, period),
    clientErrors: metric('4XXError', Stats.SUM, `${label} 4xx`),
    serverErrors: metric('5XXError', Stats.SUM, `${label} 5xx`),
  };
}
