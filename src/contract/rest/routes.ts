/**
 * The REST facade's routes, in one place for the CDK construct (infra/constructs/rest-facade.ts)
 * and the offline server: the path, its parameters, the DynamoDB action behind it and the
 * mapping templates (files next to this one, read verbatim by both).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES_DIR = path.dirname(fileURLToPath(import.meta.url));

/** How API Gateway picks an integration response: a regex on DynamoDB's HTTP status (none: the default). */
export interface IntegrationResponseRoute {
  readonly statusCode: number;
  readonly selectionPattern?: string;
  /** Template file in TEMPLATES_DIR; may override the status with $context.responseOverride.status. */
  readonly template: string;
}

export interface RestRoute {
  readonly method: 'GET';
  /** API Gateway resource path, with `{name}` path parameters. */
  readonly path: string;
  readonly pathParameters: readonly string[];
  readonly queryParameters: readonly string[];
  /** Whether callers need an API key (and, per stage, an OAuth token); health checkers cannot send one. */
  readonly authenticated: boolean;
  /** The DynamoDB API action the rendered request template is the body of. */
  readonly action: 'Query' | 'DescribeTable';
  readonly requestTemplate: string;
  readonly responses: readonly IntegrationResponseRoute[];
  /** Every status the method can answer, for method responses and the OpenAPI description. */
  readonly statuses: readonly number[];
}

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/drivers/{driverId}/score',
    pathParameters: ['driverId'],
    queryParameters: ['period'],
    authenticated: true,
    action: 'Query',
    requestTemplate: 'score-request.vtl',
    responses: [
      { statusCode: 200, template: 'score-response.vtl' },
      { statusCode: 400, selectionPattern: '4\\d{2}', template: 'score-client-error.vtl' },
      { statusCode: 500, selectionPattern: '5\\d{2}', template: 'server-error.vtl' },
    ],
    statuses: [200, 400, 404, 500, 503],
  },
  {
    method: 'GET',
    path: '/health',
    pathParameters: [],
    queryParameters: [],
    authenticated: false,
    action: 'DescribeTable',
    requestTemplate: 'health-request.vtl',
    responses: [
      { statusCode: 200, template: 'health-response.vtl' },
      { statusCode: 503, selectionPattern: '[45]\\d{2}', template: 'health-error.vtl' },
    ],
    statuses: [200, 503],
  },
];

/** A template's text exactly as stored: CDK puts these bytes in the template, the offline runtime runs them. */
export function readTemplate(file: string): string {
  return readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');
}

/** The stage variable the templates read the table name from (`$stageVariables.scoresTable`). */
export const TABLE_STAGE_VARIABLE = 'scoresTable';
