/**
 * Pipeline resolvers offline, as the AppSync developer guide describes them: before step, each
 * function's request → data source → response, the after step; `ctx.prev.result` and one
 * `ctx.stash` through all; runtime.earlyReturn and util.error in functions and in the before step.
 */
import { describe, expect, it } from 'vitest';
import { NoneDataSource } from '../../src/runtime/datasources/none';
import { type PipelineFunctionCode, ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { cite, devguide } from '../conformance/sources';
import { RecordingDataSource } from '../helpers/runtime';

const PIPELINE = cite(devguide('resolver-reference-overview-js', 'Pipeline resolvers'));
const EARLY_RETURN = cite(devguide('runtime-utils-js', 'runtime.earlyReturn'));
const NONE = cite(devguide('resolver-reference-none-js', 'Request / Response'));

const IMPORTS = "import { util, runtime } from '@aws-appsync/utils';\n";

/** A function over `dataSource` with the given handler bodies. */
const fn = (
  name: string,
  dataSource: string,
  request: string,
  response = 'return ctx.result;',
): PipelineFunctionCode => ({
  name,
  dataSource,
  code: `${IMPORTS}export function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }`,
});

const resolverCode = (request: string, response: string) =>
  `${IMPORTS}export function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }`;

function pipeline(
  before: string,
  after: string,
  functions: PipelineFunctionCode[],
  scores = new RecordingDataSource(),
): { scores: RecordingDataSource; invoke: (args?: Record<string, unknown>) => ReturnType<ResolverRuntime['resolve']> } {
  const runtime = new ResolverRuntime({
    dataSource: scores,
    dataSources: { none: new NoneDataSource() },
    env: { SCORES_TABLE: 'scores' },
  });
  runtime.loadPipeline('Query', 'probe', { code: resolverCode(before, after) }, functions);
  return {
    scores,
    invoke: (args = {}) => runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args }),
  };
}

/** Three functions over `none` and `scores`: a check, a read, a shaping step. */
const THREE = [
  fn(
    '1.check',
    'none',
    "ctx.stash.trace.push('check'); return { payload: { driverId: ctx.args.driverId, before: ctx.prev.result } };",
  ),
  fn(
    '2.read',
    'scores',
    "ctx.stash.trace.push('read'); return { operation: 'GetItem', key: { driverId: util.dynamodb.toDynamoDB(ctx.prev.result.driverId) } };",
    'if (ctx.error) { util.error(ctx.error.message, ctx.error.type); } return ctx.result;',
  ),
  fn(
    '3.shape',
    'none',
    "ctx.stash.trace.push('shape'); return { payload: { score: ctx.prev.result.score } };",
    'return { ...ctx.result, shaped: true };',
  ),
];

