import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerRestRoutes } from '../../src/server/rest-facade';
import type { DynamoDBApi } from '../../src/store/dynamodb-api';

const KEY = 'da2-restfacadetestkeyrestfacad';

function appWith(api: DynamoDBApi) {
  const app = Fastify();
  const logged: unknown[] = [];
  registerRestRoutes(app, {
    api,
    tableName: 'scoredrive-test-scores',
    stage: 'offline',
    isValidApiKey: (key) => key === KEY,
    logger: { error: (...args: unknown[]) => logged.push(args) } as never,
  });
  return { app, logged };
}

describe('registerRestRoutes', () => {
  it('answers API Gateway’s 500 when DynamoDB cannot be reached at all, and logs it', async () => {
    const { app, logged } = appWith({
      call: () => Promise.reject(new Error('unused')),
      callWire: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8000')),
    });
    const response = await app.inject({ method: 'GET', url: '/drivers/ABC123/score', headers: { 'x-api-key': KEY } });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual({ message: 'Internal server error' });
    expect(logged).toHaveLength(1);
  });

  it('serves the health route from its template: 200 while the table is ACTIVE, 503 otherwise', async () => {
    const answer = (status: string) =>
      appWith({
        call: () => Promise.reject(new Error('unused')),
        callWire: async (action) => ({
          statusCode: 200,
          body: JSON.stringify({ Table: { TableStatus: status }, action }),
        }),
      }).app.inject({ method: 'GET', url: '/health' });
    expect((await answer('ACTIVE')).json()).toEqual({ status: 'ok' });
    const updating = await answer('UPDATING');
    expect(updating.statusCode).toBe(503);
    expect(updating.json()).toEqual({ status: 'unavailable' });
  });
});
