/**
 * The REST facade offline: every route of infra/rest/routes.ts (the list CDK deploys), answered
 * by the same mapping templates through the AWS-integration executor. API keys as API Gateway
 * checks them: a missing or wrong `x-api-key` gets 403 `{"message":"Forbidden"}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { REST_ROUTES, type RestRoute, readTemplate, TABLE_STAGE_VARIABLE } from '../../infra/rest/routes';
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
  /** Paths the offline server already answers itself (its own /health). */
  readonly skip?: ReadonlySet<string>;
  readonly logger?: Logger;
}

/** API Gateway's gateway response for a missing or invalid API key. */
export const FORBIDDEN = { statusCode: 403, body: '{"message":"Forbidden"}' };

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
      handler: async (request, reply) => {
        reply.header('x-amzn-requestid', request.id);
        const { driverId } = request.params as { driverId?: string };
        if (driverId !== undefined) describeCall(request, { driverIds: [driverId] });
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
  return served;
}