describe('a pipeline of three functions over none and scores', () => {
  it(`passes each step's value on as ctx.prev.result and one stash through every step (${PIPELINE})`, async () => {
    const scores = new RecordingDataSource().answer({ result: { driverId: 'AB12', score: 81 } });
    const { invoke } = pipeline(
      "ctx.stash.trace = ['before']; return { from: 'before' };",
      "ctx.stash.trace.push('after'); return { ...ctx.prev.result, trace: ctx.stash.trace };",
      THREE,
      scores,
    );
    const outcome = await invoke({ driverId: 'AB12' });
    expect(outcome.errors).toEqual([]);
    expect(outcome.value).toEqual({ score: 81, shaped: true, trace: ['before', 'check', 'read', 'shape', 'after'] });
    expect(scores.requests).toEqual([{ operation: 'GetItem', key: { driverId: { S: 'AB12' } } }]);
  });

  it(`hands NONE's payload to the response handler as ctx.result (${NONE})`, async () => {
    const { invoke } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.echo', 'none', 'return { payload: { echoed: ctx.args.x } };'),
    ]);
    expect((await invoke({ x: 7 })).value).toEqual({ echoed: 7 });
  });

  it(`skips the functions when the before step returns early, and still runs the after step (${EARLY_RETURN})`, async () => {
    const { invoke, scores } = pipeline(
      "ctx.stash.trace = ['before']; runtime.earlyReturn({ cached: true });",
      "return { prev: ctx.prev.result, trace: ctx.stash.trace, after: 'ran' };",
      THREE,
    );
    const outcome = await invoke({ driverId: 'AB12' });
    expect(outcome.value).toEqual({ prev: { cached: true }, trace: ['before'], after: 'ran' });
    expect(scores.requests).toEqual([]);
  });

  it(`skips a function's data source and response handler when its request returns early, and goes on to the next function (${EARLY_RETURN})`, async () => {
    const { invoke, scores } = pipeline(
      "ctx.stash.trace = ['before']; return {};",
      'return { ...ctx.prev.result, trace: ctx.stash.trace };',
      [
        fn('1.check', 'none', "ctx.stash.trace.push('check'); return { payload: { driverId: ctx.args.driverId } };"),
        fn(
          '2.read',
          'scores',
          "ctx.stash.trace.push('read'); runtime.earlyReturn({ score: 50 });",
          "ctx.stash.trace.push('read-response'); return ctx.result;",
        ),
        fn('3.shape', 'none', "ctx.stash.trace.push('shape'); return { payload: { score: ctx.prev.result.score } };"),
      ],
    );
    const outcome = await invoke({ driverId: 'AB12' });
    expect(outcome.value).toEqual({ score: 50, trace: ['before', 'check', 'read', 'shape'] });
    expect(scores.requests).toEqual([]);
  });

  it(`goes straight to the after step with skipTo: 'END' (${EARLY_RETURN})`, async () => {
    const { invoke } = pipeline(
      "ctx.stash.trace = ['before']; return {};",
      'return { ...ctx.prev.result, trace: ctx.stash.trace };',
      [
        fn(
          '1.check',
          'none',
          "ctx.stash.trace.push('check'); runtime.earlyReturn({ denied: true }, { skipTo: 'END' });",
        ),
        ...THREE.slice(1),
      ],
    );
    expect((await invoke({ driverId: 'AB12' })).value).toEqual({ denied: true, trace: ['before', 'check'] });
  });

  it(`ends the field with a function's util.error, running no later step (${PIPELINE})`, async () => {
    const { invoke, scores } = pipeline(
      "ctx.stash.trace = ['before']; return {};",
      "util.error('after must not run');",
      [fn('1.check', 'none', "util.error('Not allowed to read scores', 'Unauthorized');"), ...THREE.slice(1)],
    );
    const outcome = await invoke({ driverId: 'AB12' });
    expect(outcome.value).toBeNull();
    expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([
      ['Not allowed to read scores', 'Unauthorized'],
    ]);
    expect(scores.requests).toEqual([]);
  });

  it(`reports the data source's error through the function that raises it (${PIPELINE})`, async () => {
    const scores = new RecordingDataSource().answer({
      result: null,
      error: { message: 'boom', type: 'DynamoDB:Failure' },
    });
    const { invoke } = pipeline('ctx.stash.trace = []; return {};', 'return ctx.prev.result;', THREE, scores);
    const outcome = await invoke({ driverId: 'AB12' });
    expect(outcome.value).toBeNull();
    expect(outcome.errors.map((e) => [e.message, e.errorType])).toEqual([['boom', 'DynamoDB:Failure']]);
  });

  it('keeps util.appendError from a function alongside the value', async () => {
    const { invoke } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.warn', 'none', "util.appendError('partial data', 'Partial'); return { payload: { ok: 1 } };"),
    ]);
    const outcome = await invoke();
    expect(outcome.value).toEqual({ ok: 1 });
    expect(outcome.errors.map((e) => e.message)).toEqual(['partial data']);
  });

  it('refuses at load a function naming a data source that does not exist', () => {
    const runtime = new ResolverRuntime({ dataSource: new RecordingDataSource(), env: {} });
    expect(() =>
      runtime.loadPipeline('Query', 'probe', { code: resolverCode('return {};', 'return ctx.prev.result;') }, [
        { ...fn('1.call', 'weather', 'return {};'), file: 'resolvers/Query.probe/1.call.[weather].ts' },
      ]),
    ).toThrow(
      'resolvers/Query.probe/1.call.[weather].ts: the function 1.call of Query.probe names the data source "weather", which does not exist (known: scores)',
    );
  });

  it.each([
    ['a cycle', 'ctx.stash.self = ctx.stash;'],
    ['a BigInt', 'ctx.stash.big = BigInt(1);'],
  ])(
    'ends the field with an error naming the stash when a step leaves %s in it, and calls nothing after',
    async (_kind, statement) => {
      const { invoke, scores } = pipeline('return {};', 'return ctx.prev.result;', [
        fn('1.poison', 'none', `${statement} return { payload: {} };`),
        THREE[1] as PipelineFunctionCode,
      ]);
      const outcome = await invoke({ driverId: 'AB12' });
      expect(outcome.value).toBeNull();
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors[0]?.message).toMatch(/stash/);
      expect(scores.requests).toEqual([]);
    },
  );
});
