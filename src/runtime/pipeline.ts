/**
 * Pipeline resolvers as AppSync runs them (resolver-reference-overview-js, "Pipeline resolvers";
 * runtime-utils-js, runtime.earlyReturn):
 * - the resolver's request handler (the before step), then each function in order: its request
 *   handler, its data source, its response handler; then the resolver's response handler (the
 *   after step), whose value is the field's;
 * - each step's value is the next step's `ctx.prev.result`; one `ctx.stash` runs through all;
 * - `runtime.earlyReturn` in the before step skips the functions; in a function's request
 *   handler it skips that function's data source and response handler and goes on to the next
 *   function, or, with `skipTo: 'END'`, straight to the after step;
 * - `util.error` in any step ends the field with that error; `util.appendError` adds to it.
 *
 * Each step runs in its own realm (its own loaded code), so the stash and the previous result
 * travel between steps as JSON, which is what AppSync can carry between them too.
 */
import { type ContextSource, contextIn, contextSource, type ResolverContext } from './context';
import { ResolverError } from './errors';
import { runHandler } from './handler-invocation';
import type { DataSource, FieldOutcome, Step } from './resolver-runtime';
import { callDataSource, failed, finish, hostCopy, type StepRun } from './resolver-steps';

export interface PipelineFunction {
  readonly name: string;
  readonly dataSource: DataSource;
  /** The data source's name in the resolver manifest (`scores`, `none`), for traces. */
  readonly dataSourceName: string;
  readonly step: Step;
}

/** What passes from one step to the next. */
interface Carried {
  stash: Record<string, unknown>;
  prev: unknown;
}

function contextFor(source: ContextSource, step: Step, carried: Carried | undefined): ResolverContext {
  const { realm } = step.resolver;
  const ctx = contextIn(source, realm);
  if (carried) {
    ctx.stash = realm.fromHost(carried.stash);
    ctx.prev = realm.fromHost({ result: carried.prev });
  }
  return ctx;
}

/** The stash and a step's value, out of the step's realm; a ResolverError if either is not JSON. */
function carry(step: Step, ctx: ResolverContext, value: unknown): Carried | ResolverError {
  const stash = hostCopy(step.resolver, ctx.stash, 'stash');
  if (stash instanceof ResolverError) return stash;
  const prev = hostCopy(step.resolver, value, 'result');
  if (prev instanceof ResolverError) return prev;
  return { stash: (stash ?? {}) as Record<string, unknown>, prev };
}

export async function runPipeline(
  run: StepRun,
  resolver: Step,
  functions: readonly PipelineFunction[],
): Promise<FieldOutcome> {
  const { scope, trace } = run;
  // Each step's ctx is a copy of one source, made once for the field.
  const source = contextSource(run.invocation, run.env);
  const before = contextFor(source, resolver, undefined);
  resolver.setScope(scope);
  const started = runHandler(resolver.resolver, 'request', before, resolver.reportUnsupported);
  if (started.kind === 'error') {
    trace?.handler('before', started);
    return finish(resolver.resolver, started, scope);
  }
  let carried = carry(resolver, before, started.value);
  trace?.handler('before', carried instanceof ResolverError ? carried : started);
  if (carried instanceof ResolverError) return failed(resolver.resolver, carried, scope);

  if (started.kind !== 'early') {
    for (const fn of functions) {
      trace?.functionStart(fn.name, fn.dataSourceName);
      const outcome = await runFunction(run, source, fn, carried);
      trace?.functionEnd(outcome instanceof ResolverError ? outcome : undefined);
      if (outcome instanceof ResolverError) return failed(fn.step.resolver, outcome, scope);
      carried = outcome.carried;
      if (outcome.end) break;
    }
  }

  const after = contextFor(source, resolver, carried);
  resolver.setScope(scope);
  const ended = runHandler(resolver.resolver, 'response', after, resolver.reportUnsupported);
  const outcome = finish(resolver.resolver, ended, scope);
  trace?.handler('after', ended);
  return outcome;
}

async function runFunction(
  run: StepRun,
  source: ContextSource,
  fn: PipelineFunction,
  carried: Carried,
): Promise<{ carried: Carried; end: boolean } | ResolverError> {
  const { step } = fn;
  const { trace } = run;
  const ctx = contextFor(source, step, carried);
  step.setScope(run.scope);
  const requested = runHandler(step.resolver, 'request', ctx, step.reportUnsupported);
  trace?.functionRequest(requested);
  if (requested.kind === 'error') return requested.error;
  if (requested.kind === 'early') {
    const next = carry(step, ctx, requested.value);
    return next instanceof ResolverError ? next : { carried: next, end: requested.skipTo === 'END' };
  }
  const answered = await callDataSource(run, step, fn.dataSource, requested.value);
  trace?.functionDataSource(answered);
  if (answered instanceof ResolverError) return answered;
  ctx.result = step.resolver.realm.fromHostResult(answered.result);
  if (answered.error) ctx.error = step.resolver.realm.fromHost(answered.error);
  step.setScope(run.scope);
  const responded = runHandler(step.resolver, 'response', ctx, step.reportUnsupported);
  trace?.functionResponse(responded);
  if (responded.kind === 'error') return responded.error;
  const next = carry(step, ctx, responded.value);
  return next instanceof ResolverError
    ? next
    : { carried: next, end: responded.kind === 'early' && responded.skipTo === 'END' };
}
