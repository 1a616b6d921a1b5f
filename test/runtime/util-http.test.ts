/**
 * util.http, as https://docs.aws.amazon.com/appsync/latest/devguide/http-helpers-in-utils-http-js.html
 * describes it: copyHeaders leaves out the restricted headers; custom response headers reach
 * the HTTP response of the operation, and refused ones become a ResponseHeaderError in `errors`.
 */
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { buildApp } from '../../src/server/app';
import { GraphQLService } from '../../src/server/graphql-service';
import { evaluate, RecordingDataSource } from '../helpers/runtime';

function service(requestBody: string) {
  const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
  runtime.load(
    'Query',
    'probe',
    `import { util, runtime } from '@aws-appsync/utils';\nexport function request(ctx) { ${requestBody} return runtime.earlyReturn('ok'); }\nexport function response(ctx) { return ctx.result; }`,
  );
  runtime.load(
    'Query',
    'other',
    `import { util, runtime } from '@aws-appsync/utils';\nexport function request(ctx) { util.http.addResponseHeader('render', 'second'); return runtime.earlyReturn('ok'); }\nexport function response(ctx) { return ctx.result; }`,
  );
  return new GraphQLService(buildSchema('type Query { probe: String other: String }'), runtime);
}

describe('util.http.copyHeaders', () => {
  it('copies every header but the restricted ones, whatever their case', async () => {
    const copied = await evaluate(
      "util.http.copyHeaders({ 'x-custom': 'a', Host: 'h', 'content-length': '3', Connection: 'c', TE: 't', 'keep-alive': 'k', Authorization: 'x', expect: 'e', upgrade: 'u', 'transfer-encoding': 'chunked', 'proxy-authorization': 'p', 'proxy-authenticate': 'q' })",
    );
    expect(copied).toEqual({ 'x-custom': 'a', Authorization: 'x' });
  });
});

describe('util.http.addResponseHeader and addResponseHeaders', () => {
  it("adds the page's example headers to the operation's HTTP response", async () => {
    const graphql = service(
      "util.http.addResponseHeader('itemsCount', 7); util.http.addResponseHeaders({ headerString: 'stringValue', headerObject: { field1: 7, field2: 'string' } });",
    );
    const app = buildApp({ graphql, apiKeys: ['k'], health: () => ({}) });
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      payload: { query: '{ probe }' },
    });
    expect(response.json()).toEqual({ data: { probe: 'ok' } });
    expect(response.headers).toMatchObject({
      itemscount: '7',
      headerstring: 'stringValue',
      headerobject: '{"field1":7,"field2":"string"}',
    });
    await app.close();
  });

  it('keeps the most recent definition of a header across the fields of one operation', async () => {
    const answer = await service("util.http.addResponseHeader('render', 'first');").handle(
      { query: '{ probe other }' },
      { headers: {} },
    );
    expect(answer.headers).toEqual([['render', 'second']]);
  });

  it.each([
    ['a restricted header', "util.http.addResponseHeader('Content-Type', 'text/plain');", 'restricted'],
    ['a CORS header', "util.http.addResponseHeader('Access-Control-Allow-Origin', '*');", 'restricted'],
    ['the x-amzn- prefix', "util.http.addResponseHeader('x-amzn-RequestId', 'forged');", 'restricted'],
    ['an empty name', "util.http.addResponseHeader('', 'v');", 'needs a name'],
    ['a null value', "util.http.addResponseHeader('render', null);", 'has no value'],
    ['a line break in the value', "util.http.addResponseHeader('render', 'a\\r\\nSet-Cookie: x');", 'line break'],
    ['a character HTTP cannot carry', "util.http.addResponseHeader('x-greeting', '日本');", 'cannot carry'],
    ['a control character', "util.http.addResponseHeader('x-nul', 'a\\u0000b');", 'cannot carry'],
    ['more than 4 KB', `util.http.addResponseHeader('big', '${'x'.repeat(4100)}');`, 'over 4096 bytes'],
  ])('ignores %s and reports a ResponseHeaderError, the field still resolving', async (_name, code, message) => {
    const answer = await service(code).handle({ query: '{ probe }' }, { headers: {} });
    expect(answer.headers).toEqual([]);
    expect(answer.body.data).toEqual({ probe: 'ok' });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'ResponseHeaderError',
        message: expect.stringContaining(message),
        path: ['probe'],
      }),
    ]);
  });
});
