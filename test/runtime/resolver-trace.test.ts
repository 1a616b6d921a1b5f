/**
 * The per-field trace of a resolver's steps (src/runtime/resolver-trace.ts): which steps ran, in
 * order, how each ended (early return, skipped data source, error type) and how long each took.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NoneDataSource } from '../../src/runtime/datasources/none';
import { type PipelineFunctionCode, ResolverRuntime } from '../../src/runtime/resolver-runtime';
import { type FunctionStepTrace, ResolverTrace, type TraceStep } from '../../src/runtime/resolver-trace';
import { RecordingDataSource } from '../helpers/runtime';

const IMPORTS = "import { util, runtime } from '@aws-appsync/utils';\n";

const code = (request: string, response = 'return ctx.result;') =>
  `${IMPORTS}export function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }`;

const fn = (name: string, dataSource: string, request: string, response?: string): PipelineFunctionCode => ({
  name,
  dataSource,
  code: code(request, response),
});

/** A check over `none`, a read over `scores`, a shaping step over `none`. */
const CHECK = fn('1.check', 'none', 'return { payload: { driverId: ctx.args.driverId } };');
const READ = fn(
  '2.read',
  'scores',
  "return { operation: 'GetItem', key: { driverId: util.dynamodb.toDynamoDB(ctx.prev.result.driverId) } };",
  'if (ctx.error) { util.error(ctx.error.message, ctx.error.type); } return ctx.result;',
);
const SHAPE = fn('3.shape', 'none', 'return { payload: { score: ctx.prev.result.score } };');

function runtimeWith(scores: RecordingDataSource): ResolverRuntime {
  return new ResolverRuntime({
    dataSource: scores,
    dataSources: { none: new NoneDataSource() },
    env: { SCORES_TABLE: 'scores' },
  });
}

/** A pipeline resolver for Query.probe, and a traced call of it. */
function pipeline(
  before: string,
  after: string,
  functions: PipelineFunctionCode[],
  scores = new RecordingDataSource(),
) {
  const runtime = runtimeWith(scores);
  runtime.loadPipeline('Query', 'probe', { code: code(before, after) }, functions);
  return {
    scores,
    runtime,
    traced: async (args: Record<string, unknown> = { driverId: 'AB12' }) => {
      const trace = new ResolverTrace(['probe']);
      const outcome = await runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args }, trace);
      return { outcome, trace: trace.toJSON() };
    },
  };
}

/** Each step as its kind and name, for order checks. */
const names = (steps: readonly TraceStep[]) => steps.map((s) => (s.step === 'function' ? s.name : s.step));

/** Every duration a step reports. */
function durations(steps: readonly TraceStep[]): unknown[] {
  return steps.flatMap((s) =>
    s.step === 'function' ? [s.durationMs, s.requestMs, s.dataSourceMs, s.responseMs] : [s.durationMs],
  );
}

const functionStep = (steps: readonly TraceStep[], name: string) =>
  steps.find((s): s is FunctionStepTrace => s.step === 'function' && s.name === name);

