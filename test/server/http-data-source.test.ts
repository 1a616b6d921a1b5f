/**
 * An HTTP data source in the running service: a catalogue naming one, `httpEndpoints` pointing
 * it at a local twin, and a unit resolver `Query.score.[score-feed].ts` in place of the table
 * read, answering over GraphQL as tutorial-http-resolvers-js's getUser does.
 */

import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpEndpointsOption } from '../../src/cli/serve';
import { DATA_SOURCES, type DataSourceCatalogue } from '../../src/contract/data-sources';
import { RESOLVERS_DIR } from '../../src/contract/project-paths';
import { HTTP_ERROR_TYPE } from '../../src/runtime/datasources/http';
import { buildDataSources, withHttpEndpoints } from '../../src/server/data-sources';
import { cite, devguide } from '../conformance/sources';
import { RecordingDataSource } from '../helpers/runtime';
import { graphql, startTestService, tempDir } from '../helpers/service';

const TUTORIAL = cite(devguide('tutorial-http-resolvers-js', 'Configuring resolvers'));
const DATA_SOURCE = cite(devguide('tutorial-http-resolvers-js', 'Configure your HTTP data source'));

const CATALOGUE: DataSourceCatalogue = {
  ...DATA_SOURCES,
  'score-feed': {
    kind: 'HTTP',
    description: 'a scoring partner, for this test',
    endpoint: 'https://score-feed.example.com',
  },
};

/** The unit resolver over `score-feed`: the tutorial's getUser shape. */
const RESOLVER = `import { type Context, util } from '@aws-appsync/utils';

export function request(ctx: Context) {
  return {
    method: 'GET',
    resourcePath: '/v1/scores/' + ctx.args.driverId,
    params: { query: { period: ctx.args.period || 'latest' }, headers: { Accept: 'application/json' } },
  };
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const { statusCode, body } = ctx.result;
  if (statusCode === 404) {
    return null;
  }
  if (statusCode !== 200) {
    util.error(body, 'HTTP:' + statusCode);
  }
  return JSON.parse(body);
}
`;

const score = (driverId: string, period: string) => ({
  driverId,
  period,
  score: 77,
  band: 'B',
  factors: { acceleration: 70, braking: 80, cornering: 75, speeding: 60, nightDriving: 90 },
  kmDriven: 812.5,
  trips: 41,
  modelVersion: 'partner-1',
  updatedAt: '2026-02-01T00:00:00Z',
});

let feed: Server;
let feedUrl: string;
const seen: string[] = [];
let sources: { dir: string; remove: () => Promise<void> };
let running: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  feed = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} accept=${request.headers.accept}`);
    const url = new URL(request.url ?? '/', 'http://feed');
    const driverId = url.pathname.split('/').pop() ?? '';
    if (driverId === 'NOBODY') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"unknown driver"}');
    } else if (driverId === 'BROKEN') {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('feed is down');
    } else {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(score(driverId, url.searchParams.get('period') ?? '')));
    }
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;

  sources = await tempDir('scoredrive-http-');
  const resolversDir = path.join(sources.dir, 'resolvers');
  await cp(RESOLVERS_DIR, resolversDir, { recursive: true });
  await rm(path.join(resolversDir, 'Query.score'), { recursive: true, force: true });
  await writeFile(path.join(resolversDir, 'Query.score.[score-feed].ts'), RESOLVER);
  await mkdir(path.join(sources.dir, 'bundles'));
  running = await startTestService({
    accessLog: false,
    resolversDir,
    bundlesDir: path.join(sources.dir, 'bundles'),
    dataSources: CATALOGUE,
    httpEndpoints: { 'score-feed': feedUrl },
  });
});
afterAll(async () => {
  await running?.stop();
  await sources?.remove();
  feed.closeAllConnections();
  await new Promise<void>((resolve) => feed.close(() => resolve()));
});

const QUERY =
  'query ($id: ID!, $period: String) { score(driverId: $id, period: $period) { driverId period score band factors { braking } } }';

describe('the service with an HTTP data source', () => {
  it(`answers a field from the endpoint the override names, the resolver parsing ctx.result.body (${TUTORIAL})`, async () => {
    seen.length = 0;
    const { status, body } = await graphql(running.service, QUERY, { id: 'AB12', period: '2026-01' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.score).toEqual({
      driverId: 'AB12',
      period: '2026-01',
      score: 77,
      band: 'B',
      factors: { braking: 80 },
    });
    expect(seen).toEqual(['GET /v1/scores/AB12?period=2026-01 accept=application/json']);
  });

  it(`leaves a non-2xx to the resolver: null for a 404, its error for a 503 (${TUTORIAL})`, async () => {
    expect((await graphql(running.service, QUERY, { id: 'NOBODY' })).body).toEqual({ data: { score: null } });
    const broken = (await graphql(running.service, QUERY, { id: 'BROKEN' })).body;
    expect(broken.data).toEqual({ score: null });
    expect(broken.errors?.map((e) => [e.message, e.errorType])).toEqual([['feed is down', 'HTTP:503']]);
  });

  it('still serves the other fields from the scores table', async () => {
    const driverId = await running.service.exampleDriverId();
    const { body } = await graphql(running.service, `{ scoreHistory(driverId: "${driverId}") { items { driverId } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.scoreHistory.items.length).toBeGreaterThan(0);
  });
});

