/**
 * The HTTP data source offline, against a real HTTP server on loopback: the request object of
 * resolver-reference-http-js sent as AppSync sends it, the answer handed back as
 * tutorial-http-resolvers-js reads it, and a call that gets no answer as a ctx.error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  HTTP_ERROR_TYPE,
  HttpDataSource,
  type HttpDataSourceOptions,
} from '../../src/runtime/datasources/http';
import { NoneDataSource } from '../../src/runtime/datasources/none';
import { type PipelineFunctionCode, ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { cite, devguide } from '../conformance/sources';
import { probeResolver, RecordingDataSource } from '../helpers/runtime';

const REQUEST = cite(devguide('resolver-reference-http-js', 'Request'));
const RESOURCE_PATH = cite(devguide('resolver-reference-http-js', 'ResourcePath'));
const PARAMS = cite(devguide('resolver-reference-http-js', 'Params fields'));
const METHOD = cite(devguide('resolver-reference-http-js', 'Method'));
const TUTORIAL = cite(devguide('tutorial-http-resolvers-js', 'Configuring resolvers'));
const CONTEXT_ERROR = cite(devguide('resolver-context-reference-js', 'Accessing the context'));
const QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/appsync.html «Service quotas»';
const MAPPING_TEMPLATE_ERRORS = cite(devguide('troubleshooting-and-common-mistakes', 'Mapping template errors'));

/** What the test server received. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, received: Received) => void;

let server: Server;
let endpoint: string;
let handler: Handler;
const received: Received[] = [];
const sources: HttpDataSource[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const record = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(record);
      handler(request, response, record);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all(sources.map((source) => source.close()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  received.length = 0;
});

/** Answers every request with `status`, `body` and `headers`. */
function answer(status: number, body: string, headers: Record<string, string> = {}): void {
  handler = (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
}

function httpSource(options: HttpDataSourceOptions = {}, at = endpoint): HttpDataSource {
  const source = new HttpDataSource(at, options);
  sources.push(source);
  return source;
}

const invoke = (source: HttpDataSource, request: Record<string, unknown>) => source.invoke(request);

/** A unit resolver over `source` whose request handler returns `request` (a JS expression). */
const resolverReturning = (request: string, source: HttpDataSource = httpSource()) =>
  probeResolver(
    `export function request(ctx) { return ${request}; }\nexport function response(ctx) { return ctx.result; }`,
    { dataSource: source },
  );

/** A port nothing listens on: one the OS just gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('HttpDataSource: the request AppSync sends', () => {
  it(`sends GET <endpoint><resourcePath>?<query> with the given headers (${RESOURCE_PATH}; ${PARAMS})`, async () => {
    answer(200, '{"id":"1","username":"nadia"}');
    const outcome = await invoke(httpSource(), {
      version: '2018-05-29',
      method: 'GET',
      resourcePath: '/v1/users/1',
      params: {
        query: { type: 'json', q: 'a b&c' },
        headers: { 'Content-Type': 'application/json', 'x-trace': 't-1' },
      },
    });
    expect(outcome.error).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('GET');
    expect(received[0]?.url).toBe('/v1/users/1?type=json&q=a%20b%26c');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['x-trace']).toBe('t-1');
  });

  it(`sends the printed POST example's text/plain body as it is (${REQUEST})`, async () => {
    answer(200, 'ok', { 'content-type': 'text/plain' });
    await invoke(httpSource(), {
      method: 'POST',
      params: { headers: { 'Content-Type': 'text/plain' }, body: 'this is an example of text body' },
      resourcePath: '/',
    });
    expect(received[0]).toMatchObject({ method: 'POST', url: '/', body: 'this is an example of text body' });
    expect(received[0]?.headers['content-type']).toBe('text/plain');
    expect(received[0]?.headers['content-length']).toBe('31');
  });

  it(`sends an object body as its JSON, as the tutorial's addUser passes ctx.args.userInput (${TUTORIAL})`, async () => {
    answer(200, '{}');
    await invoke(httpSource(), {
      method: 'POST',
      resourcePath: '/v1/users',
      params: { headers: { 'Content-Type': 'application/json' }, body: { id: '2', username: 'shaggy' } },
    });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({ id: '2', username: 'shaggy' });
  });

  it(`writes the body in UTF-8 unless the Content-Type names a charset (${PARAMS})`, async () => {
    answer(200, '');
    await invoke(httpSource(), {
      method: 'PUT',
      resourcePath: '/notes',
      params: { headers: { 'content-type': 'text/plain' }, body: 'Zürich' },
    });
    await invoke(httpSource(), {
      method: 'PUT',
      resourcePath: '/notes',
      params: { headers: { 'content-type': 'text/plain; charset=ISO-8859-1' }, body: 'Zürich' },
    });
    expect(received.map((r) => r.headers['content-length'])).toEqual(['7', '6']);
  });

  it('percent-encodes what a URL path cannot carry, keeping escapes already there', async () => {
    answer(200, '');
    await invoke(httpSource(), { method: 'DELETE', resourcePath: '/v1/users/a b/é/x%2Fy' });
    expect(received[0]?.url).toBe('/v1/users/a%20b/%C3%A9/x%2Fy');
  });
});

describe('HttpDataSource: what the response handler gets', () => {
  it(`gives ctx.result { statusCode, headers, body } with the body a string (${TUTORIAL})`, async () => {
    answer(200, '{"id":"1","username":"nadia"}', { 'x-request-id': 'r-42' });
    const outcome = await invoke(httpSource(), { method: 'GET', resourcePath: '/v1/users/1' });
    expect(outcome.error).toBeUndefined();
    const result = outcome.result as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('{"id":"1","username":"nadia"}');
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'r-42' });
  });

  it(`passes a non-2xx answer on as a result for the handler to judge, not as ctx.error (${TUTORIAL})`, async () => {
    answer(404, '{"message":"no such user"}');
    const outcome = await invoke(httpSource(), { method: 'GET', resourcePath: '/v1/users/9' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ statusCode: 404, body: '{"message":"no such user"}' });
  });

  it('joins a repeated response header into one string', async () => {
    handler = (_request, response) => {
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.end('');
    };
    const outcome = await invoke(httpSource(), { method: 'GET', resourcePath: '/' });
    expect((outcome.result as { headers: Record<string, string> }).headers['set-cookie']).toBe('a=1, b=2');
  });

  it('does not follow a redirect: the 3xx is the result', async () => {
    answer(302, '', { location: '/elsewhere' });
    const outcome = await invoke(httpSource(), { method: 'GET', resourcePath: '/old' });
    expect(outcome.result).toMatchObject({ statusCode: 302, headers: { location: '/elsewhere' } });
    expect(received).toHaveLength(1);
  });
});

describe('HttpDataSource: a call that gets no answer', () => {
  it(`is ctx.error { message, type } with a null result, naming no address (${CONTEXT_ERROR})`, async () => {
    const port = await closedPort();
    const outcome = await invoke(httpSource({}, `http://127.0.0.1:${port}`), { method: 'GET', resourcePath: '/' });
    expect(outcome.result).toBeNull();
    expect(outcome.error).toEqual({ type: HTTP_ERROR_TYPE, message: 'The HTTP endpoint refused the connection.' });
    expect(outcome.error?.message).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(outcome.error?.message).not.toContain(String(port));
  });

  it('tells onFailure the cause the caller is not told', async () => {
    const causes: unknown[] = [];
    const port = await closedPort();
    await invoke(httpSource({ onFailure: (cause) => causes.push(cause) }, `http://127.0.0.1:${port}`), {
      method: 'GET',
      resourcePath: '/',
    });
    expect(causes).toHaveLength(1);
    expect(String((causes[0] as Error).message)).toContain(String(port));
  });

  it(`waits at most AppSync's 30 s request execution time by default, and the time given (${QUOTAS})`, async () => {
    expect(DEFAULT_HTTP_TIMEOUT_MS).toBe(30_000);
    handler = () => {}; // never answers
    const started = Date.now();
    const outcome = await invoke(httpSource({ timeoutMs: 150 }), { method: 'GET', resourcePath: '/slow' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.result).toBeNull();
    expect(outcome.error).toEqual({
      type: HTTP_ERROR_TYPE,
      message: 'The HTTP endpoint did not answer within 150 ms.',
    });
  });

  it('times out a body that stops half way too', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('half');
    };
    const outcome = await invoke(httpSource({ timeoutMs: 150 }), { method: 'GET', resourcePath: '/stalls' });
    expect(outcome.error?.message).toBe('The HTTP endpoint did not answer within 150 ms.');
  });

  it(`refuses a body over AppSync's 5 MB response size, declared or streamed (${QUOTAS})`, async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(5_000_000);
    const source = httpSource({ maxResponseBytes: 1000 });
    answer(200, 'x'.repeat(1001));
    const declared = await invoke(source, { method: 'GET', resourcePath: '/big' });
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no length up front
      for (let i = 0; i < 20; i++) response.write('y'.repeat(100));
      response.end();
    };
    const streamed = await invoke(source, { method: 'GET', resourcePath: '/big' });
    for (const outcome of [declared, streamed]) {
      expect(outcome.result).toBeNull();
      expect(outcome.error).toEqual({
        type: HTTP_ERROR_TYPE,
        message: "The HTTP endpoint's response is larger than 1000 bytes, AppSync's limit.",
      });
    }
    answer(200, 'x'.repeat(1000));
    expect((await invoke(source, { method: 'GET', resourcePath: '/fits' })).error).toBeUndefined();
  });
});

describe('HttpDataSource: request objects AppSync would not send', () => {
  it.each([
    ['no method', "{ resourcePath: '/' }", "Value for field '$[method]' not found."],
    ['no resourcePath', "{ method: 'GET' }", "Value for field '$[resourcePath]' not found."],
  ])(
    `ends the field with a MappingTemplate error for %s (${MAPPING_TEMPLATE_ERRORS})`,
    async (_case, request, message) => {
      const outcome = await resolverReturning(request)();
      expect(outcome.value).toBeNull();
      expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([[message, 'MappingTemplate']]);
      expect(received).toEqual([]);
    },
  );

  it.each([
    ['a method outside the documented five', METHOD, "{ method: 'HEAD', resourcePath: '/' }", '$[method]'],
    ['a lower-case method', METHOD, "{ method: 'get', resourcePath: '/' }", '$[method]'],
    [
      'a resourcePath without its leading /',
      RESOURCE_PATH,
      "{ method: 'GET', resourcePath: 'v1/users' }",
      '$[resourcePath]',
    ],
    ['a resourcePath that is not a string', RESOURCE_PATH, "{ method: 'GET', resourcePath: 7 }", '$[resourcePath]'],
    ['params that are not an object', PARAMS, "{ method: 'GET', resourcePath: '/', params: 'x' }", '$[params]'],
    [
      'a header value that is not a string',
      PARAMS,
      "{ method: 'GET', resourcePath: '/', params: { headers: { 'x-count': 3 } } }",
      '$[params][headers][x-count]',
    ],
    [
      'a query value that is not a string',
      PARAMS,
      "{ method: 'GET', resourcePath: '/', params: { query: { page: { n: 1 } } } }",
      '$[params][query][page]',
    ],
    [
      'a body that is neither a string nor an object',
      PARAMS,
      "{ method: 'POST', resourcePath: '/', params: { body: 42 } }",
      '$[params][body]',
    ],
  ])('refuses %s with a MappingTemplate error naming the field (%s)', async (_case, _source, request, field) => {
    const outcome = await resolverReturning(request)();
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]?.errorType).toBe('MappingTemplate');
    expect(outcome.errors[0]?.message).toContain(`'${field}`);
    expect(received).toEqual([]);
  });

  it.each(['Host', 'connection', 'User-Agent', 'Expect', 'Transfer-Encoding', 'CONTENT_LENGTH'])(
    `refuses to set the %s header, one AppSync lists as not settable (${PARAMS})`,
    async (header) => {
      const outcome = await resolverReturning(
        `{ method: 'GET', resourcePath: '/', params: { headers: { '${header}': 'x' } } }`,
      )();
      expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([
        [`AppSync does not let a resolver set the ${header} header.`, 'MappingTemplate'],
      ]);
      expect(received).toEqual([]);
    },
  );

  it(`refuses a Content-Type AppSync does not support, naming it, and takes the listed ones (${PARAMS})`, async () => {
    answer(200, '');
    const form = await resolverReturning(
      "{ method: 'POST', resourcePath: '/', params: { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' } }",
    )();
    expect(form.errors[0]?.errorType).toBe('MappingTemplate');
    expect(form.errors[0]?.message).toContain('application/x-www-form-urlencoded');
    for (const type of ['text/csv', 'application/json; charset=utf-8', 'application/x-amz-json-1.1']) {
      const outcome = await resolverReturning(
        `{ method: 'POST', resourcePath: '/', params: { headers: { 'Content-Type': '${type}' }, body: '{}' } }`,
      )();
      expect(outcome.errors).toEqual([]);
    }
    expect(received).toHaveLength(3);
  });

  it('refuses an endpoint with a path, as HttpConfig takes only a scheme and authority', () => {
    expect(() => new HttpDataSource('https://api.example.com/v1')).toThrow(/must be http\(s\):\/\/host\[:port\]/);
  });
});

describe('a pipeline function over an HTTP data source', () => {
  const IMPORTS = "import { util } from '@aws-appsync/utils';\n";
  /** The tutorial's getUser response handler: parse a 200's body, append the error otherwise. */
  const getUser: PipelineFunctionCode = {
    name: '2.getUser',
    dataSource: 'users-api',
    code: `${IMPORTS}
export function request(ctx) {
  return {
    method: 'GET',
    params: { headers: { 'Content-Type': 'application/json' } },
    resourcePath: '/v1/users/' + ctx.prev.result.id,
  };
}
export function response(ctx) {
  if (ctx.error) { util.error(ctx.error.message, ctx.error.type); }
  const { statusCode, body } = ctx.result;
  if (statusCode === 200) { return JSON.parse(body); }
  util.appendError(body, String(statusCode));
  return null;
}`,
  };
  const check: PipelineFunctionCode = {
    name: '1.check',
    dataSource: 'none',
    code: `${IMPORTS}export function request(ctx) { return { payload: { id: ctx.args.id } }; }
export function response(ctx) { return ctx.result; }`,
  };

  function run(source: HttpDataSource) {
    const runtime = new ResolverRuntime({
      dataSource: new RecordingDataSource(),
      dataSources: { none: new NoneDataSource(), 'users-api': source },
      env: {},
    });
    runtime.loadPipeline(
      'Query',
      'getUser',
      {
        code: `export function request(ctx) { return {}; }
export function response(ctx) { return ctx.prev.result; }`,
      },
      [check, getUser],
    );
    return (id: string) => runtime.resolve({ parentTypeName: 'Query', fieldName: 'getUser', args: { id } });
  }

  it(`parses ctx.result.body of a 200 into the field's value (${TUTORIAL})`, async () => {
    answer(200, '{"id":"1","username":"nadia"}');
    const outcome = await run(httpSource())('1');
    expect(outcome.errors).toEqual([]);
    expect(outcome.value).toEqual({ id: '1', username: 'nadia' });
    expect(received[0]?.url).toBe('/v1/users/1');
  });

  it(`appends the body of a non-200 as an error with the status as its type (${TUTORIAL})`, async () => {
    answer(404, 'no such user');
    const outcome = await run(httpSource())('9');
    expect(outcome.value).toBeNull();
    expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([['no such user', '404']]);
  });

  it(`raises ctx.error of a call that got no answer through util.error (${TUTORIAL})`, async () => {
    const outcome = await run(httpSource({}, `http://127.0.0.1:${await closedPort()}`))('1');
    expect(outcome.value).toBeNull();
    expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([
      ['The HTTP endpoint refused the connection.', HTTP_ERROR_TYPE],
    ]);
  });
});
