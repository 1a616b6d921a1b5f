/**
 * Nothing the runtime hands to resolver code leads out of its realm: util, the modules and
 * console are host objects, and a host Function may compile strings. Each way to climb from
 * them to a host constructor ends at the realm's own (which refuses to compile) or at nothing.
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
