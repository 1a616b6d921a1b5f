/**
 * Per-stage settings (dev, test, prod: the client's svil, col, prod) in one typed place, and how
 * CDK context (`-c key=value`) or the environment overrides them. Everything a stage differs in
 * is here; the constructs only read these values.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type GraphQLAuthMode, STAGE_AUTH } from '../src/contract/auth-modes';
import { GRAPHQL_LIMITS, type GraphQLLimits, STAGE_NAMES, type StageName } from '../src/contract/graphql-limits';

export { STAGE_NAMES, type StageName };

/**
 * The contract's peak: 500 requests a minute (250 on average). Nothing says it is spread over
 * callers: one client system, behind one NAT address, may send all of it.
 */
export const SLA_PEAK_REQUESTS_PER_MINUTE = 500;

/**
 * WAF's per-IP limit over its 5-minute window: four times the whole SLA peak from a single
 * address (4 × 500 × 5 = 10,000, i.e. 2,000 a minute). The headroom covers a client's retries
 * and a peak that bunches inside the window, and `scoredrive bench --rate 500/min` run from
 * one machine against test. A flood from one address still trips it: anything sustained
 * above about 33 requests a second. Per IP rather than per API key header: prod's
 * GraphQL callers sign with IAM or OAuth and send no API key, and WAF does not count a request
 * that lacks a custom aggregation key, so a flood could leave the header out.
 */
export const WAF_RATE_LIMIT_PER_5_MINUTES = 4 * SLA_PEAK_REQUESTS_PER_MINUTE * 5;

export interface CustomDomainSettings {
  /** The public name clients call for the REST facade, e.g. `api.scoredrive.example.it`. */
  readonly domainName: string;
  /** The Route 53 public hosted zone holding it (no lookup: synth stays offline). */
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

export interface StageSettings {
  readonly name: StageName;
  /** AWS account; undefined leaves the stacks account-agnostic (fine for synth). */
  readonly account?: string;
  /** Primary region. */
  readonly region: string;
  /** Second region for disaster recovery: table replica, the same APIs, DNS failover. */
  readonly drRegion?: string;
  /** Custom domain for the REST facade; required with a DR region (failover is a DNS name). */
  readonly customDomain?: CustomDomainSettings;
  /** What happens to stateful resources (table, logs, keys) when a stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  readonly table: {
    readonly pointInTimeRecovery: boolean;
    readonly deletionProtection: boolean;
    /** A customer-managed KMS key instead of the AWS-owned one. */
    readonly customerManagedKey: boolean;
    /** With a customer-managed key and a DR region: the KMS key ARN the replica uses there. */
    readonly replicaKeyArn?: string;
  };
  readonly logs: {
    /** AppSync field logs: ERROR logs failing fields only (never request data: verbose content is excluded). */
    readonly graphqlFieldLogLevel: 'NONE' | 'ERROR';
    /** API Gateway execution logs (data trace is always off: it would log driverIds). */
    readonly restExecutionLogLevel: 'OFF' | 'ERROR';
    readonly retention: RetentionDays;
  };
  readonly throttling: {
    /** REST stage and usage-plan steady rate, requests per second (the SLA peak is 500/min ≈ 8.3/s). */
    readonly rateLimit: number;
    readonly burstLimit: number;
  };
  readonly auth: {
    /** The GraphQL API's modes, the default first: STAGE_AUTH (src/contract/auth-modes.ts). */
    readonly graphqlModes: readonly GraphQLAuthMode[];
    /** GraphQL API key valid until this date (AppSync allows at most 365 days); undefined: no API key. */
    readonly apiKeyExpires?: Date;
    /** A Cognito user pool issuing OAuth client-credentials tokens to systems (OIDC, and REST's scope). */
    readonly iamAndOAuth: boolean;
    /** The OAuth scope the REST facade's methods require, where the stage has a user pool. */
    readonly restOAuthScope?: string;
  };
  /** Introspection, depth and resolver-count limits (graphql-limits.ts: the offline server enforces them too). */
  readonly graphql: GraphQLLimits;
  readonly waf: {
    readonly enabled: boolean;
    /** Requests per source IP in any 5-minute window before WAF blocks it (both APIs count). */
    readonly rateLimitPer5Minutes: number;
  };
  readonly alarms: {
    /** The SLA: this share of answers (percent) under `latencyThresholdMs`, per hour. */
    readonly latencySlaPercent: number;
    readonly latencyThresholdMs: number;
    /** Alarm when 5xx answers exceed this share of requests (percent) over 5 minutes. */
    readonly serverErrorPercent: number;
    /** Alarm when DynamoDB throttles at least this many reads in 5 minutes. */
    readonly throttledRequests: number;
  };
}

