/**
 * What the offline server records of each API call: one access-log line per GraphQL and REST
 * call (success, 4xx, 5xx), the Prometheus metrics at /metrics, and never a driverId in clear,
 * in the access log, the metrics or the application log.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../src/observability/api-call';
import { createService, type Service } from '../../src/server/service';
import { writeAll } from '../../src/store/batch-writer';
import { createDynamoDBClient } from '../../src/store/client';
import { demoScores } from '../../src/store/demo-data';
import { sdkDynamoDBApi } from '../../src/store/dynamodb-api';
import { type EmbeddedStore, startEmbeddedStore } from '../../src/store/embedded-store';
import { ensureScoresTable } from '../../src/store/table';
import { offlineToken, TEST_API_KEY, tempDir } from '../helpers/service';

const TABLE = 'calls-test-scores';
const DRIVER = 'Driver_4711-Mario';
const UNKNOWN = 'Nobody-0000';
const BAD = 'not valid!';
/** A fixed hash key, so the expected hashes can be computed here. */
const HASH_KEY = Buffer.alloc(32, 7);
const hash = (id: string) => createHmac('sha256', HASH_KEY).update(id).digest('hex').slice(0, 32);

let store: EmbeddedStore;
let service: Service;
let proxy: http.Server;
let appLog = '';
const cleanups: (() => Promise<void>)[] = [];
/** How the DynamoDB endpoint answers reads: normally, with a 500 (an outage), or by dropping the connection. */
let storeMode: 'up' | 'error' | 'reset' | 'hang' = 'up';
/** Answers held back in 'hang' mode, released at the end. */
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  const storeDir = await tempDir();
  const dataDir = await tempDir();
  cleanups.push(storeDir.remove, dataDir.remove);
  store = await startEmbeddedStore(storeDir.dir);
  cleanups.unshift(() => store.close());
  // In front of the store, so reads can be made to fail: the 5xx paths of both APIs.
  proxy = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target']);
    if (storeMode === 'hang' && /Query|GetItem/.test(target)) {
      held.push(response);
      return;
    }
    if (storeMode === 'reset' && /Query|GetItem/.test(target)) {
      request.socket.destroy();
      return;
    }
    if (storeMode === 'error' && /Query|GetItem/.test(target)) {
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'down' }));
      return;
    }
    // On to the store over its message port (it opens no TCP port).
    const forwarded = await store.requestHandler.exchange({
      method: 'POST',
      url: request.url ?? '/',
      headers: request.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString(),
    });
    response.writeHead(forwarded.statusCode, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(forwarded.body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.unshift(
    () =>
      new Promise((resolve) => {
        for (const response of held) response.destroy();
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  );
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const client = createDynamoDBClient({ endpoint });
  await ensureScoresTable(client, TABLE, true);
  const [template] = demoScores({ drivers: 1, months: 1, lastPeriod: '2026-10' });
  await writeAll(sdkDynamoDBApi(client), TABLE, [{ ...template, driverId: DRIVER }]);
  client.destroy();

  process.env.SCOREDRIVE_LOG_HASH_KEY = HASH_KEY.toString('base64');
  const logSink = new Writable({
    write(chunk, _encoding, done) {
      appLog += String(chunk);
      done();
    },
  });
  service = await createService({
    dataDir: dataDir.dir,
    tableName: TABLE,
    dynamodbEndpoint: endpoint,
    apiKeys: TEST_API_KEY,
    stage: 'test',
    logger: pino({ level: 'debug' }, logSink),
  });
  delete process.env.SCOREDRIVE_LOG_HASH_KEY;
  cleanups.unshift(() => service.close());
  key.authorization = await offlineToken(service);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** The test stage's REST facade wants a system's token and the API key (set once the service is up). */
const key: Record<string, string> = { 'x-api-key': TEST_API_KEY };

async function rest(id: string, headers: Record<string, string> = key) {
  return service.app.inject({
    method: 'GET',
    url: `/drivers/${encodeURIComponent(id)}/score`,
    headers: { 'user-agent': 'calls-test', ...headers },
    remoteAddress: '198.51.100.7',
  });
}

async function gql(id: string, headers: Record<string, string> = key) {
  return service.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'user-agent': 'calls-test', ...headers },
    payload: JSON.stringify({
      query: 'query($id: ID!) { score(driverId: $id) { driverId score band } }',
      variables: { id },
    }),
    remoteAddress: '198.51.100.7',
  });
}

async function logLines(): Promise<ApiCall[]> {
  // Lines reach the file asynchronously; wait until every answered call is there.
  const file = path.join(service.accessLogDir as string, 'access.log');
  for (let i = 0; i < 50; i += 1) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter(Boolean);
    if (lines.length >= answered.length) return lines.map((line) => JSON.parse(line));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the access log did not get every call');
}

const answered: { requestId: string; status: number; bytes: number }[] = [];
async function track(response: Awaited<ReturnType<typeof rest>>) {
  answered.push({
    requestId: String(response.headers['x-amzn-requestid']),
    status: response.statusCode,
    bytes: response.rawPayload.length,
  });
  return response;
}

describe('the access log of the offline server', () => {
  let calls: ApiCall[];
  beforeAll(async () => {
    await track(await rest(DRIVER)); // 0: REST 200
    await track(await gql(DRIVER)); // 1: GraphQL 200
    await track(await rest(BAD)); // 2: REST 400 (invalid id)
    await track(await rest(DRIVER, { authorization: key.authorization as string })); // 3: REST 403 (a token, no key)
    await track(await gql(BAD)); // 4: GraphQL ValidationError (4xx, in a 200)
    await track(await gql(DRIVER, { 'x-api-key': 'da2-wrong' })); // 5: GraphQL 401
    await track(await rest(UNKNOWN)); // 6: REST 404
    storeMode = 'error';
    try {
      await track(await rest(DRIVER)); // 7: REST 500
      await track(await gql(DRIVER)); // 8: GraphQL DynamoDB error (5xx, in a 200)
      storeMode = 'reset';
      await track(await rest(DRIVER)); // 9: REST 500, and an entry in the application log
    } finally {
      storeMode = 'up';
    }
    calls = await logLines();
  });

  it('writes one line per call, with the request id the client got back', () => {
    expect(calls.map((c) => c.requestId)).toEqual(answered.map((a) => a.requestId));
    expect(calls.map((c) => c.status)).toEqual(answered.map((a) => a.status));
    expect(calls.map((c) => c.responseBytes)).toEqual(answered.map((a) => a.bytes));
  });

  it('records success, 4xx and 5xx of both APIs with their resource and error type', () => {
    const view = calls.map(({ api, method, resource, status, errorType }) => ({
      api,
      method,
      resource,
      status,
      errorType,
    }));
    const rest = { api: 'rest', method: 'GET', resource: '/drivers/{driverId}/score' };
    const graphql = { api: 'graphql', method: 'POST', resource: 'Query.score' };
    expect(view).toEqual([
      { ...rest, status: 200, errorType: undefined },
      { ...graphql, status: 200, errorType: undefined },
      { ...rest, status: 400, errorType: 'BadRequest' },
      { ...rest, status: 403, errorType: 'ForbiddenException' },
      { ...graphql, status: 200, errorType: 'ValidationError' },
      // Refused before the query is read: no field is known yet.
      { ...graphql, resource: '/graphql', status: 401, errorType: 'UnauthorizedException' },
      { ...rest, status: 404, errorType: 'NotFound' },
      { ...rest, status: 500, errorType: 'InternalServerError' },
      { ...graphql, status: 200, errorType: 'DynamoDB:InternalServerError' },
      // API Gateway's own 500 when the integration cannot be reached at all.
      { ...rest, status: 500, errorType: 'InternalServerErrorException' },
    ]);
  });

  it('says when, where from and how long, for the stage it serves', () => {
    for (const call of calls) {
      expect(call.stage).toBe('test');
      expect(call.sourceIp).toBe('198.51.100.7');
      expect(call.userAgent).toBe('calls-test');
      expect(Date.parse(call.time)).toBeGreaterThan(Date.now() - 120_000);
      expect(call.latencyMs).toBeGreaterThan(0);
      expect(call.latencyMs).toBeLessThan(30_000);
    }
  });

  it('carries driverIds only as the deployment-keyed hash', () => {
    expect(calls.map((c) => c.driverIdHashes)).toEqual([
      [hash(DRIVER)],
      [hash(DRIVER)],
      [hash(BAD)],
      [hash(DRIVER)],
      [hash(BAD)],
      // The 401 is refused before the query is parsed: no driverId is known.
      undefined,
      [hash(UNKNOWN)],
      [hash(DRIVER)],
      [hash(DRIVER)],
      [hash(DRIVER)],
    ]);
  });

  it('never shows a driverId in clear: not in the access log, the metrics or the application log', async () => {
    const accessLog = await readFile(path.join(service.accessLogDir as string, 'access.log'), 'utf8');
    const metrics = (await service.app.inject({ method: 'GET', url: '/metrics', headers: key })).body;
    expect(metrics).toContain('scoredrive_requests_total');
    // The dropped connection was logged as an error, so the application log has something to scan.
    expect(appLog).toContain('REST integration failed');
    for (const text of [accessLog, metrics, appLog]) {
      for (const id of [DRIVER, UNKNOWN, BAD, encodeURIComponent(BAD)]) expect(text).not.toContain(id);
    }
  });
});

describe('GraphQL resources', () => {
  it('name each root field once, whatever the aliases: no new resource per query shape', async () => {
    const ask = async (query: string) => {
      await service.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...key },
        payload: JSON.stringify({ query }),
      });
    };
    const file = path.join(service.accessLogDir as string, 'access.log');
    const read = async () =>
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ApiCall);
    const before = (await read()).length;
    await ask(`{ a: score(driverId: "${DRIVER}") { score } b: score(driverId: "${UNKNOWN}") { score } }`);
    await ask(
      `{ s: scores(driverIds: ["${DRIVER}"], period: "2026-10") { score } score(driverId: "${DRIVER}") { score } }`,
    );
    let lines = await read();
    for (let i = 0; i < 50 && lines.length < before + 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines = await read();
    }
    const [aliased, mixed] = lines.slice(before);
    expect(aliased.resource).toBe('Query.score');
    expect(aliased.driverIdHashes).toEqual([hash(DRIVER), hash(UNKNOWN)]);
    expect(mixed.resource).toBe('Query.score,Query.scores');
  });
});