describe('ResolverTrace over a pipeline of three functions', () => {
  it('lists the before step, each function with its data source, and the after step, in order', async () => {
    const scores = new RecordingDataSource().answer({ result: { driverId: 'AB12', score: 81 } });
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [CHECK, READ, SHAPE], scores);
    const { outcome, trace } = await traced();
    expect(outcome.value).toEqual({ score: 81 });
    expect(trace).toMatchObject({ path: ['probe'], field: 'Query.probe', kind: 'pipeline' });
    expect(names(trace.steps)).toEqual(['before', '1.check', '2.read', '3.shape', 'after']);
    expect(trace.steps.filter((s) => s.step === 'function').map((s) => [s.name, s.dataSource])).toEqual([
      ['1.check', 'none'],
      ['2.read', 'scores'],
      ['3.shape', 'none'],
    ]);
    for (const step of trace.steps) {
      expect(step).not.toHaveProperty('errorType');
      expect(step).not.toHaveProperty('earlyReturn');
    }
    expect(trace).not.toHaveProperty('errorTypes');
  });

  it('times every step and sub-step in non-negative milliseconds', async () => {
    const scores = new RecordingDataSource().answer({ result: { driverId: 'AB12', score: 81 } });
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [CHECK, READ, SHAPE], scores);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.check', '2.read', '3.shape', 'after']);
    const all = durations(trace.steps);
    expect(all).toHaveLength(2 + 3 * 4);
    for (const duration of [trace.durationMs, ...all]) {
      expect(typeof duration).toBe('number');
      expect(duration).toBeGreaterThanOrEqual(0);
    }
    const read = functionStep(trace.steps, '2.read') as FunctionStepTrace;
    // Rounded to the microsecond each, so the parts may exceed the whole by a thousandth or two.
    expect(read.requestMs + (read.dataSourceMs ?? 0) + (read.responseMs ?? 0)).toBeLessThanOrEqual(
      read.durationMs + 0.003,
    );
  });

  it('marks the before step that returned early, and lists no function', async () => {
    const { traced, scores } = pipeline('runtime.earlyReturn({ cached: true });', 'return ctx.prev.result;', [
      CHECK,
      READ,
      SHAPE,
    ]);
    const { outcome, trace } = await traced();
    expect(outcome.value).toEqual({ cached: true });
    expect(trace.steps).toEqual([
      { step: 'before', durationMs: expect.any(Number), earlyReturn: true },
      { step: 'after', durationMs: expect.any(Number) },
    ]);
    expect(scores.requests).toEqual([]);
  });

  it('marks a function whose request returned early as having skipped its data source', async () => {
    const { traced, scores } = pipeline('return {};', 'return ctx.prev.result;', [
      CHECK,
      fn('2.read', 'scores', 'runtime.earlyReturn({ score: 50 });'),
      SHAPE,
    ]);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.check', '2.read', '3.shape', 'after']);
    const read = functionStep(trace.steps, '2.read');
    expect(read).toMatchObject({ earlyReturn: 'request', dataSourceSkipped: true });
    expect(read).not.toHaveProperty('dataSourceMs');
    expect(read).not.toHaveProperty('responseMs');
    expect(read).not.toHaveProperty('skipTo');
    expect(functionStep(trace.steps, '3.shape')).toHaveProperty('dataSourceMs');
    expect(scores.requests).toEqual([]);
  });

  it("marks skipTo: 'END' and lists no later function", async () => {
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.check', 'none', "runtime.earlyReturn({ denied: true }, { skipTo: 'END' });"),
      READ,
      SHAPE,
    ]);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.check', 'after']);
    expect(functionStep(trace.steps, '1.check')).toMatchObject({
      earlyReturn: 'request',
      skipTo: 'END',
      dataSourceSkipped: true,
    });
  });

  it("marks the function whose util.error ended the field with the error's type, and lists no later step", async () => {
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.check', 'none', "util.error('Not allowed to read scores for ' + ctx.args.driverId, 'Unauthorized');"),
      READ,
      SHAPE,
    ]);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.check']);
    expect(functionStep(trace.steps, '1.check')).toMatchObject({ errorType: 'Unauthorized' });
    expect(trace.errorTypes).toEqual(['Unauthorized']);
    // Types only: the message (which quotes the argument here) is nowhere in the trace.
    expect(JSON.stringify(trace)).not.toContain('AB12');
  });

  it("records the data source's error type apart from the error the response handler raised", async () => {
    const scores = new RecordingDataSource().answer({
      result: null,
      error: { message: 'boom', type: 'DynamoDB:Failure' },
    });
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [CHECK, READ, SHAPE], scores);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.check', '2.read']);
    expect(functionStep(trace.steps, '2.read')).toMatchObject({
      dataSourceErrorType: 'DynamoDB:Failure',
      errorType: 'DynamoDB:Failure',
      responseMs: expect.any(Number),
    });
  });

  it('marks a function whose stash is not JSON with a Code error', async () => {
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.poison', 'none', 'ctx.stash.self = ctx.stash; return { payload: {} };'),
      READ,
    ]);
    const { trace } = await traced();
    expect(names(trace.steps)).toEqual(['before', '1.poison']);
    expect(functionStep(trace.steps, '1.poison')).toMatchObject({ errorType: 'Code' });
  });

  it('marks util.error in the before step, with null for an error without a type', async () => {
    const { traced } = pipeline("util.error('no');", 'return ctx.prev.result;', [CHECK]);
    const { trace } = await traced();
    expect(trace.steps).toEqual([{ step: 'before', durationMs: expect.any(Number), errorType: null }]);
    expect(trace.errorTypes).toEqual([null]);
  });

  it("lists util.appendError's type on the field while every step succeeded", async () => {
    const { traced } = pipeline('return {};', 'return ctx.prev.result;', [
      fn('1.warn', 'none', "util.appendError('partial data', 'Partial'); return { payload: { ok: 1 } };"),
    ]);
    const { outcome, trace } = await traced();
    expect(outcome.value).toEqual({ ok: 1 });
    expect(names(trace.steps)).toEqual(['before', '1.warn', 'after']);
    expect(trace.errorTypes).toEqual(['Partial']);
  });
});

