/**
 * An API Gateway AWS service integration with DynamoDB, offline: render the request template
 * into the body of a DynamoDB action, run it, pick the integration response by DynamoDB's
 * status code as API Gateway does (`selectionPattern`, a whole-string regex; the response
 * without a pattern is the default), render that response's template on DynamoDB's raw JSON,
 * and honour `$context.responseOverride`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 */
import type { DynamoDBApi } from '../../store/dynamodb-api';
import { matches } from '../util/strings';
import { type MethodRequest, renderMappingTemplate } from './api-gateway';

export interface IntegrationResponse {
  readonly statusCode: number;
  readonly selectionPattern?: string;
  /** The template text. */
  readonly template: string;
}

export interface AwsIntegration {
  /** The DynamoDB action the rendered request template is the body of. */
  readonly action: string;
  readonly requestTemplate: string;
  readonly responses: readonly IntegrationResponse[];
}

export interface IntegrationContext {
  readonly api: DynamoDBApi;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>>;
}

export interface MethodResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const JSON_TYPE = 'application/json';

/** API Gateway's answer when the integration itself cannot run (the caller sees no detail). */
export const INTERNAL_ERROR: MethodResponse = {
  statusCode: 500,
  headers: { 'content-type': JSON_TYPE, 'x-amzn-errortype': 'InternalServerErrorException' },
  body: '{"message": "Internal server error"}',
};

/** The integration response API Gateway selects for a backend status code. */
export function selectResponse(
  responses: readonly IntegrationResponse[],
  statusCode: number,
): IntegrationResponse | undefined {
  const status = String(statusCode);
  return (
    responses.find((r) => r.selectionPattern !== undefined && matches(r.selectionPattern, status)) ??
    responses.find((r) => r.selectionPattern === undefined)
  );
}

export async function invokeAwsIntegration(
  integration: AwsIntegration,
  request: MethodRequest,
  context: IntegrationContext,
): Promise<MethodResponse> {
  const common = { request, stage: context.stage, stageVariables: context.stageVariables };
  const rendered = renderMappingTemplate(integration.requestTemplate, { ...common, payload: request.body });
  try {
    JSON.parse(rendered.output);
  } catch {
    return INTERNAL_ERROR;
  }
  const answer = await context.api.callWire(integration.action, rendered.output);
  const selected = selectResponse(integration.responses, answer.statusCode);
  if (!selected) return INTERNAL_ERROR;
  const response = renderMappingTemplate(selected.template, { ...common, payload: answer.body });
  return {
    statusCode: response.responseOverride.status ?? selected.statusCode,
    headers: { 'content-type': JSON_TYPE, ...lowerCaseKeys(response.responseOverride.header) },
    body: response.output,
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}
