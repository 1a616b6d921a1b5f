/**
 * The stage's GraphQL limits offline, answered as AppSync answers them. Sources:
 * - DEVGUIDE_LIMITS: AppSync Developer Guide, "Configuring GraphQL run complexity, query depth,
 *   and introspection" (ResolverExecutionLimitReached on the resolvers past the limit;
 *   QueryDepthLimitReached on the fields past the depth, thrown to the first nullable parent;
 *   the root field is level 1; introspection off gives a validation error on `__Schema.types`);
 * - QUOTAS: AWS General Reference, AppSync service quotas ("Maximum query length | 15,000 …
 *   measured in tokens … fail with the error message Maximum char length exceeded").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS } from '../../src/contract/graphql-limits';
import type { Service } from '../../src/server/service';
import { graphql, offlineToken, postRaw, startTestService } from '../helpers/service';

const DEVGUIDE_LIMITS = 'https://docs.aws.amazon.com/appsync/latest/devguide/configuring-limits.html';
const QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/appsync.html#limits_appsync';

/** Data-source calls made so far, from the service's own metrics. */
async function dataSourceCalls(service: Service): Promise<number> {
  const metrics = await service.metrics.registry.getMetricsAsJSON();
  const histogram = metrics.find((m) => m.name === 'scoredrive_datasource_duration_seconds');
  return (histogram?.values ?? [])
    .filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Requests counted so far with this outcome (ok, 4xx, 5xx). */
async function requestsWithOutcome(service: Service, outcome: string): Promise<number> {
  const metrics = await service.metrics.registry.getMetricsAsJSON();
  const counter = metrics.find((m) => m.name === 'scoredrive_requests_total');
  return (counter?.values ?? []).filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

describe('the dev stage (and offline): resolvers per request', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let driverId: string;
  beforeAll(async () => {
    ({ service, stop } = await startTestService({ accessLog: false }));
    driverId = (await service.exampleDriverId()) as string;
  });
  afterAll(async () => stop());

  it(`runs the first 25 resolvers and fails each later one with ResolverExecutionLimitReached, without reading the store (${DEVGUIDE_LIMITS})`, async () => {
    const limit = GRAPHQL_LIMITS.dev.resolverCountLimit;
    const aliases = Array.from({ length: limit + 5 }, (_, i) => `s${i}: score(driverId: "${driverId}") { score }`);
    const before = await dataSourceCalls(service);
    const { status, body } = await graphql(service, `{ ${aliases.join(' ')} }`);
    expect(status).toBe(200);
    expect(await dataSourceCalls(service)).toBe(before + limit);
    for (let i = 0; i < limit; i++) expect(body.data[`s${i}`]).toEqual({ score: expect.any(Number) });
    for (let i = limit; i < limit + 5; i++) expect(body.data[`s${i}`]).toBeNull();
    expect(body.errors).toHaveLength(5);
    expect(body.errors?.[0]).toMatchObject({
      path: [`s${limit}`],
      errorType: 'ResolverExecutionLimitReached',
      message: 'Resolver invocation limit reached',
    });
  });

  it('bounds the keys one request can ask for: 25 batches of 100 at most, however many aliases', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `${driverId.slice(0, 50)}X${i}`);
    const aliases = Array.from(
      { length: 500 },
      (_, i) => `b${i}: scores(driverIds: $ids, period: "2026-01") { score }`,
    );
    const before = await dataSourceCalls(service);
    const { status, body } = await graphql(service, `query($ids: [ID!]!) { ${aliases.join(' ')} }`, { ids });
    expect(status).toBe(200);
    expect(await dataSourceCalls(service)).toBeLessThanOrEqual(before + 25 * 4); // BatchGetItem pages of ≤ 25 keys
    // `scores` is non-null: the first failing alias nulls the whole answer.
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ path: ['b25'], errorType: 'ResolverExecutionLimitReached' });
  });

  it(`refuses a document of more than 15,000 tokens with "Maximum char length exceeded" and accepts one of 15,000 (${QUOTAS})`, async () => {
    // `{`, 4,999 × `aN: __typename` (3 tokens each), `last: __typename`, `}` = 15,000 tokens; one alias more is 15,003.
    const document = (aliases: number) =>
      `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: __typename`).join(' ')} __typename }`;
    const accepted = await graphql(service, document(4_999));
    expect(accepted.status).toBe(200);
    expect(Object.keys(accepted.body.data)).toHaveLength(5_000);
    const refused = await graphql(service, document(5_000));
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'Maximum char length exceeded' });
  });

  it('counts limit errors and refused documents as the caller’s (4xx), never as 5xx', async () => {
    const before5xx = await requestsWithOutcome(service, '5xx');
    const before4xx = await requestsWithOutcome(service, '4xx');
    await graphql(
      service,
      `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: score(driverId: "${driverId}") { score }`).join(' ')} }`,
    );
    await postRaw(
      service,
      JSON.stringify({ query: `{ ${Array.from({ length: 5_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
    );
    expect(await requestsWithOutcome(service, '5xx')).toBe(before5xx);
    expect(await requestsWithOutcome(service, '4xx')).toBe(before4xx + 2);
  });
});

describe('a stage with a depth limit', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let driverId: string;
  beforeAll(async () => {
    ({ service, stop } = await startTestService({
      accessLog: false,
      graphqlLimits: { introspection: true, queryDepthLimit: 2, resolverCountLimit: 25 },
    }));
    driverId = (await service.exampleDriverId()) as string;
  });
  afterAll(async () => stop());

  it(`answers fields up to the limit and fails the deeper ones with QueryDepthLimitReached, thrown to the first nullable parent (${DEVGUIDE_LIMITS})`, async () => {
    const { status, body } = await graphql(
      service,
      `{ score(driverId: "${driverId}") { period factors { braking } } other: score(driverId: "${driverId}") { period } }`,
    );
    expect(status).toBe(200);
    // factors.braking is level 3: an Int! inside ScoreFactors! inside the nullable Score.
    expect(body.data).toEqual({ score: null, other: { period: expect.stringMatching(/^\d{4}-\d{2}$/) } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['score', 'factors', 'braking'],
      errorType: 'QueryDepthLimitReached',
    });
  });

  it('lets a query exactly at the limit through (the root field is level 1)', async () => {
    const { body } = await graphql(service, `{ score(driverId: "${driverId}") { period score } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.score).toEqual({ period: expect.any(String), score: expect.any(Number) });
  });
});

