/**
 * The offline API end to end, in-process: the real resolver bundles, the runtime, dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { demoScores, lastCompletedPeriod } from '../../src/store/demo-data';
import { graphql, postRaw, startTestService, TEST_API_KEY } from '../helpers/service';

const SCORE_FIELDS =
  'driverId period score band factors { acceleration braking cornering speeding nightDriving } kmDriven trips modelVersion updatedAt';
const LATEST = lastCompletedPeriod();
// The same generator the service seeded with: the expected records, independently of the API.
const records = [...demoScores({ drivers: 40, months: 4, lastPeriod: LATEST })];
const driverIds = [...new Set(records.map((r) => r.driverId))];

let service: Service;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ service, stop } = await startTestService());
});
afterAll(async () => stop());

describe('score(driverId)', () => {
  it('returns the latest month with every field', async () => {
    const driverId = driverIds[3];
    const expected = records.filter((r) => r.driverId === driverId).at(-1);
    const { status, body } = await graphql(service, `query($id: ID!) { score(driverId: $id) { ${SCORE_FIELDS} } }`, {
      id: driverId,
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.score).toEqual(expected);
    expect(body.data.score.period).toBe(LATEST);
  });

  it('returns the given month when period is passed', async () => {
    const expected = records.filter((r) => r.driverId === driverIds[5])[1];
    const { body } = await graphql(
      service,
      `{ score(driverId: "${driverIds[5]}", period: "${expected.period}") { period score band } }`,
    );
    expect(body.data.score).toEqual({ period: expected.period, score: expected.score, band: expected.band });
  });

  it('returns null with no error for an unknown driver', async () => {
    const { status, body } = await graphql(service, '{ score(driverId: "UNKNOWN0DRIVER00") { period } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { score: null } });
  });

  it('refuses an invalid driverId with a typed error and null data', async () => {
    const { status, body } = await graphql(service, '{ score(driverId: "not valid!") { period } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ score: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['score'],
      errorType: 'ValidationError',
      errorInfo: { argument: 'driverId' },
      locations: [{ line: 1, column: 3, sourceName: null }],
    });
    expect(body.errors?.[0].message).not.toContain('not valid!');
  });

  it('refuses a period that is not YYYY-MM', async () => {
    const { body } = await graphql(service, `{ score(driverId: "${driverIds[0]}", period: "2024-13") { period } }`);
    expect(body.data.score).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { argument: 'period' } });
  });
});

describe('scoreHistory', () => {
  it('pages through every month, newest first, ending with a null nextToken', async () => {
    const driverId = driverIds[7];
    const expected = records
      .filter((r) => r.driverId === driverId)
      .map((r) => r.period)
      .reverse();
    const seen: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const { body }: { body: any } = await graphql(
        service,
        'query($id: ID!, $t: String) { scoreHistory(driverId: $id, limit: 3, nextToken: $t) { items { period } nextToken } }',
        { id: driverId, t: nextToken },
      );
      expect(body.errors).toBeUndefined();
      seen.push(...body.data.scoreHistory.items.map((i: { period: string }) => i.period));
      nextToken = body.data.scoreHistory.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    expect(seen).toEqual(expected);
    expect(pages).toBe(2);
  });

  it('keeps only the months between from and to, inclusive', async () => {
    const periods = records.filter((r) => r.driverId === driverIds[1]).map((r) => r.period);
    const { body } = await graphql(
      service,
      `{ scoreHistory(driverId: "${driverIds[1]}", from: "${periods[1]}", to: "${periods[2]}") { items { period } nextToken } }`,
    );
    expect(body.data.scoreHistory).toEqual({
      items: [{ period: periods[2] }, { period: periods[1] }],
      nextToken: null,
    });
  });

  it('returns an empty page for an unknown driver', async () => {
    const { body } = await graphql(service, '{ scoreHistory(driverId: "UNKNOWN") { items { period } nextToken } }');
    expect(body.data.scoreHistory).toEqual({ items: [], nextToken: null });
  });

  it('refuses a tampered nextToken', async () => {
    const { body } = await graphql(
      service,
      `{ scoreHistory(driverId: "${driverIds[1]}", nextToken: "garbage") { items { period } } }`,
    );
    expect(body.data).toBeNull();
    expect(body.errors?.[0].errorType).toBe('DynamoDB:UserIllegalArgumentException');
  });

  it('refuses a limit outside 1-100', async () => {
    const { body } = await graphql(
      service,
      `{ scoreHistory(driverId: "${driverIds[1]}", limit: 0) { items { period } } }`,
    );
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { argument: 'limit' } });
  });
});

describe('scores(driverIds, period)', () => {
  it('keeps the order of the ids, repeats included, and answers null for unknown ones', async () => {
    const ids = [driverIds[9], 'UNKNOWN', driverIds[2], driverIds[9]];
    const { body } = await graphql(
      service,
      'query($ids: [ID!]!, $p: String!) { scores(driverIds: $ids, period: $p) { driverId score } }',
      {
        ids,
        p: LATEST,
      },
    );
    const expected = (id: string) => {
      const r = records.find((x) => x.driverId === id && x.period === LATEST);
      return r ? { driverId: r.driverId, score: r.score } : null;
    };
    expect(body.data.scores).toEqual(ids.map(expected));
  });

  it('refuses 101 ids with a clear error', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `DRIVER${i}`);
    const { body } = await graphql(
      service,
      'query($ids: [ID!]!) { scores(driverIds: $ids, period: "2024-01") { driverId } }',
      { ids },
    );
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: 'Invalid driverIds: expected 1-100 ids, got 101',
    });
  });

  it('accepts exactly 100 ids', async () => {
    const ids = Array.from(
      { length: 100 },
      (_, i) => driverIds[i % driverIds.length] + (i < driverIds.length ? '' : `X${i}`),
    );
    const { body } = await graphql(
      service,
      'query($ids: [ID!]!, $p: String!) { scores(driverIds: $ids, period: $p) { driverId } }',
      { ids, p: LATEST },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.scores).toHaveLength(100);
    expect(body.data.scores.filter(Boolean)).toHaveLength(driverIds.length);
  });
});

/**
 * AppSync's HTTP answers. AWS documents the statuses (https://repost.aws/knowledge-center/aws-appsync-graphql-request-unauth-error:
 * "401 Unauthorized … credentials are missing or invalid"); the bodies are AppSync's own, as the
 * AppSync team listed them in graphql/graphql-over-http#81 ("Request body is empty.", "Unable to
 * parse GraphQL query.", validation errors as 200 with data null) and as deployed APIs answer.
 */
