/**
 * The GraphQL endpoint's HTTP surface as AppSync answers it (sources in src/server/wire/graphql-http.ts):
 * GET and POST, the media types, x-amzn-ErrorType and x-amzn-RequestId, CORS; and the REST
 * facade answering methods its routes do not have as API Gateway does, with no CORS (none is deployed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { demoScores, lastCompletedPeriod } from '../../src/store/demo-data';
import { cite, devguide } from '../conformance/sources';
import { startTestService, TEST_API_KEY } from '../helpers/service';

const APPSYNC_TEAM = 'graphql/graphql-over-http#81 (the AppSync team on AppSync’s HTTP behaviour)';
const API_KEY_EXAMPLE = cite(devguide('security-authz', 'API_KEY authorization'));
const RECORDED_401 = 'aws-amplify/amplify-js#5518 (a recorded AppSync 401)';
const RECORDED_PREFLIGHT = 'DevelopersIO 2022-05-09, a recorded AppSync preflight';
const MISSING_TOKEN = 'https://repost.aws/knowledge-center/api-gateway-authentication-token-errors';

const EXPOSED = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version';
const record = [...demoScores({ drivers: 40, months: 4, lastPeriod: lastCompletedPeriod() })].at(-1);
if (!record) throw new Error('no demo record');
const SCORE = 'query Score($id: ID!) { score(driverId: $id) { driverId score } }';
const key = { 'x-api-key': TEST_API_KEY };

let service: Service;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ service, stop } = await startTestService());
});
afterAll(async () => stop());

const get = (parameters: Record<string, string>, headers: Record<string, string> = key) =>
  service.app.inject({ method: 'GET', url: '/graphql', query: parameters, headers });
const post = (payload: string, contentType: string, headers: Record<string, string> = key) =>
  service.app.inject({
    method: 'POST',
    url: '/graphql',
    payload,
    headers: { 'content-type': contentType, ...headers },
  });

/** Requests counted by the service's own metrics. */
async function requestsCounted(): Promise<number> {
  const metrics = await service.metrics.registry.getMetricsAsJSON();
  const counter = metrics.find((m) => m.name === 'scoredrive_requests_total');
  return (counter?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('GET /graphql', () => {
  it(`runs query, variables and operationName from the query string (${APPSYNC_TEAM})`, async () => {
    const before = await requestsCounted();
    const response = await get({
      query: `query Other { __typename } ${SCORE}`,
      variables: JSON.stringify({ id: record.driverId }),
      operationName: 'Score',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { score: { driverId: record.driverId, score: record.score } } });
    // An API call like a POST: in the access log and the metrics.
    expect(await requestsCounted()).toBe(before + 1);
  });

  it('asks for the key first, as POST does', async () => {
    const response = await get({ query: '{ __typename }' }, {});
    expect(response.statusCode).toBe(401);
    expect(response.headers['x-amzn-errortype']).toBe('UnauthorizedException');
  });

  it(`answers a GET AppSync cannot read as the body {} or a body that is not JSON: 400 (${APPSYNC_TEAM})`, async () => {
    const unreadable = [
      service.app.inject({ method: 'GET', url: '/graphql', headers: key }),
      get({ query: '{ __typename }', variables: '{"id": ' }),
      get({ query: '{ __typename }', variables: '["a"]' }),
      service.app.inject({
        method: 'GET',
        url: '/graphql?query=%7B__typename%7D&query=%7B__typename%7D',
        headers: key,
      }),
    ];
    for (const response of await Promise.all(unreadable)) {
      expect(response.statusCode).toBe(400);
      expect(response.headers['x-amzn-errortype']).toBe('MalformedHttpRequestException');
      expect(response.json()).toEqual({
        errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }],
      });
    }
  });

  it('has no HEAD: it would run the query', async () => {
    const response = await service.app.inject({ method: 'HEAD', url: '/graphql?query=%7B__typename%7D', headers: key });
    expect(response.statusCode).toBe(404);
  });
});

describe('POST /graphql media types', () => {
  const body = JSON.stringify({ query: SCORE, variables: { id: record.driverId } });

  for (const contentType of ['application/graphql', 'application/graphql; charset=utf-8', 'application/json']) {
    it(`reads a JSON body sent as ${contentType} (${API_KEY_EXAMPLE})`, async () => {
      const response = await post(body, contentType);
      expect(response.statusCode).toBe(200);
      expect(response.json().data.score.driverId).toBe(record.driverId);
    });
  }

  it('answers a bare GraphQL document sent as application/graphql as a body that is not JSON', async () => {
    const response = await post('{ __typename }', 'application/graphql');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toBe('Unable to parse GraphQL query.');
  });

  it('refuses other media types with 415, naming the type in x-amzn-ErrorType (AWS documents none)', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/graphql+json']) {
      const response = await post(body, contentType);
      expect(response.statusCode, contentType).toBe(415);
      expect(response.headers['x-amzn-errortype']).toBe('UnsupportedMediaTypeException');
    }
  });
});