describe('prod: introspection off', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let asSystem: Record<string, string>;
  beforeAll(async () => {
    ({ service, stop } = await startTestService({ accessLog: false, stage: 'prod' }));
    // prod's GraphQL API takes no API key: a system's OAuth token, as in production.
    asSystem = { authorization: await offlineToken(service) };
  });
  afterAll(async () => stop());

  it(`answers an introspection query with graphql-java's validation error on the fields of __Schema (${DEVGUIDE_LIMITS})`, async () => {
    const { status, body } = await graphql(service, '{ __schema { types { name } } }', undefined, asSystem);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.map((e) => e.message)).toEqual([
      "Validation error of type FieldUndefined: Field 'types' in type '__Schema' is undefined @ '__schema/types'",
    ]);
  });

  it('still answers __typename', async () => {
    const { body } = await graphql(service, '{ __typename }', undefined, asSystem);
    expect(body).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses __type too, one error per introspection field', async () => {
    const { body } = await graphql(service, '{ __type(name: "Score") { name fields { name } } }', undefined, asSystem);
    expect(body.errors?.map((e) => e.message)).toEqual([
      "Validation error of type FieldUndefined: Field 'name' in type '__Type' is undefined @ '__type/name'",
      "Validation error of type FieldUndefined: Field 'fields' in type '__Type' is undefined @ '__type/fields'",
    ]);
  });
});

describe('dev: introspection on', () => {
  it('answers the introspection query GraphiQL sends', async () => {
    const { service, stop } = await startTestService({ accessLog: false, stage: 'dev' });
    try {
      const { body } = await graphql(service, '{ __schema { queryType { name } } }');
      expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await stop();
    }
  });
});