describe('the HTTP surface', () => {
  it('answers 401 UnauthorizedException without a key', async () => {
    const { status, body } = await graphql(service, '{ score(driverId: "X") { period } }', undefined, {});
    expect(status).toBe(401);
    expect(body).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
    });
  });

  it('answers 401 UnauthorizedException for a wrong key', async () => {
    const { status, body } = await graphql(service, '{ score(driverId: "X") { period } }', undefined, {
      'x-api-key': `${TEST_API_KEY}x`,
    });
    expect(status).toBe(401);
    expect(body).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    });
  });

  it('answers 400 MalformedHttpRequestException to a body that is not JSON', async () => {
    const response = await postRaw(service, '{"query": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }],
    });
  });

  it('answers 400 to an empty body', async () => {
    const response = await postRaw(service, '');
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toEqual({
      errorType: 'MalformedHttpRequestException',
      message: 'Request body is empty.',
    });
  });

  it('answers 400 to a query with a syntax error', async () => {
    const { status, body } = await graphql(service, '{ score(driverId: "X") { period }');
    expect(status).toBe(400);
    expect(body.errors?.[0].errorType).toBe('MalformedHttpRequestException');
  });

  it('reports validation errors as AppSync does: 200, data null, graphql-java wording', async () => {
    const { status, body } = await graphql(service, '{ badfield }');
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0].message).toMatch(/^Validation error of type FieldUndefined: /);
    expect(body.errors?.[0].errorType).toBeUndefined();
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await postRaw(
      service,
      JSON.stringify({ query: `{ score(driverId: "X") { period } } #${'x'.repeat(1_100_000)}` }),
    );
    expect(response.status).toBe(413);
  });

  it('serves the explorer with the key pre-filled and its assets locally', async () => {
    const page = await service.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(TEST_API_KEY);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)/);
    for (const asset of [
      '/explorer/graphiql.js',
      '/explorer/graphiql.css',
      '/explorer/react.js',
      '/explorer/react-dom.js',
    ]) {
      const response = await service.app.inject({ method: 'GET', url: asset });
      expect(response.statusCode, asset).toBe(200);
      expect(response.body.length, asset).toBeGreaterThan(1000);
    }
  });

  it('reports health without a key', async () => {
    const response = await service.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', table: 'scoredrive-test-scores', store: 'embedded' });
  });
});
