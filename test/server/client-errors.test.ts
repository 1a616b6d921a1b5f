/**
 * Client mistakes are answered as AppSync answers them and counted as the caller's (4xx), so no
 * client can trip the 5xx alarm. AppSync's words, pasted from its answers:
 * - variables (graphql-java 9): aws-mobile-appsync-sdk-js#83 ("Variable 'id' has coerced Null
 *   value for NonNull type 'ID!'"), aws-appsync-community#273 (HTTP 200, data null, path and
 *   locations null; "The variables input contains a field that is not defined …"), #322 and #406;
 *   the "has an invalid value. Expected type '…' but was '…'." form from graphql-java v9.6
 *   ValuesResolver and Scalars;
 * - an invalid nextToken: aws-amplify/amplify-hosting#433, amplify-cli#3411, amplify-js#4880.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { graphql, startTestService } from '../helpers/service';

async function fiveHundreds(service: Service): Promise<number> {
  const metrics = await service.metrics.registry.getMetricsAsJSON();
  const counter = metrics.find((m) => m.name === 'scoredrive_requests_total');
  return (counter?.values ?? []).filter((v) => v.labels.outcome === '5xx').reduce((sum, v) => sum + v.value, 0);
}

describe('invalid variable values and nextTokens', () => {
  let service: Service;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ service, stop } = await startTestService({ accessLog: false }));
  });
  afterAll(async () => stop());

  const SCORE = 'query($id: ID!) { score(driverId: $id) { score } }';
  const HISTORY = 'query($limit: Int) { scoreHistory(driverId: "AB12", limit: $limit) { nextToken } }';
  const cases: [string, string, Record<string, unknown> | undefined, string][] = [
    ['a required variable missing', SCORE, {}, "Variable 'id' has coerced Null value for NonNull type 'ID!'"],
    ['a required variable null', SCORE, { id: null }, "Variable 'id' has coerced Null value for NonNull type 'ID!'"],
    [
      'an object for an ID',
      SCORE,
      { id: { a: 1 } },
      "Variable 'id' has an invalid value. Expected type 'ID' but was 'LinkedHashMap'.",
    ],
    [
      'a list for an ID',
      SCORE,
      { id: ['A'] },
      "Variable 'id' has an invalid value. Expected type 'ID' but was 'ArrayList'.",
    ],
    [
      'a boolean for an ID',
      SCORE,
      { id: true },
      "Variable 'id' has an invalid value. Expected type 'ID' but was 'Boolean'.",
    ],
    [
      'a string for an Int',
      HISTORY,
      { limit: 'ten' },
      "Variable 'limit' has an invalid value. Expected type 'Int' but was 'String'.",
    ],
    [
      'a fraction for an Int',
      HISTORY,
      { limit: 1.5 },
      "Variable 'limit' has an invalid value. Expected type 'Int' but was 'Double'.",
    ],
    [
      'an Int beyond 32 bits',
      HISTORY,
      { limit: 2 ** 40 },
      "Variable 'limit' has an invalid value. Expected type 'Int' but was 'Long'.",
    ],
    [
      'a null inside a list of non-null IDs',
      'query($ids: [ID!]!) { scores(driverIds: $ids, period: "2026-01") { score } }',
      { ids: ['A', null] },
      "Variable 'ids' has coerced Null value for NonNull type 'ID!'",
    ],
  ];

  for (const [kind, query, variables, message] of cases) {
    it(`answers ${kind} with AppSync's request error, counted as 4xx`, async () => {
      const before = await fiveHundreds(service);
      const { status, body } = await graphql(service, query, variables);
      expect(status).toBe(200);
      expect(body).toEqual({ data: null, errors: [{ path: null, locations: null, message }] });
      expect(await fiveHundreds(service)).toBe(before);
    });
  }

  it('answers a forged nextToken with AppSync’s UserIllegalArgumentException, counted as 4xx', async () => {
    const before = await fiveHundreds(service);
    for (const token of ['garbage', '', 'AQ'.padEnd(80, 'A'), '%%%']) {
      const { body } = await graphql(
        service,
        `{ scoreHistory(driverId: "AB12", nextToken: ${JSON.stringify(token)}) { nextToken } }`,
      );
      expect(body.data).toBeNull();
      expect(body.errors?.[0]).toMatchObject({
        path: ['scoreHistory'],
        errorType: 'DynamoDB:UserIllegalArgumentException',
        message:
          'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
      });
    }
    expect(await fiveHundreds(service)).toBe(before);
  });

  it('still answers valid variables, and a single ID for a list as a one-element list (graphql-java and the spec)', async () => {
    const driverId = (await service.exampleDriverId()) as string;
    const { body } = await graphql(service, SCORE, { id: driverId });
    expect(body.data.score).toEqual({ score: expect.any(Number) });
    const list = await graphql(
      service,
      'query($ids: [ID!]!) { scores(driverIds: $ids, period: "2000-01") { score } }',
      { ids: driverId },
    );
    expect(list.body).toEqual({ data: { scores: [null] } });
  });
});
