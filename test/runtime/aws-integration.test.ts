/**
 * The AWS-integration executor with a scripted DynamoDB: how each DynamoDB answer reaches the
 * caller through the score route's integration responses, as the deployed API maps it.
 * Selection: "a regular expression … matched against the status code of the backend response"
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_IntegrationResponse.html).
 */
import { describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../../src/contract/rest/routes';
import type { MethodRequest } from '../../src/runtime/vtl/api-gateway';
import { invokeAwsIntegration, selectResponse } from '../../src/runtime/vtl/aws-integration';
import { integrationOf } from '../../src/server/rest-facade';
import type { DynamoDBApi, WireAnswer } from '../../src/store/dynamodb-api';

const scoreRoute = REST_ROUTES.find((r) => r.action === 'Query');
if (!scoreRoute) throw new Error('no score route');
const integration = integrationOf(scoreRoute);

function scripted(answer: WireAnswer) {
  const calls: { action: string; body: unknown }[] = [];
  const api: DynamoDBApi = {
    call: () => Promise.reject(new Error('not used')),
    callWire: async (action, body) => {
      calls.push({ action, body: JSON.parse(body) });
      return answer;
    },
  };
  return { api, calls };
}

function request(driverId: string, period?: string): MethodRequest {
  return {
    httpMethod: 'GET',
    resourcePath: scoreRoute?.path ?? '',
    path: `/drivers/${driverId}/score`,
    pathParameters: { driverId },
    queryParameters: period === undefined ? {} : { period },
    headers: {},
    body: '',
    sourceIp: '127.0.0.1',
    requestId: 'r-1',
    receivedAt: new Date(),
  };
}

const invoke = (answer: WireAnswer, driverId = 'ABC123', period?: string) => {
  const { api, calls } = scripted(answer);
  return invokeAwsIntegration(integration, request(driverId, period), {
    api,
    stage: 'prod',
    stageVariables: { scoresTable: 'scoredrive-prod-scores' },
  }).then((response) => ({ response, calls }));
};

const error = (statusCode: number, type: string) => ({
  statusCode,
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'x' }),
});

describe('the score route against DynamoDB', () => {
  it('sends DynamoDB a newest-first, Limit 1 Query on the stage’s table', async () => {
    const { calls } = await invoke({ statusCode: 200, body: '{"Items":[],"Count":0,"ScannedCount":0}' });
    expect(calls).toEqual([
      {
        action: 'Query',
        body: {
          TableName: 'scoredrive-prod-scores',
          KeyConditionExpression: 'driverId = :driverId',
          ExpressionAttributeValues: { ':driverId': { S: 'ABC123' } },
          ScanIndexForward: false,
          Limit: 1,
        },
      },
    ]);
  });

  it('names the month in the key condition when ?period is given', async () => {
    const { calls } = await invoke({ statusCode: 200, body: '{"Items":[]}' }, 'ABC123', '2025-03');
    expect(calls[0].body).toMatchObject({
      KeyConditionExpression: 'driverId = :driverId AND period = :period',
      ExpressionAttributeValues: { ':driverId': { S: 'ABC123' }, ':period': { S: '2025-03' } },
    });
  });

  it('sends invalid input as a Query DynamoDB refuses before reading (Limit 0), then answers 400', async () => {
    const { response, calls } = await invoke(error(400, 'ValidationException'), 'bad!id');
    expect(calls[0].body).toMatchObject({ Limit: 0 });
    expect(JSON.stringify(calls[0].body)).not.toContain('bad!id');
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toMatch(/^Invalid driverId/);
  });

  it('turns DynamoDB throttling into 503 (retry), other 4xx into 500, 5xx into 500 without detail', async () => {
    for (const [answer, status, message] of [
      [error(400, 'ThrottlingException'), 503, 'Service busy, retry later'],
      [error(400, 'ProvisionedThroughputExceededException'), 503, 'Service busy, retry later'],
      [error(400, 'ResourceNotFoundException'), 500, 'Internal server error'],
      [error(400, 'AccessDeniedException'), 500, 'Internal server error'],
      [error(500, 'InternalServerError'), 500, 'Internal server error'],
      [error(503, 'ServiceUnavailable'), 500, 'Internal server error'],
    ] as const) {
      const { response } = await invoke(answer);
      expect({ status: response.statusCode, body: JSON.parse(response.body) }).toEqual({ status, body: { message } });
    }
  });
});

describe('selectResponse', () => {
  it('takes the first whole-string pattern match, else the default response', () => {
    const responses = [
      { statusCode: 200, template: 'ok' },
      { statusCode: 400, selectionPattern: '4\\d{2}', template: 'client' },
      { statusCode: 500, selectionPattern: '5\\d{2}', template: 'server' },
    ];
    expect(selectResponse(responses, 200)?.template).toBe('ok');
    expect(selectResponse(responses, 404)?.template).toBe('client');
    expect(selectResponse(responses, 503)?.template).toBe('server');
    // "4\d{2}" must match the whole status, not a part of it.
    expect(selectResponse([{ statusCode: 400, selectionPattern: '4', template: 'x' }], 404)).toBeUndefined();
  });
});
