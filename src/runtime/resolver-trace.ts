/**
 * A per-field trace of a resolver's steps and their timings: what AppSync's field-level
 * CloudWatch logs (RequestMapping / ResponseMapping entries) and X-Ray subsegments show of a
 * resolver, offline. A unit resolver's steps are its request handler, its data source call and
 * its response handler; a pipeline's are the before step, each function that ran (its request,
 * data source and response, whether it returned early, what error ended it) and the after step.
 *
 * A trace is opt-in: the runtime is handed a ResolverTrace only when someone asked for one, and
 * otherwise every call site is an optional call (`trace?.x(…)`) whose arguments are not even
 * evaluated, so an untraced field reads no clock and allocates nothing for it.
 *
 * A trace holds names, kinds, durations and error types only: no arguments, no values, no error
 * messages (a message may quote an argument, and a driverId identifies a person).
 */
import type { DataSourceResult } from './datasources/dynamodb';
import { ResolverError } from './errors';
import type { HandlerOutcome } from './handler-invocation';

/** The request header that asks for a trace in the response's extensions. */
export const TRACE_HEADER = 'x-scoredrive-trace';

/** The key of the response's `extensions` the trace goes under. */
export const TRACE_EXTENSION = 'scoredriveTrace';

/** Whether a request's headers ask for a trace (`x-scoredrive-trace: 1`). */
export function traceRequested(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const value = headers[TRACE_HEADER];
  return typeof value === 'string' && value.trim() === '1';
}

/** A handler: a unit resolver's request or response, a pipeline's before or after step. */
export interface HandlerStepTrace {
  readonly step: 'request' | 'response' | 'before' | 'after';
  readonly durationMs: number;
  /** The handler called runtime.earlyReturn (a unit's request: no data source call; before: no functions). */
  readonly earlyReturn?: true;
  /** Present when this step ended the field with an error: its errorType (null when util.error gave none). */
  readonly errorType?: string | null;
}

/** A unit resolver's data source call. */
export interface DataSourceStepTrace {
  readonly step: 'dataSource';
  readonly dataSource: string;
  readonly durationMs: number;
  /** The data source answered with an error (ctx.error), this type; the response handler decides what it means. */
  readonly dataSourceErrorType?: string;
  /** Present when the call itself ended the field (a request object the data source cannot take). */
  readonly errorType?: string | null;
}

/** One function of a pipeline that ran. */
export interface FunctionStepTrace {
  readonly step: 'function';
  readonly name: string;
  readonly dataSource: string;
  /** The whole function: request, data source call, response. */
  readonly durationMs: number;
  readonly requestMs: number;
  /** Absent when the data source was not called. */
  readonly dataSourceMs?: number;
  /** Absent when the response handler did not run. */
  readonly responseMs?: number;
  /** Which handler called runtime.earlyReturn. */
  readonly earlyReturn?: 'request' | 'response';
  /** `END` when the early return went straight to the after step (else to the next function). */
  readonly skipTo?: 'END';
  /** The request returned early, so neither the data source nor the response handler ran. */
  readonly dataSourceSkipped?: true;
  readonly dataSourceErrorType?: string;
  /** Present when this function ended the field with an error: its errorType (null when none was given). */
  readonly errorType?: string | null;
}

export type TraceStep = HandlerStepTrace | DataSourceStepTrace | FunctionStepTrace;

