/**
 * The offline EvaluateCode: request checks, what each kind of ending answers, and the SDK's
 * own command and types working against it unchanged.
 */
import {
  EvaluateCodeCommand,
  type EvaluateCodeCommandInput as SdkInput,
  type EvaluateCodeCommandOutput as SdkOutput,
} from '@aws-sdk/client-appsync';
import { describe, expect, it } from 'vitest';
import { BadRequestException, evaluateCode, offlineAppSyncClient } from '../../src/evaluate/index';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };
const handlers = (request: string, response = 'return ctx.result;') =>
  `import { util, runtime } from '@aws-appsync/utils';\nexport function request(ctx) {\n  ${request}\n}\nexport function response(ctx) {\n  ${response}\n}\n`;
const run = (code: string, context: unknown = {}, fn = 'request') =>
  evaluateCode({ runtime, code, context: JSON.stringify(context), function: fn });

describe('evaluateCode: the request', () => {
  it.each([
    [
      'no runtime',
      { runtime: undefined },
      "Value null at 'runtime' failed to satisfy constraint: Member must not be null",
    ],
    ['another runtime', { runtime: { name: 'NODEJS', runtimeVersion: '1.0.0' } }, "at 'runtime.name'"],
    [
      'another runtime version',
      { runtime: { name: 'APPSYNC_JS', runtimeVersion: '2.0.0' } },
      "at 'runtime.runtimeVersion'",
    ],
    ['no code', { code: undefined }, "Value null at 'code'"],
    ['empty code', { code: '' }, "at 'code' failed to satisfy constraint: Member must have length between 1 and 32768"],
    ['code over 32,768 characters', { code: 'x'.repeat(32_769) }, "at 'code'"],
    [
      'a one-character context',
      { context: '{' },
      "at 'context' failed to satisfy constraint: Member must have length between 2 and 28000",
    ],
    ['a context over 28,000 characters', { context: `"${'x'.repeat(28_000)}"` }, "at 'context'"],
    ['an unknown function', { function: 'handler' }, "at 'function'"],
  ])('refuses %s with BadRequestException, as the SDK throws it', async (_name, change, message) => {
    const input = { runtime, code: handlers('return {};'), context: '{}', function: 'request', ...change };
    const failure = evaluateCode(input as SdkInput);
    await expect(failure).rejects.toBeInstanceOf(BadRequestException);
    await expect(failure).rejects.toMatchObject({
      name: 'BadRequestException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(failure).rejects.toThrow(message);
  });

  it('counts every broken constraint in one message', async () => {
    await expect(evaluateCode({ runtime: undefined, code: '', context: '' })).rejects.toThrow(
      /^3 validation errors detected: /,
    );
  });

  it.each([
    ['not JSON', '{"arguments": ', 'The context is not valid JSON'],
    ['a JSON array', '[1, 2]', 'The context must be a JSON object'],
    ['a JSON string', '"text"', 'The context must be a JSON object'],
  ])('answers an error for a context that is %s, evaluating nothing', async (_name, context, message) => {
    const out = await evaluateCode({
      runtime,
      code: handlers('console.log("ran"); return {};'),
      context,
      function: 'request',
    });
    expect(out.error?.message).toContain(message);
    expect(out.logs).toEqual([]);
    expect(out.evaluationResult).toBeUndefined();
  });
});

describe('evaluateCode: the answer', () => {
  it('returns the result as compact JSON with the stash, no errors appended, and $metadata', async () => {
    const out = await run(handlers('ctx.stash.seen = ctx.args.id; return { id: ctx.args.id, n: 1.5 };'), {
      arguments: { id: 'a' },
    });
    expect(out).toEqual({
      evaluationResult: '{"id":"a","n":1.5}',
      logs: [],
      stash: '{"seen":"a"}',
      outErrors: '[]',
      $metadata: { httpStatusCode: 200, requestId: expect.any(String), attempts: 1, totalRetryDelay: 0 },
    });
  });

  it('gives ctx.args when the context has no arguments, and keeps a stash the context brings', async () => {
    const out = await run(handlers('return { args: ctx.args, same: ctx.args === ctx.arguments, stash: ctx.stash };'), {
      stash: { a: 1 },
    });
    expect(JSON.parse(out.evaluationResult as string)).toEqual({ args: {}, same: true, stash: { a: 1 } });
  });

  it('lists util.appendError errors in outErrors while the handler still returns', async () => {
    const out = await run(handlers("util.appendError('partial', 'Warn', { a: 1 }, { b: 2 }); return { ok: true };"));
    expect(out.evaluationResult).toBe('{"ok":true}');
    expect(JSON.parse(out.outErrors as string)).toEqual([
      { message: 'partial', errorType: 'Warn', data: { a: 1 }, errorInfo: { b: 2 } },
    ]);
  });

  it('answers runtime.earlyReturn values as the result', async () => {
    const out = await run(handlers('runtime.earlyReturn({ early: true }); return { late: true };'));
    expect(out.evaluationResult).toBe('{"early":true}');
  });

  it('writes console.log and console.error lines with level, position and JSON-encoded arguments', async () => {
    const out = await run(
      handlers('console.log("id", ctx.args.id, { n: 1 }, [true]);\n  console.error("bad", null);\n  return {};'),
      {
        arguments: { id: 'x' },
      },
    );
    expect(out.logs).toEqual(['INFO - code.js:3:3: "id" "x" {"n":1} [true]', 'ERROR - code.js:4:3: "bad" null']);
  });

  it('answers a bug in the code with its position, name and message (and keeps the logs before it)', async () => {
    const out = await run(handlers('console.log("before");\n  return ctx.args.missing.deeper;'));
    expect(out.error).toEqual({
      message: "code.js:4:27: TypeError: Cannot read properties of undefined (reading 'deeper')",
    });
    expect(out.logs).toEqual(['INFO - code.js:3:3: "before"']);
  });

  it('answers code AppSync refuses with codeErrors and their locations, running nothing', async () => {
    const out = await run(handlers('let i = 0;\n  i++;\n  return {};'));
    expect(out.error?.codeErrors).toEqual([
      expect.objectContaining({ errorType: 'LINT_ERROR', location: { line: 4, column: 3, span: -1 } }),
    ]);
    expect(out.error?.message).toMatch(/^code\.js\(4,3\): error no-disallowed-unary-operators: /);
    expect(out.evaluationResult).toBeUndefined();
  });

  it('answers a syntax error as a PARSER_ERROR', async () => {
    const out = await run('export function request(ctx) { return {; }');
    expect(out.error?.codeErrors?.[0]).toMatchObject({ errorType: 'PARSER_ERROR', location: { line: 1 } });
  });

  it('answers a missing handler and an error in top-level code by name', async () => {
    const onlyRequest = 'export function request(ctx) { return {}; }';
    expect((await run(onlyRequest, {}, 'response')).error).toEqual({
      message: 'code.js: no exported function named response',
    });
    const topLevel = 'const broken = undefined.x;\nexport function request(ctx) { return {}; }';
    expect((await run(topLevel)).error?.message).toMatch(
      /^code\.js:1:26: TypeError: Cannot read properties of undefined/,
    );
  });

  it('answers an import the offline runtime does not provide by name', async () => {
    const out = await run(
      "import { get } from '@aws-appsync/utils/somewhere';\nexport function request(ctx) { return get(); }",
    );
    expect(out.error?.message).toContain(
      "unsupported in the offline runtime: import of '@aws-appsync/utils/somewhere'",
    );
  });

  it('tells util.authType() from the identity in the context', async () => {
    const authType = async (identity: unknown) =>
      JSON.parse((await run(handlers('return util.authType();'), { identity })).evaluationResult as string);
    expect(await authType(null)).toBe('API Key Authorization');
    expect(await authType({ accountId: '1', userArn: 'arn:aws:iam::1:user/x' })).toBe('IAM Authorization');
    expect(await authType({ sub: 's', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool' })).toBe(
      'User Pool Authorization',
    );
    expect(await authType({ sub: 's', issuer: 'https://login.example.com' })).toBe('Open ID Connect Authorization');
  });
});

describe("the AWS SDK's command and types, unchanged", () => {
  it('offlineAppSyncClient().send(new EvaluateCodeCommand(input)) answers as AppSyncClient does', async () => {
    const client = offlineAppSyncClient();
    const input: SdkInput = {
      runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
      code: handlers('return util.dynamodb.toMapValues({ id: ctx.args.id });'),
      context: JSON.stringify({ arguments: { id: '7' } }),
      function: 'request',
    };
    const out: SdkOutput = await client.send(new EvaluateCodeCommand(input));
    expect(JSON.parse(out.evaluationResult as string)).toEqual({ id: { S: '7' } });
  });

  it('refuses any other command by name', async () => {
    class ListApisCommand {
      readonly input = {} as SdkInput;
    }
    await expect(offlineAppSyncClient().send(new ListApisCommand())).rejects.toThrow('not ListApisCommand');
  });
});

describe('evaluateCode: answers, never throws, for what JSON cannot carry', () => {
  it.each([
    [
      'a cycle in the result',
      'const a = { x: 1 }; a.self = a; return a;',
      'the result cannot be written as JSON: Converting circular structure',
    ],
    ['a BigInt', 'return { v: 10n };', 'the result cannot be written as JSON: Do not know how to serialize a BigInt'],
    [
      'a getter that fails',
      'return { get x() { return ctx.args.a.b; } };',
      "the result cannot be written as JSON: Cannot read properties of undefined (reading 'b')",
    ],
    ['a cycle in the stash', 'ctx.stash.me = ctx.stash; return {};', 'the stash cannot be written as JSON'],
  ])('%s', async (_name, body, message) => {
    const out = await run(handlers(body));
    expect(out.error?.message).toContain(message);
    expect(out.evaluationResult).toBeUndefined();
  });

  it('answers a side-effect import of a module it lacks, by name', async () => {
    const out = await run("import 'lodash';\nexport function request(ctx) { return {}; }");
    expect(out.error?.message).toContain("unsupported in the offline runtime: import of 'lodash'");
  });

  it('answers a re-export as an offline limit, not as an AppSync refusal', async () => {
    const out = await run("export { util } from '@aws-appsync/utils';\nexport function request(ctx) { return {}; }");
    expect(out.error?.codeErrors?.[0]).toMatchObject({ errorType: 'OFFLINE_UNSUPPORTED' });
  });
});

describe('evaluateCode: a context nested past any real one', () => {
  it('answers an error naming the limit, where copying it would overflow the stack', async () => {
    const depth = 13_000;
    const context = `{"arguments":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const out = await evaluateCode({ runtime, code: handlers('return {};'), context, function: 'request' });
    expect(out.error?.message).toBe('The context cannot be used: the value nests deeper than 1000 levels');
  });
});
