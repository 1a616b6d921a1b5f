/**
 * How a resolver runs: handlers, errors, early return, ctx, isolation. Each case follows
 * AWS's description of the APPSYNC_JS runtime, cited by URL.
 */
import { describe, expect, it } from 'vitest';
import { UnsupportedCodeError } from '../../src/runtime/errors';
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
      // "JSON.stringify will not include selectionSetGraphQL and selectionSetList in the string serialization."
      info: { fieldName: 'probe', parentTypeName: 'Query', variables: {} },
      identity: null,
      source: null,
    });
  });

  it('still hands out selectionSetList and selectionSetGraphQL when code reads them', async () => {
    const code = resolver(
      'return runtime.earlyReturn({ list: ctx.info.selectionSetList, graphql: ctx.info.selectionSetGraphQL, keys: Object.keys(ctx.info) });',
    );
    const invoke = probeResolver(code);
    expect((await invoke()).value).toEqual({
      list: [],
      graphql: '',
      keys: ['fieldName', 'parentTypeName', 'variables'],
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

  it('refuses code generation from strings (no Function constructor), even reached by a computed name', async () => {
    const outcome = await probeResolver(
      resolver("const name = 'Func' + 'tion'; return runtime.earlyReturn({ f: globalThis[name]('return 1')() });"),
    )();
    expect(outcome.value).toBeNull();
    expect(outcome.errors[0].errorType).toBe('Code');
    expect(outcome.errors[0].message).toMatch(/^code\.js:\d+:\d+: EvalError: Code generation from strings disallowed/);
  });

  it('refuses imports other than @aws-appsync/*', () => {
    expect(() =>
      probeResolver(
        "import fs from 'node:fs';\nexport function request() { return fs; }\nexport function response() {}",
      ),
    ).toThrow("unsupported in the offline runtime: import of 'node:fs'");
  });
});

describe(`built-ins behave as the APPSYNC_JS runtime documents them (${FEATURES})`, () => {
  const run = async (body: string) => {
    const outcome = await probeResolver(resolver(body))({ list: [3, 1, 2], text: 'abc' });
    return outcome;
  };

  it('JSON.parse "Returns a blank string if the parsed string is not valid JSON"', async () => {
    const outcome = await run("return runtime.earlyReturn({ bad: JSON.parse('{not json'), good: JSON.parse('[1]') });");
    expect(outcome.value).toEqual({ bad: '', good: [1] });
  });

  it('Array.prototype.sort() sorts, and "doesn\'t support arguments"', async () => {
    expect((await run('return runtime.earlyReturn({ sorted: ctx.args.list.sort() });')).value).toEqual({
      sorted: [1, 2, 3],
    });
    // A computed name, so only the run-time restriction can see it.
    const outcome = await run(
      "const name = 'so' + 'rt'; return runtime.earlyReturn({ sorted: ctx.args.list[name](1) });",
    );
    expect(outcome.errors[0]).toMatchObject({ errorType: 'Code' });
    expect(outcome.errors[0].message).toMatch(
      /^code\.js:\d+:\d+: TypeError: Array\.prototype\.sort\(\) does not support arguments/,
    );
  });

  it('"The apply, bind, and call methods [are not] supported"', async () => {
    const outcome = await run(
      "const f = (x) => x; const name = 'ca' + 'll'; return runtime.earlyReturn({ v: f[name](null, 1) });",
    );
    expect(outcome.errors[0].message).toMatch(/TypeError: Function\.prototype\.call is not supported in APPSYNC_JS/);
  });

  it('methods AWS lists as not implemented fail, named as its lint rule names them, on values from ctx too', async () => {
    const padStart = await run(
      "const name = 'pad' + 'Start'; return runtime.earlyReturn({ v: ctx.args.text[name](5) });",
    );
    expect(padStart.errors[0].message).toMatch(/TypeError: Method String\.padStart is not implemented$/);
    const keys = await run("const name = 'ke' + 'ys'; return runtime.earlyReturn({ v: ctx.args.list[name]() });");
    expect(keys.errors[0].message).toMatch(/TypeError: Method Array\.keys is not implemented$/);
    const freeze = await run("const name = 'fre' + 'eze'; return runtime.earlyReturn({ v: Object[name]({}) });");
    expect(freeze.errors[0].message).toMatch(/TypeError: Method ObjectConstructor\.freeze is not implemented$/);
  });

  it('leaves what the page lists as supported working, implicit conversions included', async () => {
    const outcome = await run(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the template literal is in the resolver code under test
      "return runtime.earlyReturn({ joined: `${ctx.args.list}`, concat: '' + ctx.args.list, entries: Object.entries({ a: 1 }), has: Object.hasOwn(ctx.args, 'text'), trimmed: ' x '.trim(), found: ctx.args.list.findLast((n) => n > 1) });",
    );
    expect(outcome.value).toEqual({
      joined: '3,1,2',
      concat: '3,1,2',
      entries: [['a', 1]],
      has: true,
      trimmed: 'x',
      found: 2,
    });
  });
});

describe('a JavaScript error in a handler (aws/aws-appsync-community#328: errorType Code, `code.js:L:C: Name: message`)', () => {
  it('names the position in the code, the error name and its message', async () => {
    const code =
      "import { runtime } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return ctx.args.missing.deeper;\n}\nexport function response(ctx) { return ctx.result; }";
    const outcome = await probeResolver(code)();
    expect(outcome.errors).toEqual([
      expect.objectContaining({
        errorType: 'Code',
        message: "code.js:3:27: TypeError: Cannot read properties of undefined (reading 'deeper')",
      }),
    ]);
  });
});

describe('what the offline runtime does not implement, seen at load', () => {
  it('refuses a module it does not provide, naming it with the line', () => {
    const load = () =>
      probeResolver(
        "import { select } from '@aws-appsync/utils/rds';\nexport function request(ctx) { return select({ table: 't' }); }\nexport function response(ctx) { return ctx.result; }",
      );
    expect(load).toThrow(UnsupportedCodeError);
    expect(load).toThrow(
      /Query\.probe\.js:1:\d+ unsupported in the offline runtime: import of '@aws-appsync\/utils\/rds'/,
    );
  });

  it('refuses a util member AppSync has and this runtime does not, naming it with the line', () => {
    const load = () =>
      probeResolver(
        "import { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return util.rds.toJsonObject(ctx.result);\n}\nexport function response(ctx) { return ctx.result; }",
      );
    expect(load).toThrow(/Query\.probe\.js:3:\d+ unsupported in the offline runtime: util\.rds/);
  });
});
