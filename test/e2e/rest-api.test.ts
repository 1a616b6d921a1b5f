/**
 * The REST facade offline (GET /drivers/{driverId}/score through src/contract/rest's mapping
 * templates) and its parity with GraphQL's `score`: same fields and values for every fixture
 * driver, corresponding statuses and errors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES, TEMPLATES_DIR } from '../../src/contract/rest/routes';
import { integrationOf } from '../../src/server/rest-facade';
import type { Service } from '../../src/server/service';
import { writeAll } from '../../src/store/batch-writer';
import { demoScores } from '../../src/store/demo-data';
import { sdkDynamoDBApi } from '../../src/store/dynamodb-api';
import { graphql, startTestService, TEST_API_KEY } from '../helpers/service';

const TABLE = 'scoredrive-test-scores';
let service: Service;
let stop: () => Promise<void>;
let demoDriver: string;

/** Ids covering every allowed character class and both length limits. */
const UNUSUAL_IDS = ['a', 'lower_case-id', 'UPPER-AND_lower-09', 'x'.repeat(64), '0123456789', '_-_'];
const MONTHS = ['2025-01', '2025-02', '2025-03'];

beforeAll(async () => {
  ({ service, stop } = await startTestService());
  demoDriver = (await service.exampleDriverId()) as string;
  const [template] = demoScores({ drivers: 1, months: 1, lastPeriod: '2025-01' });
  await writeAll(
    sdkDynamoDBApi(service.client),
    TABLE,
    UNUSUAL_IDS.flatMap((driverId, i) =>
      MONTHS.map((period, m) => ({ ...template, driverId, period, score: 40 + i * 5 + m, modelVersion: "v'2" })),
    ),
  );
});
afterAll(async () => stop?.());

async function rest(url: string, headers: Record<string, string> = { 'x-api-key': TEST_API_KEY }) {
  const response = await service.app.inject({ method: 'GET', url, headers });
  return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
}

const FIELDS =
  'driverId period score band factors { acceleration braking cornering speeding nightDriving } kmDriven trips modelVersion updatedAt';

async function viaGraphql(driverId: string, period?: string) {
  return graphql(service, `query ($id: ID!, $p: String) { score(driverId: $id, period: $p) { ${FIELDS} } }`, {
    id: driverId,
    p: period,
  });
}

const restUrl = (driverId: string, period?: string) =>
  `/drivers/${encodeURIComponent(driverId)}/score${period === undefined ? '' : `?period=${encodeURIComponent(period)}`}`;

describe('GET /drivers/{driverId}/score', () => {
  it('answers the latest month as JSON with GraphQL’s field names', async () => {
    const answer = await rest(restUrl(demoDriver));
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/json');
    expect(Object.keys(answer.body).sort()).toEqual(
      ['band', 'driverId', 'factors', 'kmDriven', 'modelVersion', 'period', 'score', 'trips', 'updatedAt'].sort(),
    );
    expect(answer.body.driverId).toBe(demoDriver);
  });

  it('picks a month with ?period=YYYY-MM', async () => {
    const answer = await rest(restUrl('lower_case-id', '2025-02'));
    expect(answer).toMatchObject({ status: 200, body: { driverId: 'lower_case-id', period: '2025-02', score: 46 } });
  });

  it('answers 404 for an unknown driver or month, without echoing the id', async () => {
    for (const url of [restUrl('NOBODY123'), restUrl(demoDriver, '1999-01')]) {
      const answer = await rest(url);
      expect(answer).toEqual({ status: 404, type: 'application/json', body: { message: 'No score found' } });
    }
  });

  it('answers 400 for an invalid driverId or period, saying which', async () => {
    for (const id of ['bad!id', 'x'.repeat(65), 'spa ce', 'è']) {
      const answer = await rest(restUrl(id));
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^Invalid driverId/);
      expect(JSON.stringify(answer.body)).not.toContain(id);
    }
    for (const period of ['2025-13', '2025-1', '25-01', 'latest', '']) {
      const answer = await rest(restUrl(demoDriver, period));
      if (period === '') {
        expect(answer.status).toBe(200); // an empty period is no period: the latest month
        continue;
      }
      expect(answer).toMatchObject({ status: 400, body: { message: 'Invalid period: use YYYY-MM' } });
    }
  });

  it('answers 403 {"message":"Forbidden"} with no key or a wrong key, as API Gateway does', async () => {
    for (const headers of [{}, { 'x-api-key': 'da2-wrong' }, { 'x-api-key': '' }] as Record<string, string>[]) {
      const answer = await rest(restUrl(demoDriver), headers);
      expect(answer).toEqual({ status: 403, type: 'application/json', body: { message: 'Forbidden' } });
    }
  });

  it('keeps single quotes in strings valid JSON (escapeJavaScript then replaceAll)', async () => {
    const answer = await rest(restUrl('a'));
    expect(answer.body.modelVersion).toBe("v'2");
  });
});

describe('REST and GraphQL parity', () => {
  const fixtures: { name: string; driverId: () => string; period?: string }[] = [
    { name: 'a demo driver, latest month', driverId: () => demoDriver },
    ...UNUSUAL_IDS.map((id) => ({
      name: `id ${id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id}`,
      driverId: () => id,
    })),
    ...UNUSUAL_IDS.map((id) => ({ name: `id ${id.slice(0, 20)}, 2025-01`, driverId: () => id, period: '2025-01' })),
  ];

  it.each(fixtures)('$name: the same score either way', async ({ driverId, period }) => {
    const [viaRest, viaGql] = await Promise.all([rest(restUrl(driverId(), period)), viaGraphql(driverId(), period)]);
    expect(viaRest.status).toBe(200);
    expect(viaGql.body.errors).toBeUndefined();
    expect(viaRest.body).toEqual(viaGql.body.data.score);
  });

  it('unknown driver: REST 404, GraphQL null without error', async () => {
    const [viaRest, viaGql] = await Promise.all([rest(restUrl('NOBODY123')), viaGraphql('NOBODY123')]);
    expect(viaRest.status).toBe(404);
    expect(viaGql.body).toEqual({ data: { score: null } });
  });

  it('invalid id or period: REST 400, GraphQL a ValidationError on the same argument', async () => {
    for (const [id, period, argument] of [
      ['bad!id', undefined, 'driverId'],
      ['OK123', '2025-13', 'period'],
    ] as const) {
      const [viaRest, viaGql] = await Promise.all([rest(restUrl(id, period)), viaGraphql(id, period)]);
      expect(viaRest.status).toBe(400);
      expect(viaRest.body.message).toContain(argument === 'driverId' ? 'driverId' : 'period');
      expect(viaGql.body.data.score).toBeNull();
      expect(viaGql.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError' });
    }
  });
});

describe('the offline REST facade runs the deployed templates', () => {
  it('loads, byte for byte, the files the CDK construct puts in the CloudFormation template', () => {
    for (const route of REST_ROUTES) {
      const integration = integrationOf(route);
      expect(integration.requestTemplate).toBe(readFileSync(path.join(TEMPLATES_DIR, route.requestTemplate), 'utf8'));
      expect(integration.responses.map((r) => r.template)).toEqual(
        route.responses.map((r) => readFileSync(path.join(TEMPLATES_DIR, r.template), 'utf8')),
      );
    }
  });
});
