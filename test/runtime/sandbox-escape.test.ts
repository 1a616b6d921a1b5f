/**
 * Nothing the runtime hands to resolver code leads out of its realm: util, the modules and
 * console are host objects, and a host Function may compile strings. Each way to climb from
 * them to a host constructor ends at the realm's own (which refuses to compile) or at nothing,
 * and the ways round (descriptors, replaced built-ins, caught host errors, import(), a stack
 * formatter, top-level code, an endless handler) are closed too.
 */
import { describe, expect, it } from 'vitest';
import { evaluateHandler } from '../conformance/run';

const ESCAPE_PROBES = [
  "util.autoId.constructor('return typeof process')()",
  "util.dynamodb.toMapValues({ a: 1 }).constructor.constructor('return typeof process')()",
  "util.time.nowISO8601.constructor('return typeof process')()",
  "ddb.get.constructor('return typeof process')()",
  "ddb.operations.add(1).constructor.constructor('return typeof process')()",
  "console.log.constructor('return typeof process')()",
  "ctx.args.constructor.constructor('return typeof process')()",
  "runtime.earlyReturn.constructor('return typeof process')()",
];

const code = (expression: string) => `import { util, runtime } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return { v: ${expression} }; }
export function response(ctx) { return ctx.result; }`;

describe('the realm keeps resolver code in', () => {
  it.each(ESCAPE_PROBES)('%s cannot compile code', async (expression) => {
    const out = await evaluateHandler(code(expression), {}, 'request');
    expect(out.evaluationResult).toBeUndefined();
    expect(out.error?.message).toMatch(/EvalError: Code generation from strings disallowed/);
  });

  it('hands out no prototype or inherited member of util and the modules', async () => {
    // Named statically these are refused at load (ts2339); a computed name reaches the run time.
    const out = await evaluateHandler(
      code(
        "[typeof util['constr' + 'uctor'], typeof util['__pro' + 'to__'], typeof ddb['constr' + 'uctor'], typeof util.time['hasOwn' + 'Property'], typeof console['constr' + 'uctor']]",
      ),
      {},
      'request',
    );
    expect(JSON.parse(out.evaluationResult as string)).toEqual({
      v: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
    });
  });

  it('refuses to change util', async () => {
    const out = await evaluateHandler(code("(util.autoId = () => 'fixed')"), {}, 'request');
    expect(out.error?.message).toMatch(/TypeError/);
  });
});

describe('the other ways out the review found, closed', () => {
  const run = (body: string, context: Record<string, unknown> = {}) =>
    evaluateHandler(
      `import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) {\n${body}\n}\nexport function response(ctx) { return ctx.result; }`,
      context,
      'request',
    );
  const escaped = (out: { evaluationResult?: string; stash?: string }) =>
    /v20|"object"/.test(`${out.evaluationResult ?? ''}${out.stash ?? ''}`);

  it('a property descriptor of util hands out the realm function, not the host one', async () => {
    const out = await run(
      "const R = globalThis['Ref' + 'lect']; const f = R.getOwnPropertyDescriptor(util, 'autoId').value; return { v: f.constructor('return typeof process')() };",
    );
    expect(escaped(out)).toBe(false);
    expect(out.error?.message).toMatch(/Code generation from strings disallowed/);
  });

  it("host code never calls the code's replacements of built-ins on its arguments", async () => {
    const out = await run(
      "Array.prototype['map'] = function (f) { ctx.stash.leak = typeof f === 'function' ? f.constructor('return process.version')() : 'x'; return []; };\nreturn { v: util.dynamodb.toDynamoDB([1, 2]) };",
    );
    expect(JSON.parse(out.stash as string)).toEqual({});
    expect(JSON.parse(out.evaluationResult as string)).toEqual({ v: { L: [{ N: 1 }, { N: 2 }] } });
  });

  it('has no Promise to catch a host error with', async () => {
    const out = await run("const P = globalThis['Prom' + 'ise']; return { v: typeof P };");
    expect(JSON.parse(out.evaluationResult as string)).toEqual({ v: 'undefined' });
  });

  it('refuses import() and import.meta when the code loads', async () => {
    const out = await run("return { v: typeof import('fs') };");
    expect(out.error?.message).toMatch(/supported-features\/no-dynamic-import/);
  });

  it('cannot install a stack formatter (it would get the host CallSite objects)', async () => {
    const out = await run('Error.prepareStackTrace = (e, cs) => cs; return ctx.args.a.b;');
    expect(out.error?.message).toMatch(/Cannot assign to read only property 'prepareStackTrace'/);
  });

  it('the restrictions hold in top-level code, which cannot undo them', async () => {
    const out = await evaluateHandler(
      "const k = 'define' + 'Property';\nObject[k] = (o) => o;\nexport function request(ctx) { return { v: 1 }; }\nexport function response(ctx) { return ctx.result; }",
      {},
      'request',
    );
    expect(out.error?.message).toMatch(/Cannot assign to read only property 'defineProperty'/);
  });

  it('stops a handler that runs longer than the time limit', async () => {
    const out = await run(
      'return { v: Array(40000).fill(0).map(() => Array(40000).fill(1).reduce((a, b) => a + b, 0)) };',
    );
    expect(out.error?.message).toBe('code.js: the request handler ran longer than 1000 ms');
  });
});