/** First day of the month, `months` months after `from` (UTC): a key expiry that is stable within a month. */
export function monthsAhead(from: Date, months: number): Date {
  return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
}

/** A stage's auth settings from the contract: an API key (valid 11 months) only where its modes have one. */
function stageAuth(name: StageName, now: Date): StageSettings['auth'] {
  const { graphql, rest } = STAGE_AUTH[name];
  return {
    graphqlModes: graphql,
    apiKeyExpires: graphql.includes('API_KEY') ? monthsAhead(now, 11) : undefined,
    iamAndOAuth: graphql.includes('OPENID_CONNECT'),
    restOAuthScope: rest.oauthScope,
  };
}

const COMMON_ALARMS = { latencySlaPercent: 99.8, latencyThresholdMs: 1000, throttledRequests: 1 };

/** The defaults of each stage, before context overrides. */
export function defaultStageSettings(name: StageName, now = new Date()): StageSettings {
  switch (name) {
    case 'dev':
      return {
        name,
        region: 'eu-south-1',
        removalPolicy: RemovalPolicy.DESTROY,
        table: { pointInTimeRecovery: false, deletionProtection: false, customerManagedKey: false },
        logs: { graphqlFieldLogLevel: 'ERROR', restExecutionLogLevel: 'ERROR', retention: RetentionDays.ONE_WEEK },
        throttling: { rateLimit: 10, burstLimit: 20 },
        auth: stageAuth('dev', now),
        graphql: GRAPHQL_LIMITS[name],
        waf: { enabled: false, rateLimitPer5Minutes: WAF_RATE_LIMIT_PER_5_MINUTES },
        alarms: { ...COMMON_ALARMS, serverErrorPercent: 5 },
      };
    case 'test':
      return {
        name,
        region: 'eu-south-1',
        removalPolicy: RemovalPolicy.RETAIN,
        table: { pointInTimeRecovery: true, deletionProtection: true, customerManagedKey: false },
        logs: { graphqlFieldLogLevel: 'ERROR', restExecutionLogLevel: 'ERROR', retention: RetentionDays.ONE_MONTH },
        throttling: { rateLimit: 25, burstLimit: 50 },
        auth: stageAuth('test', now),
        graphql: GRAPHQL_LIMITS[name],
        waf: { enabled: true, rateLimitPer5Minutes: WAF_RATE_LIMIT_PER_5_MINUTES },
        alarms: { ...COMMON_ALARMS, serverErrorPercent: 2 },
      };
    case 'prod':
      return {
        name,
        region: 'eu-south-1',
        removalPolicy: RemovalPolicy.RETAIN,
        table: { pointInTimeRecovery: true, deletionProtection: true, customerManagedKey: true },
        logs: { graphqlFieldLogLevel: 'ERROR', restExecutionLogLevel: 'ERROR', retention: RetentionDays.ONE_YEAR },
        // Peak 500/min ≈ 8.3 req/s: three times that as steady rate, six times as burst.
        throttling: { rateLimit: 25, burstLimit: 50 },
        auth: stageAuth('prod', now),
        graphql: GRAPHQL_LIMITS[name],
        waf: { enabled: true, rateLimitPer5Minutes: WAF_RATE_LIMIT_PER_5_MINUTES },
        alarms: { ...COMMON_ALARMS, serverErrorPercent: 1 },
      };
  }
}