describe('error and request-id headers', () => {
  it(`names the type of every HTTP-level refusal in x-amzn-ErrorType, as the recorded 401 does (${RECORDED_401})`, async () => {
    const refusals = [
      [await post(JSON.stringify({ query: '{ __typename }' }), 'application/json', {}), 'UnauthorizedException'],
      [
        await post(JSON.stringify({ query: '{ __typename }' }), 'application/json', { 'x-api-key': 'da2-wrong' }),
        'UnauthorizedException',
      ],
      [await post('', 'application/json'), 'MalformedHttpRequestException'],
      [await post('{"query": ', 'application/json'), 'MalformedHttpRequestException'],
      [await post(JSON.stringify({ query: '{ score(' }), 'application/json'), 'MalformedHttpRequestException'],
      [
        await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }), 'application/json'),
        'MalformedHttpRequestException',
      ],
    ] as const;
    for (const [response, errorType] of refusals) {
      expect(response.headers['x-amzn-errortype']).toBe(errorType);
      expect(response.json().errors[0].errorType).toBe(errorType);
    }
    expect(refusals.map(([response]) => response.statusCode)).toEqual([401, 401, 400, 400, 400, 413]);
  });

  it('sends none with a 200, GraphQL errors included', async () => {
    const response = await post(JSON.stringify({ query: '{ nope }' }), 'application/json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-amzn-errortype']).toBeUndefined();
  });

  it('sends a fresh request id with every answer, refusals included', async () => {
    const answers = [
      await get({ query: '{ __typename }' }),
      await post('', 'application/json'),
      await post('{}', 'text/plain'),
      await post(JSON.stringify({ query: '{ __typename }' }), 'application/json', {}),
      await service.app.inject({ method: 'OPTIONS', url: '/graphql' }),
    ];
    const ids = answers.map((response) => response.headers['x-amzn-requestid']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('CORS, as AppSync answers it', () => {
  it(`lets any origin read every answer and its error headers (${RECORDED_401})`, async () => {
    const answers = [
      await get({ query: '{ __typename }' }, { ...key, origin: 'https://app.example' }),
      await post(JSON.stringify({ query: '{ __typename }' }), 'application/json', { origin: 'https://app.example' }),
      await post('', 'application/json'),
      await post('{}', 'text/plain'),
    ];
    for (const response of answers) {
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toBe(EXPOSED);
    }
  });

  it(`answers a preflight with 200, no body, no key needed, the max-age and no methods (${RECORDED_PREFLIGHT})`, async () => {
    const before = await requestsCounted();
    const response = await service.app.inject({
      method: 'OPTIONS',
      url: '/graphql',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': EXPOSED,
      'access-control-max-age': '172800',
    });
    expect(response.headers['x-amzn-requestid']).toEqual(expect.any(String));
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
    expect(response.headers['access-control-allow-headers']).toBeUndefined();
    // A permission check, not an API call: not counted.
    expect(await requestsCounted()).toBe(before);
  });

  it('admits the request headers AWS’s own clients send (aws/aws-appsync-community#103), and no others', async () => {
    const response = await service.app.inject({
      method: 'OPTIONS',
      url: '/graphql',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-api-key,x-amz-user-agent,x-custom',
      },
    });
    expect(response.headers['access-control-allow-headers']).toBe(
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent',
    );
  });
});

describe('the REST facade’s methods', () => {
  const url = `/drivers/${encodeURIComponent(record.driverId)}/score`;

  for (const method of ['HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    it(`answers ${method} on a route's path with API Gateway's 403 Missing Authentication Token, with no CORS (${MISSING_TOKEN})`, async () => {
      const response = await service.app.inject({
        method,
        url,
        headers: { ...key, origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      if (method !== 'HEAD') expect(response.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  }

  it('answers so whatever the request carries: no body is read', async () => {
    for (const contentType of ['application/xml', 'text/plain', 'application/json', undefined]) {
      const response = await service.app.inject({
        method: 'POST',
        url,
        payload: 'x'.repeat(2_000_000),
        headers: contentType ? { ...key, 'content-type': contentType } : key,
      });
      expect(response.statusCode, contentType).toBe(403);
      expect(response.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('still answers GET', async () => {
    const response = await service.app.inject({ method: 'GET', url, headers: key });
    expect(response.statusCode).toBe(200);
    expect(response.json().driverId).toBe(record.driverId);
  });
});
