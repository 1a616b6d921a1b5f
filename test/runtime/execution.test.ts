/**
 * How a resolver runs: handlers, errors, early return, ctx, isolation. Each case follows
 * AWS's description of the APPSYNC_JS runtime, cited by URL.
 */
import { describe, expect, it } from 'vitest';
import { probeResolver, RecordingDataSource } from '../helpers/runtime';

const OVERVIEW = 'https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-overview-js.html';
const RUNTIME_UTILS = 'https://docs.aws.amazon.com/appsync/latest/devguide/runtime-utils-js.html';
const CONTEXT = 'https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html';
const FEATURES = 'https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html';

const resolver = (request: string, response = 'return ctx.result;') =>
  `import { util, runtime } from '@aws-appsync/utils';\nexport function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }`;

describe(`request → data source → response (${OVERVIEW})`, () => {
  it('sends the request object to the data source and returns what the response handler makes of ctx.result', async () => {
    const source = new RecordingDataSource().answer({ result: { id: '1', n: 2 } });
    const invoke = probeResolver(
      resolver(
        "return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }) };",
        'return { ...ctx.result, seen: true };',
      ),
      {
        dataSource: source,
      },
    );
    const outcome = await invoke({ id: '1' });
    expect(source.requests).toEqual([{ operation: 'GetItem', key: { id: { S: '1' } } }]);
    expect(outcome).toEqual({ value: { id: '1', n: 2, seen: true }, errors: [] });
  });

  it('util.error in the request handler stops before the data source and nulls the field', async () => {
    const source = new RecordingDataSource();
    const invoke = probeResolver(
      resolver("util.error('bad input', 'ValidationError', { a: 1 }, { why: 'x' }); return {};"),
      {
        dataSource: source,
      },
    );
    const outcome = await invoke();
    expect(source.requests).toHaveLength(0);
    expect(outcome.value).toBeNull();
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({
      message: 'bad input',
      errorType: 'ValidationError',
      data: { a: 1 },
      errorInfo: { why: 'x' },
    });
  });

  it('util.error without a type reports errorType null', async () => {
    const outcome = await probeResolver(resolver("util.error('plain'); return {};"))();
    expect(outcome.errors[0]).toMatchObject({ message: 'plain', errorType: null });
  });

  it('util.appendError keeps the handler running and the data returned', async () => {
    const source = new RecordingDataSource().answer({ result: { id: '7' } });
    const invoke = probeResolver(
      resolver(
        "return { operation: 'GetItem', key: {} };",
        "util.appendError('partial', 'Warning'); return ctx.result;",
      ),
      {
        dataSource: source,
      },
    );
    const outcome = await invoke();
    expect(outcome.value).toEqual({ id: '7' });
    expect(outcome.errors.map((e) => e.message)).toEqual(['partial']);
  });

  it('a data-source error reaches the response handler as ctx.error { message, type }', async () => {
    const source = new RecordingDataSource().answer({
      result: null,
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    });
    const invoke = probeResolver(
      resolver(
        "return { operation: 'PutItem', key: {} };",
        'return { type: ctx.error.type, message: ctx.error.message };',
      ),
      {
        dataSource: source,
      },
    );
    expect((await invoke()).value).toEqual({
      type: 'DynamoDB:ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
  });

  it('util.unauthorized() reports Unauthorized for the field', async () => {
    const outcome = await probeResolver(resolver('util.unauthorized(); return {};'))();
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access probe on type Query',
    });
  });
});

describe(`runtime.earlyReturn (${RUNTIME_UTILS})`, () => {
  it("reproduces the doc's unit-resolver example: { hello: 'world' }, the response handler never called", async () => {
    const source = new RecordingDataSource();
    const code = `import { runtime } from '@aws-appsync/utils'
export function request(ctx) {
  runtime.earlyReturn({ hello: 'world' })
  // code below is not executed
  return ctx.args
}
// never called because request returned early
export function response(ctx) {
  return ctx.result
}`;
    const outcome = await probeResolver(code, { dataSource: source })();
    expect(outcome).toEqual({ value: { hello: 'world' }, errors: [] });
    expect(source.requests).toHaveLength(0);
  });
});

describe(`ctx (${CONTEXT})`, () => {
  it('carries arguments/args, stash, env, info and request headers', async () => {
    const code = resolver(
      'ctx.stash.fromRequest = 1; return runtime.earlyReturn({ args: ctx.args, same: ctx.arguments === ctx.args, stash: ctx.stash, env: ctx.env, info: ctx.info, identity: ctx.identity, source: ctx.source });',
    );
    const outcome = await probeResolver(code, { env: { SCORES_TABLE: 't1' } })({ driverId: 'D1' });
    expect(outcome.value).toEqual({
      args: { driverId: 'D1' },
      same: true,
      stash: { fromRequest: 1 },
      env: { SCORES_TABLE: 't1' },
      info: {
        fieldName: 'probe',
        parentTypeName: 'Query',
        variables: {},
        selectionSetList: [],
        selectionSetGraphQL: '',
      },
      identity: null,
      source: null,
    });
  });

  it('keeps the stash from the request handler to the response handler', async () => {
    const source = new RecordingDataSource().answer({ result: {} });
    const code = resolver("ctx.stash.started = 'yes'; return { operation: 'GetItem', key: {} };", 'return ctx.stash;');
    expect((await probeResolver(code, { dataSource: source })()).value).toEqual({ started: 'yes' });
  });
});

describe(`the sandbox (${FEATURES})`, () => {
  it('gives no access to Node: require, process and eval are absent', async () => {
    const code = resolver(
      "return runtime.earlyReturn({ process: typeof process, require: typeof require === 'function' ? 'module-only' : typeof require, globalThisKeys: Object.keys(globalThis).sort() });",
    );
    const outcome = await probeResolver(code)();
    expect(outcome.value).toMatchObject({ process: 'undefined' });
    expect((outcome.value as { globalThisKeys: string[] }).globalThisKeys).toEqual([
      'console',
      'extensions',
      'runtime',
      'util',
    ]);
  });

  it('refuses code generation from strings (no Function constructor)', async () => {
    const outcome = await probeResolver(resolver("return runtime.earlyReturn({ f: Function('return 1')() });"))();
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0].errorType).toBe('Code');
    expect(outcome.errors[0].message).toMatch(/^Query\.probe\.js: Code generation from strings disallowed/);
  });

  it('refuses imports other than @aws-appsync/*', () => {
    expect(() =>
      probeResolver(
        "import fs from 'node:fs';\nexport function request() { return fs; }\nexport function response() {}",
      ),
    ).toThrow("unsupported in the offline runtime: import of 'node:fs'");
  });
});