export class StageSettingsError extends Error {
  override readonly name = 'StageSettingsError';
}

/** Reads a context value (`-c key=value`); CDK hands strings, tests may hand anything. */
type ContextReader = (key: string) => unknown;

function text(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The settings of the stage named by context `stage` (default dev), with these overrides:
 * `account` (else CDK_DEFAULT_ACCOUNT), `region` (else SCOREDRIVE_REGION; not the CLI profile's
 * CDK_DEFAULT_REGION, which would move a stage silently), `drRegion`, `domainName` + `hostedZoneId` +
 * `hostedZoneName`, `replicaKeyArn`, `apiKeyExpires` (YYYY-MM-DD). Bad values fail synth with a
 * message.
 */
export function resolveStageSettings(read: ContextReader, env = process.env, now = new Date()): StageSettings {
  const name = text(read, 'stage') ?? 'dev';
  if (!(STAGE_NAMES as readonly string[]).includes(name)) {
    throw new StageSettingsError(`unknown stage "${name}": use -c stage=${STAGE_NAMES.join('|')}`);
  }
  const defaults = defaultStageSettings(name as StageName, now);
  const region = text(read, 'region') ?? env.SCOREDRIVE_REGION ?? defaults.region;
  const drRegion = text(read, 'drRegion');
  for (const [key, value] of [
    ['region', region],
    ['drRegion', drRegion],
  ] as const) {
    if (value !== undefined && !REGION.test(value)) {
      throw new StageSettingsError(`${key} "${value}" is not an AWS region name (e.g. eu-south-1)`);
    }
  }
  if (drRegion === region) {
    throw new StageSettingsError(`drRegion must differ from the primary region (${region})`);
  }

  const domainName = text(read, 'domainName');
  const hostedZoneId = text(read, 'hostedZoneId');
  const hostedZoneName = text(read, 'hostedZoneName');
  const domainParts = [domainName, hostedZoneId, hostedZoneName].filter((v) => v !== undefined).length;
  if (domainParts !== 0 && domainParts !== 3) {
    throw new StageSettingsError('a custom domain needs all of -c domainName, -c hostedZoneId and -c hostedZoneName');
  }
  const customDomain =
    domainParts === 3
      ? {
          domainName: domainName as string,
          hostedZoneId: hostedZoneId as string,
          hostedZoneName: hostedZoneName as string,
        }
      : undefined;
  if (drRegion && !customDomain) {
    throw new StageSettingsError(
      'a DR region needs a custom domain for DNS failover: add -c domainName=… -c hostedZoneId=… -c hostedZoneName=…',
    );
  }

  let apiKeyExpires = defaults.auth.apiKeyExpires;
  const expires = text(read, 'apiKeyExpires');
  if (expires !== undefined && !defaults.auth.graphqlModes.includes('API_KEY')) {
    throw new StageSettingsError(
      `apiKeyExpires: the ${name} stage's GraphQL API has no API key (its modes: ${defaults.auth.graphqlModes.join(', ')}; src/contract/auth-modes.ts)`,
    );
  }
  if (expires !== undefined) {
    const date = new Date(`${expires}T00:00:00Z`);
    const days = (date.getTime() - now.getTime()) / 86_400_000;
    if (Number.isNaN(days) || days < 1 || days > 365) {
      throw new StageSettingsError(
        `apiKeyExpires "${expires}" must be a date (YYYY-MM-DD) between tomorrow and 365 days from now (AppSync's limit)`,
      );
    }
    apiKeyExpires = date;
  }

  return {
    ...defaults,
    account: text(read, 'account') ?? env.CDK_DEFAULT_ACCOUNT,
    region,
    drRegion,
    customDomain,
    table: { ...defaults.table, replicaKeyArn: text(read, 'replicaKeyArn') },
    auth: { ...defaults.auth, apiKeyExpires },
  };
}
