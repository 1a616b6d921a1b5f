/**
 * The OpenAPI 3 description of the REST facade, generated from the routes in routes.ts (no
 * second list). Served offline at /openapi.json. Given an AWS region and the integration role,
 * it also carries API Gateway's `x-amazon-apigateway-integration` extensions, so API Gateway can
 * import it as the facade it describes.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { DRIVER_ID_PATTERN, PERIOD_PATTERN } from '../../../resolvers/lib/validation';
import { REST_ROUTES, type RestRoute, readTemplate } from './routes';

export interface OpenApiOptions {
  /** Where the API answers, e.g. `http://localhost:4000` or the stage's invoke URL. */
  readonly serverUrl?: string;
  /** With both: API Gateway integration extensions for this region and role. */
  readonly aws?: { readonly region: string; readonly credentialsRoleArn: string };
}

const PARAMETER_SCHEMAS: Record<string, OpenAPIV3.SchemaObject & { description: string }> = {
  driverId: {
    type: 'string',
    pattern: DRIVER_ID_PATTERN,
    description: 'The insured person’s identifier: 1-64 characters of A-Z, a-z, 0-9, _ and -.',
  },
  period: {
    type: 'string',
    pattern: PERIOD_PATTERN,
    description: 'A month, YYYY-MM. Omit it for the latest month.',
  },
};

const factor = { type: 'integer', minimum: 0, maximum: 100 } as const;

const SCHEMAS: Record<string, OpenAPIV3.SchemaObject> = {
  Score: {
    type: 'object',
    description: 'One driver’s driving-style score for one month (the fields of GraphQL’s Score).',
    required: ['driverId', 'period', 'score', 'band', 'factors', 'kmDriven', 'trips', 'modelVersion', 'updatedAt'],
    properties: {
      driverId: { type: 'string', pattern: DRIVER_ID_PATTERN },
      period: { type: 'string', pattern: PERIOD_PATTERN },
      score: { ...factor, description: 'Overall score, 0 (worst) to 100 (best).' },
      band: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E'] },
      factors: {
        type: 'object',
        required: ['acceleration', 'braking', 'cornering', 'speeding', 'nightDriving'],
        properties: {
          acceleration: factor,
          braking: factor,
          cornering: factor,
          speeding: factor,
          nightDriving: factor,
        },
      },
      kmDriven: { type: 'number', minimum: 0 },
      trips: { type: 'integer', minimum: 0 },
      modelVersion: { type: 'string' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
  Health: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['ok', 'unavailable'] } },
  },
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Invalid driverId or period (the message says which)',
  403: 'Missing or wrong API key',
  404: 'No score for this driver (or this month)',
  429: 'Throttled: too many requests',
  500: 'Internal server error',
  503: 'Service busy or unavailable: retry later',
};

/** Path parameters are required (API Gateway's validator checks them); query parameters are optional. */
function parameter(name: string, where: 'path' | 'query'): OpenAPIV3.ParameterObject {
  return {
    name,
    in: where,
    required: where === 'path',
    description: PARAMETER_SCHEMAS[name]?.description,
    schema: PARAMETER_SCHEMAS[name] ?? { type: 'string' },
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The body a route answers with a status: the health route's own shape, else a score or an error message. */
function schemaName(route: RestRoute, status: number): string {
  if (route.action === 'DescribeTable') return 'Health';
  return status === 200 ? 'Score' : 'Error';
}

function responses(route: RestRoute): OpenAPIV3.ResponsesObject {
  const statuses = route.authenticated ? [...route.statuses, 403, 429] : route.statuses;
  return Object.fromEntries(
    [...new Set(statuses)].sort().map((status) => [
      String(status),
      {
        description: STATUS_TEXT[status] ?? String(status),
        content: {
          'application/json': { schema: ref(schemaName(route, status)) },
        },
      },
    ]),
  );
}

function integration(route: RestRoute, aws: NonNullable<OpenApiOptions['aws']>) {
  return {
    type: 'aws',
    httpMethod: 'POST',
    uri: `arn:aws:apigateway:${aws.region}:dynamodb:action/${route.action}`,
    credentials: aws.credentialsRoleArn,
    passthroughBehavior: 'never',
    requestTemplates: { 'application/json': readTemplate(route.requestTemplate) },
    responses: Object.fromEntries(
      route.responses.map((r) => [
        r.selectionPattern ?? 'default',
        { statusCode: String(r.statusCode), responseTemplates: { 'application/json': readTemplate(r.template) } },
      ]),
    ),
  };
}

export function restOpenApi(options: OpenApiOptions = {}): OpenAPIV3.Document {
  const paths: OpenAPIV3.PathsObject = {};
  for (const route of REST_ROUTES) {
    const operation: OpenAPIV3.OperationObject & Record<string, unknown> = {
      operationId: route.action === 'Query' ? 'getDriverScore' : 'getHealth',
      summary:
        route.action === 'Query'
          ? 'A driver’s latest score, or the score of one month'
          : 'Whether this region can read its table',
      parameters: [
        ...route.pathParameters.map((name) => parameter(name, 'path')),
        ...route.queryParameters.map((name) => parameter(name, 'query')),
      ],
      responses: responses(route),
      security: route.authenticated ? [{ apiKey: [] }] : [],
    };
    if (options.aws) operation['x-amazon-apigateway-integration'] = integration(route, options.aws);
    paths[route.path] = { [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'ScoreDrive REST facade',
      version: '1.0.0',
      description: 'Driving-style scores of insured drivers: the REST view of the same data as the GraphQL API.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    },
  };
}
