/**
 * The REST facade offline: every route of src/contract/rest/routes.ts (the list CDK deploys), answered
 * by the same mapping templates through the AWS-integration executor. API keys as API Gateway
 * checks them: a missing or wrong `x-api-key` gets 403 `{"message":"Forbidden"}`, and a path or
 * method no route has gets its 403 `{"message":"Missing Authentication Token"}` ("The API request
 * is made to a method or resource that doesn't exist", AWS Knowledge Center,
 * api-gateway-authentication-token-errors). HEAD and OPTIONS included: CDK deploys no HEAD method
 * and no CORS preflight (infra/constructs/rest-facade.ts sets no defaultCorsPreflightOptions), so
 * the REST facade answers no CORS offline either. No error answer echoes the path: it holds a
 * driverId, which identifies a person.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { REST_ROUTES, type RestRoute, readTemplate, TABLE_STAGE_VARIABLE } from '../contract/rest/routes';
import type { MethodRequest } from '../runtime/vtl/api-gateway';
import {
  type AwsIntegration,
  INTERNAL_ERROR,
  type IntegrationContext,
  invokeAwsIntegration,
} from '../runtime/vtl/aws-integration';
import type { DynamoDBApi } from '../store/dynamodb-api';
import { describeCall } from './api-calls';

export interface RestFacadeOptions {
  readonly api: DynamoDBApi;
  readonly tableName: string;
  /** The stage `$context.stage` names; offline routes are served without a stage prefix. */
  readonly stage: string;
  readonly isValidApiKey: (key: string | undefined) => boolean;
  /**
   * The stage's Cognito authorizer with its OAuth scope, on the authenticated routes: checks the
   * `Authorization` header's access token. Absent where the stage deploys none (dev, offline).
   */
  readonly authorizeToken?: (authorization: string | undefined) => Promise<RestTokenVerdict>;
  /** Paths the offline server already answers itself (its own /health). */
  readonly skip?: ReadonlySet<string>;
  readonly logger?: Logger;
}

/** What the Cognito authorizer made of a request's token. */
export type RestTokenVerdict = 'ok' | 'expired' | 'unauthorized';

/**
 * API Gateway's answers when its Cognito authorizer refuses: 401 `{"message":"Unauthorized"}`
 * (the UNAUTHORIZED gateway response; AWS Knowledge Center "api-gateway-cognito-401-unauthorized":
 * a missing, invalid or wrong-issuer token, or an ID token where scopes are required), and for an
 * expired one `{"message":"The incoming token has expired"}` (recorded in aws-amplify/amplify-js#6060).
 * The authorizer runs before the API key is checked.
 */
export const TOKEN_REFUSALS: Readonly<Record<Exclude<RestTokenVerdict, 'ok'>, string>> = {
  unauthorized: '{"message":"Unauthorized"}',
  expired: '{"message":"The incoming token has expired"}',
};

/** API Gateway's gateway response for a missing or invalid API key. */
export const FORBIDDEN = { statusCode: 403, body: '{"message":"Forbidden"}' };

/**
 * API Gateway's gateway response for a resource or method the API does not have (whatever the
 * key), answered offline for every path under a REST route's first segment (`/drivers/…`).
 */
export const MISSING_AUTHENTICATION_TOKEN = {
  statusCode: 403,
  body: '{"message":"Missing Authentication Token"}',
  errorType: 'MissingAuthenticationTokenException',
};

/**
 * The first segments of the routes below which API Gateway would answer an unknown path
 * (`/drivers` for `/drivers/{driverId}/score`). One-segment routes (`/health`) add none: the
 * offline server has its own routes beside the REST facade's, and their paths stay its own.
 */
function restPrefixes(routes: readonly RestRoute[]): string[] {
  const prefixes = routes.map((route) => route.path.split('/')).filter((segments) => segments.length > 2);
  return [...new Set(prefixes.map((segments) => `/${segments[1]}`))];
}

