/**
 * One API call as the access log records it and the metrics count it. Field names follow what
 * API Gateway's access log (infra/constructs/rest-facade.ts) and AppSync's logs say, so a
 * reader of the offline log and of a deployed stage's logs finds the same things.
 */
import type { ApiName } from '../sla/report-model';

export interface ApiCall {
  /** When the request arrived, ISO-8601 UTC with milliseconds. */
  readonly time: string;
  readonly requestId: string;
  readonly stage: string;
  readonly api: ApiName;
  readonly method: string;
  /** The resource, never the concrete path: `Query.score`, `/drivers/{driverId}/score`. */
  readonly resource: string;
  readonly sourceIp: string;
  /** HTTP status sent (GraphQL errors travel in a 200). */
  readonly status: number;
  /** The first error's type (AppSync `errorType`, API Gateway `x-amzn-ErrorType`); absent on success. */
  readonly errorType?: string;
  /** From the request's arrival to the last byte handed to the socket, in ms (0.01 ms precision). */
  readonly latencyMs: number;
  readonly responseBytes: number;
  /** The driverIds asked about, as keyed hashes (see driver-id-hash.ts); never in clear. */
  readonly driverIdHashes?: readonly string[];
  readonly userAgent?: string;
}

export type CallOutcome = 'ok' | '4xx' | '5xx';

/**
 * GraphQL errors that are the caller's fault; AppSync counts these as 4XXError. Any other error
 * in a GraphQL answer (a data source failure, a resolver crash) is the service's: 5XXError.
 */
const GRAPHQL_CLIENT_ERRORS = new Set([
  'ValidationError',
  'GraphQLValidation',
  'MalformedHttpRequestException',
  'UnauthorizedException',
  'Unauthorized',
  'BadRequestException',
  'UnsupportedMediaTypeException',
  // A nextToken AppSync cannot open: the caller forged, altered or reused it elsewhere.
  'DynamoDB:UserIllegalArgumentException',
  // The stage's limits on a query (resolvers per request, depth): the query asks too much.
  'ResolverExecutionLimitReached',
  'QueryDepthLimitReached',
]);

/** ok, 4xx or 5xx, as the SLA report and the metrics count a call. */
export function outcomeOf(call: Pick<ApiCall, 'status' | 'errorType'>): CallOutcome {
  if (call.status >= 500) return '5xx';
  if (call.status >= 400) return '4xx';
  if (call.errorType === undefined) return 'ok';
  return GRAPHQL_CLIENT_ERRORS.has(call.errorType) ? '4xx' : '5xx';
}
