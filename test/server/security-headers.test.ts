/**
 * Every answer carries the security headers, and no answer echoes the request's path (a REST
 * path holds a driverId, which identifies a person): an unknown path gets a plain 404, an
 * unknown path or method under the REST facade API Gateway's 403, a URL the router cannot take
 * a body with its status alone.
 */
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import type { GraphQLService } from '../../src/server/graphql-service';
import { answerFrameworkError, SECURITY_HEADERS, secureAnswers } from '../../src/server/security-headers';
import type { DynamoDBApi } from '../../src/store/dynamodb-api';

const KEY = 'da2-securityheaderstestkeysecu';
const DRIVER = 'RSSMRA85T10A562S';

const api: DynamoDBApi = {
  call: () => Promise.reject(new Error('unused')),
  callWire: async () => ({ statusCode: 200, body: JSON.stringify({ Items: [], Table: { TableStatus: 'ACTIVE' } }) }),
};

const app = buildApp({
  graphql: {} as GraphQLService,
  apiKeys: [KEY],
  health: () => ({}),
  rest: { api, tableName: 'scoredrive-test-scores', stage: 'offline' },
});
afterAll(async () => app.close());

const get = (url: string, method: 'GET' | 'POST' | 'PUT' = 'GET') =>
  app.inject({ method, url, headers: { 'x-api-key': KEY } });

describe('security headers', () => {
  it('are on every kind of answer: explorer, assets, API, errors, unknown paths', async () => {
    const answers = await Promise.all([
      get('/'),
      get('/explorer/graphiql.css'),
      get('/health'),
      get('/openapi.json'),
      get(`/drivers/${DRIVER}/score`),
      app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{}' }),
      get('/no/such/path'),
    ]);
    const { 'content-security-policy': apiCsp, ...others } = SECURITY_HEADERS;
    for (const [i, answer] of answers.entries()) {
      expect(answer.headers, `answer ${i}`).toMatchObject(others);
      expect(answer.headers['content-security-policy'], `answer ${i}`).toContain("frame-ancestors 'none'");
    }
    // The explorer's own CSP replaces the API's, which lets nothing run.
    expect(answers[0].headers['content-security-policy']).toContain("script-src 'self'");
    expect(answers.slice(1).map((answer) => answer.headers['content-security-policy'])).toEqual(
      Array(answers.length - 1).fill(apiCsp),
    );
  });
});

describe('answers to unknown paths', () => {
  it('do not echo a path that matches no route', async () => {
    const answer = await get(`/scores/${DRIVER}`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body).not.toContain(DRIVER);
    expect(answer.json()).toEqual({ message: 'Not Found', error: 'Not Found', statusCode: 404 });
  });

  it('under the REST facade, are API Gateway’s 403 Missing Authentication Token, whatever the key', async () => {
    for (const [url, method] of [
      [`/drivers/${DRIVER}/scores`, 'GET'],
      [`/drivers/${DRIVER}/score/`, 'GET'],
      [`/drivers/${DRIVER}`, 'GET'],
      ['/drivers', 'GET'],
      [`/drivers/${DRIVER}/score`, 'POST'],
    ] as const) {
      const answer = await get(url, method);
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.body, url).toBe('{"message":"Missing Authentication Token"}');
      expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(answer.headers['content-type']).toBe('application/json');
    }
  });

  it('leave the GraphQL path and /health as they were: a 404, now without the path', async () => {
    for (const [url, method] of [
      ['/graphql', 'PUT'],
      ['/health', 'POST'],
    ] as const) {
      const answer = await get(url, method);
      expect(answer.statusCode, url).toBe(404);
      expect(answer.body).not.toContain(url);
    }
    expect((await get('/health')).statusCode).toBe(200);
    expect((await get(`/drivers/${DRIVER}/score`)).json()).toEqual({ message: 'No score found' });
  });

  it('that the router cannot take (bad percent-encoding, an over-long parameter) are answered without the path', async () => {
    // buildApp passes answerFrameworkError as Fastify's frameworkErrors; this app does the same.
    const bare = Fastify({ frameworkErrors: answerFrameworkError });
    secureAnswers(bare);
    bare.get('/drivers/:driverId/score', async () => ({}));
    for (const [url, status] of [
      [`/drivers/%E0${DRIVER}/score`, 400],
      [`/drivers/${DRIVER.repeat(10)}/score`, 414],
    ] as const) {
      const answer = await bare.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(status);
      expect(answer.body, url).not.toContain(DRIVER);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    await bare.close();
  });
});