describe('ResolverTrace over a unit resolver', () => {
  it('lists the request, the data source by name and the response', async () => {
    const scores = new RecordingDataSource().answer({ result: { score: 70 } });
    const runtime = runtimeWith(scores);
    runtime.load('Query', 'probe', code("return { operation: 'GetItem', key: {} };"), 'Query.probe.js');
    const trace = new ResolverTrace(['probe']);
    await runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args: {} }, trace);
    expect(trace.toJSON()).toEqual({
      path: ['probe'],
      field: 'Query.probe',
      kind: 'unit',
      durationMs: expect.any(Number),
      steps: [
        { step: 'request', durationMs: expect.any(Number) },
        { step: 'dataSource', dataSource: 'scores', durationMs: expect.any(Number) },
        { step: 'response', durationMs: expect.any(Number) },
      ],
    });
  });

  it('marks an early return in the request, with no data source step', async () => {
    const runtime = runtimeWith(new RecordingDataSource());
    runtime.load('Query', 'probe', code('runtime.earlyReturn({ a: 1 });'), 'Query.probe.js', 'none');
    const trace = new ResolverTrace();
    await runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args: {} }, trace);
    expect(trace.toJSON().steps).toEqual([{ step: 'request', durationMs: expect.any(Number), earlyReturn: true }]);
  });

  it('marks a request object the data source refuses on the data source step', async () => {
    const runtime = runtimeWith(new RecordingDataSource());
    runtime.load('Query', 'probe', code('return { key: {} };'), 'Query.probe.js');
    const trace = new ResolverTrace();
    await runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args: {} }, trace);
    expect(trace.toJSON().steps.map((s) => [s.step, s.errorType])).toEqual([
      ['request', undefined],
      ['dataSource', 'MappingTemplate'],
    ]);
  });
});

describe('ResolverRuntime.resolve without a trace', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers the same and reads no clock', async () => {
    const { runtime } = pipeline('return {};', 'return ctx.prev.result;', [CHECK, READ, SHAPE]);
    const invocation = { parentTypeName: 'Query', fieldName: 'probe', args: { driverId: 'AB12' } };
    const traced = await runtime.resolve(invocation, new ResolverTrace());
    const now = vi.spyOn(performance, 'now');
    const untraced = await runtime.resolve(invocation);
    expect(now).not.toHaveBeenCalled();
    expect(untraced).toEqual(traced);
  });
});