/** One resolved field's trace, as the response's extensions and the debug log carry it. */
export interface FieldTraceJson {
  /** The field's path in the response (aliases as the query wrote them). */
  readonly path: readonly (string | number)[];
  /** `Type.field`. */
  readonly field: string;
  readonly kind: 'unit' | 'pipeline';
  /** From the start of the resolver's first step to the end of its last. */
  readonly durationMs: number;
  readonly steps: readonly TraceStep[];
  /** The errorTypes the field was answered with (util.appendError's included); absent when none. */
  readonly errorTypes?: readonly (string | null)[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Milliseconds to the microsecond: finer than performance.now() is worth, short in JSON. */
const ms = (duration: number): number => Math.round(duration * 1000) / 1000;

const errorTypeOf = (error: ResolverError): string | null => error.errorType ?? null;

/**
 * Records one field's steps as the runtime runs them. Made by whoever wants the trace (the
 * GraphQL service, a test), handed to ResolverRuntime.resolve, read with toJSON().
 */
export class ResolverTrace {
  field = '';
  kind: 'unit' | 'pipeline' = 'unit';
  durationMs = 0;
  readonly steps: TraceStep[] = [];
  errorTypes: (string | null)[] | undefined;
  private started = 0;
  /** When the step being timed began. */
  private mark = 0;
  /** The function being run, when in a pipeline's function. */
  private fn: Mutable<FunctionStepTrace> | undefined;
  private fnStarted = 0;

  constructor(readonly path: readonly (string | number)[] = []) {}

  /** The resolver starts. */
  begin(field: string, kind: 'unit' | 'pipeline'): void {
    this.field = field;
    this.kind = kind;
    this.started = performance.now();
    this.mark = this.started;
  }

  /** The resolver is done; `outcome` is undefined when it threw (a fault of the runtime or a data source). */
  end(outcome: { readonly errors: readonly ResolverError[] } | undefined): void {
    this.durationMs = ms(performance.now() - this.started);
    if (outcome && outcome.errors.length > 0) this.errorTypes = outcome.errors.map(errorTypeOf);
  }

  /** A handler ran (or the copy of what it returned failed: a ResolverError). */
  handler(step: HandlerStepTrace['step'], outcome: HandlerOutcome | ResolverError): void {
    const now = performance.now();
    const entry: Mutable<HandlerStepTrace> = { step, durationMs: ms(now - this.mark) };
    if (outcome instanceof ResolverError) entry.errorType = errorTypeOf(outcome);
    else if (outcome.kind === 'early') entry.earlyReturn = true;
    else if (outcome.kind === 'error') entry.errorType = errorTypeOf(outcome.error);
    this.steps.push(entry);
    this.mark = now;
  }

  /** A unit resolver's data source answered. */
  dataSource(name: string, answered: DataSourceResult | ResolverError): void {
    const now = performance.now();
    const entry: Mutable<DataSourceStepTrace> = {
      step: 'dataSource',
      dataSource: name,
      durationMs: ms(now - this.mark),
    };
    if (answered instanceof ResolverError) entry.errorType = errorTypeOf(answered);
    else if (answered.error) entry.dataSourceErrorType = answered.error.type;
    this.steps.push(entry);
    this.mark = now;
  }

  /** A pipeline function starts. */
  functionStart(name: string, dataSource: string): void {
    this.fnStarted = performance.now();
    this.mark = this.fnStarted;
    this.fn = { step: 'function', name, dataSource, durationMs: 0, requestMs: 0 };
    this.steps.push(this.fn);
  }

  /** The function's request handler ran. */
  functionRequest(outcome: HandlerOutcome): void {
    const fn = this.fn;
    if (!fn) return;
    fn.requestMs = this.lap();
    if (outcome.kind === 'early') {
      fn.earlyReturn = 'request';
      fn.dataSourceSkipped = true;
      if (outcome.skipTo === 'END') fn.skipTo = 'END';
    } else if (outcome.kind === 'error') fn.errorType = errorTypeOf(outcome.error);
  }

  /** The function's data source answered. */
  functionDataSource(answered: DataSourceResult | ResolverError): void {
    const fn = this.fn;
    if (!fn) return;
    fn.dataSourceMs = this.lap();
    if (answered instanceof ResolverError) fn.errorType = errorTypeOf(answered);
    else if (answered.error) fn.dataSourceErrorType = answered.error.type;
  }

  /** The function's response handler ran. */
  functionResponse(outcome: HandlerOutcome): void {
    const fn = this.fn;
    if (!fn) return;
    fn.responseMs = this.lap();
    if (outcome.kind === 'early') {
      fn.earlyReturn = 'response';
      if (outcome.skipTo === 'END') fn.skipTo = 'END';
    } else if (outcome.kind === 'error') fn.errorType = errorTypeOf(outcome.error);
  }

  /** The function is done; `error` when it ended the field (its stash or value not being JSON included). */
  functionEnd(error: ResolverError | undefined): void {
    const fn = this.fn;
    if (!fn) return;
    const now = performance.now();
    fn.durationMs = ms(now - this.fnStarted);
    if (error && fn.errorType === undefined) fn.errorType = errorTypeOf(error);
    this.fn = undefined;
    this.mark = now;
  }

  toJSON(): FieldTraceJson {
    const json: Mutable<FieldTraceJson> = {
      path: this.path,
      field: this.field,
      kind: this.kind,
      durationMs: this.durationMs,
      steps: this.steps,
    };
    if (this.errorTypes) json.errorTypes = this.errorTypes;
    return json;
  }

  /** Time since the last mark, in ms; moves the mark. */
  private lap(): number {
    const now = performance.now();
    const lap = ms(now - this.mark);
    this.mark = now;
    return lap;
  }
}