describe('a caller that hangs up', () => {
  it('is logged with status 499, and the in-flight gauge comes back down', async () => {
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (service.app.server.address() as AddressInfo).port;
    storeMode = 'hang';
    try {
      const aborted = new AbortController();
      const request = fetch(`http://127.0.0.1:${port}/drivers/${DRIVER}/score`, {
        headers: key,
        signal: aborted.signal,
      });
      // Wait until the server has the request (its store call is held), then hang up.
      for (let i = 0; i < 100 && held.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(held.length).toBe(1);
      aborted.abort();
      await expect(request).rejects.toThrow();
      let last: ApiCall | undefined;
      for (let i = 0; i < 100; i += 1) {
        const lines = (await readFile(path.join(service.accessLogDir as string, 'access.log'), 'utf8'))
          .trim()
          .split('\n');
        last = JSON.parse(lines[lines.length - 1]);
        if (last?.status === 499) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(last).toMatchObject({
        api: 'rest',
        status: 499,
        errorType: 'ClientClosedRequest',
        driverIdHashes: [hash(DRIVER)],
      });
      const metrics = (await service.app.inject({ method: 'GET', url: '/metrics', headers: key })).body;
      expect(metrics).toMatch(/^scoredrive_requests_in_flight\{api="rest",stage="test"\} 0$/m);
      expect(metrics).toMatch(
        /^scoredrive_requests_total\{api="rest",resource="\/drivers\/\{driverId\}\/score",status="499",outcome="4xx",stage="test"\} 1$/m,
      );
    } finally {
      storeMode = 'up';
    }
  });
});

describe('GET /metrics', () => {
  async function metrics(headers: Record<string, string> = key) {
    return service.app.inject({ method: 'GET', url: '/metrics', headers });
  }
  /** The value of the sample `name{labels…}` whose labels include all of `labels`. */
  function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
      if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return undefined;
  }

  it('asks for the API key, in x-api-key or as a bearer token', async () => {
    expect((await metrics({})).statusCode).toBe(401);
    expect((await metrics({ authorization: 'Bearer da2-wrong' })).statusCode).toBe(401);
    expect((await metrics({ authorization: `Bearer ${TEST_API_KEY}` })).statusCode).toBe(200);
    expect((await metrics()).headers['content-type']).toContain('text/plain');
  });

  it('counts calls by route, status and outcome, and times them in buckets that reach past 1 s', async () => {
    const before = await metrics();
    const count = (text: string) =>
      sample(text, 'scoredrive_requests_total', { api: 'rest', status: '200', outcome: 'ok' }) ?? 0;
    await rest(DRIVER);
    await rest(DRIVER);
    const after = (await metrics()).body;
    expect(count(after) - count(before.body)).toBe(2);
    const resource = '/drivers/{driverId}/score';
    expect(
      sample(after, 'scoredrive_request_duration_seconds_bucket', { resource, outcome: 'ok', le: '1' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'scoredrive_request_duration_seconds_bucket', { resource, le: '0.001' })).toBeDefined();
    expect(sample(after, 'scoredrive_requests_in_flight', { api: 'rest' })).toBe(0);
    expect(
      sample(after, 'scoredrive_datasource_duration_seconds_count', { operation: 'Query', outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect(
      sample(after, 'scoredrive_datasource_duration_seconds_count', { operation: 'Query', outcome: 'error' }),
    ).toBeGreaterThan(0);
    expect(after).toMatch(/^process_cpu_seconds_total\{stage="test"\} /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_p99_seconds\{stage="test"\} /m);
  });

  it('labels routes by template only, however many drivers are asked about', async () => {
    for (let i = 0; i < 5; i += 1) await rest(`someone-${i}`);
    const text = (await metrics()).body;
    expect(text).not.toMatch(/someone-\d/);
    const resources = new Set([...text.matchAll(/resource="([^"]*)"/g)].map((m) => m[1]));
    expect([...resources].sort()).toEqual([
      '/drivers/{driverId}/score',
      '/graphql',
      'Query.score',
      'Query.score,Query.scores',
    ]);
  });
});