/** A route's integration with its templates loaded: the very files CDK puts in the template. */
export function integrationOf(route: RestRoute): AwsIntegration {
  return {
    action: route.action,
    requestTemplate: readTemplate(route.requestTemplate),
    responses: route.responses.map((r) => ({
      statusCode: r.statusCode,
      selectionPattern: r.selectionPattern,
      template: readTemplate(r.template),
    })),
  };
}

/** A route template in Fastify's syntax: `/drivers/{driverId}/score` → `/drivers/:driverId/score`. */
export const fastifyPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

function firstValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, string | string[]>)) {
    out[name] = Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return out;
}

function methodRequest(route: RestRoute, request: FastifyRequest): MethodRequest {
  return {
    httpMethod: request.method,
    resourcePath: route.path,
    path: request.url.split('?')[0],
    pathParameters: { ...(request.params as Record<string, string>) },
    queryParameters: firstValues(request.query),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    ),
    body: typeof request.body === 'string' ? request.body : '',
    sourceIp: request.ip,
    apiKey: typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined,
    requestId: request.id,
    receivedAt: new Date(),
  };
}

/** Registers the REST routes; returns the integrations it serves, keyed `METHOD path`. */
export function registerRestRoutes(app: FastifyInstance, options: RestFacadeOptions): Map<string, AwsIntegration> {
  const context: IntegrationContext = {
    api: options.api,
    stage: options.stage,
    stageVariables: { [TABLE_STAGE_VARIABLE]: options.tableName },
  };
  const served = new Map<string, AwsIntegration>();
  for (const route of REST_ROUTES) {
    if (options.skip?.has(route.path)) continue;
    const integration = integrationOf(route);
    served.set(`${route.method} ${route.path}`, integration);
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      // CDK deploys the route's method alone: a HEAD is a method the resource does not have.
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        reply.header('x-amzn-requestid', request.id);
        const { driverId } = request.params as { driverId?: string };
        if (driverId !== undefined) describeCall(request, { driverIds: [driverId] });
        if (route.authenticated && options.authorizeToken) {
          const verdict = await options.authorizeToken(request.headers.authorization);
          if (verdict !== 'ok') {
            return reply
              .code(401)
              .headers({ 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' })
              .send(Buffer.from(TOKEN_REFUSALS[verdict]));
          }
        }
        const key = request.headers['x-api-key'];
        if (route.authenticated && !options.isValidApiKey(typeof key === 'string' ? key : undefined)) {
          return reply
            .code(FORBIDDEN.statusCode)
            .headers({ 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' })
            .send(Buffer.from(FORBIDDEN.body));
        }
        // A failure to reach DynamoDB at all gets API Gateway's 500, not the GraphQL error shape.
        const response = await invokeAwsIntegration(integration, methodRequest(route, request), context).catch(
          (error: unknown) => {
            options.logger?.error({ err: error }, 'REST integration failed');
            return INTERNAL_ERROR;
          },
        );
        // A Buffer, so Fastify adds no charset: API Gateway answers plain `application/json`.
        return reply.code(response.statusCode).headers(response.headers).send(Buffer.from(response.body));
      },
    });
  }
  const unknownPath = async (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(MISSING_AUTHENTICATION_TOKEN.statusCode)
      .headers({
        'content-type': 'application/json',
        'x-amzn-requestid': request.id,
        'x-amzn-errortype': MISSING_AUTHENTICATION_TOKEN.errorType,
      })
      .send(Buffer.from(MISSING_AUTHENTICATION_TOKEN.body));
  const exact = new Set(REST_ROUTES.map((route) => route.path));
  // API Gateway refuses a method a resource lacks whatever the request carries: no body is read
  // (a media type or size the GraphQL endpoint would refuse must not change the answer).
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const prefix of restPrefixes(REST_ROUTES)) {
      // Every method: the router prefers a defined route, so this answers only what none matches.
      scope.all(`${prefix}/*`, unknownPath);
      if (!exact.has(prefix)) scope.all(prefix, unknownPath);
    }
  });
  return served;
}