describe('buildDataSources', () => {
  const dynamodb = new RecordingDataSource();

  it(`gives each catalogue entry its offline twin, HTTP ones at their endpoint (${DATA_SOURCE})`, async () => {
    const built = buildDataSources(CATALOGUE, { dynamodb });
    expect(Object.keys(built.named).sort()).toEqual(['none', 'score-feed']);
    expect(built.named.none?.kind).toBe('NONE');
    expect(built.named['score-feed']?.kind).toBe('HTTP');
    await built.close();
  });

  it('sends an HTTP data source where the override says, and reports failed calls to onHttpFailure', async () => {
    const failures: string[] = [];
    const built = buildDataSources(CATALOGUE, {
      dynamodb,
      httpEndpoints: { 'score-feed': 'http://127.0.0.1:9' },
      http: { timeoutMs: 2000 },
      onHttpFailure: (name) => failures.push(name),
    });
    const outcome = await built.named['score-feed']?.invoke({ method: 'GET', resourcePath: '/' }, { resolver: 'x' });
    expect(outcome?.error?.type).toBe(HTTP_ERROR_TYPE);
    expect(failures).toEqual(['score-feed']);
    await built.close();
  });

  it('refuses an override naming no HTTP data source, or with a path', () => {
    expect(() => withHttpEndpoints(CATALOGUE, { none: 'http://127.0.0.1:1' })).toThrow(
      'HTTP endpoint for "none": no HTTP data source has that name (HTTP data sources: score-feed)',
    );
    expect(() => withHttpEndpoints(CATALOGUE, { 'score-feed': 'http://127.0.0.1:1/v1' })).toThrow(
      'HTTP endpoint for "score-feed": "http://127.0.0.1:1/v1" must be http(s)://host[:port], without a path',
    );
  });

  it('refuses a kind it has no twin for, naming the data source', () => {
    const odd = { ...DATA_SOURCES, search: { kind: 'AMAZON_OPENSEARCH_SERVICE', description: '' } } as never;
    expect(() => buildDataSources(odd, { dynamodb })).toThrow('data source "search": kind "AMAZON_OPENSEARCH_SERVICE"');
  });
});

describe('scoredrive serve --http-endpoint <name=url>', () => {
  it('maps repeated values to httpEndpoints', () => {
    expect(httpEndpointsOption([], CATALOGUE)).toBeUndefined();
    expect(httpEndpointsOption(['score-feed=http://127.0.0.1:4100'], CATALOGUE)).toEqual({
      'score-feed': 'http://127.0.0.1:4100',
    });
  });

  it.each([
    [['score-feed'], '--http-endpoint "score-feed": expected <name>=<url>'],
    [['weather=http://127.0.0.1:1'], '--http-endpoint: HTTP endpoint for "weather": no HTTP data source has that name'],
    [
      ['score-feed=ftp://x'],
      '--http-endpoint: HTTP endpoint for "score-feed": "ftp://x" must be http(s)://host[:port]',
    ],
    [['score-feed=http://a', 'score-feed=http://b'], '--http-endpoint: "score-feed" is given twice'],
  ])('is a usage error naming what is wrong in %j', (values, message) => {
    expect(() => httpEndpointsOption(values, CATALOGUE)).toThrow(message);
  });

  it('refuses any name with the deployed catalogue, which has no HTTP data source yet', () => {
    expect(() => httpEndpointsOption(['score-feed=http://127.0.0.1:1'])).toThrow(
      'no HTTP data source has that name (HTTP data sources: none)',
    );
  });
});
