/**
 * What every step of a resolver does the same way, unit or pipeline: send a request object to
 * a data source as AppSync sends it, and turn a handler's outcome into the field's value.
 */
import type { FieldInvocation } from './context';
import type { DataSourceResult } from './datasources/dynamodb';
import { ResolverError, UnsupportedError } from './errors';
import { codeValueJson, type HandlerOutcome, UNSUPPORTED_ERROR_TYPE } from './handler-invocation';
import type { DataSource, FieldOutcome, Step } from './resolver-runtime';
import type { ResolverTrace } from './resolver-trace';
import type { LoadedResolver } from './sandbox';
import type { InvocationScope } from './util/index';

/** One field's invocation, as every step of it sees it. */
export interface StepRun {
  readonly invocation: FieldInvocation;
  readonly env: Record<string, string>;
  readonly scope: InvocationScope;
  /** `Type.field`, which binds pagination tokens to their resolver. */
  readonly key: string;
  /** Where the steps are recorded, when the caller asked for a trace; undefined costs nothing. */
  readonly trace: ResolverTrace | undefined;
}

/** Sends what a request handler returned to `dataSource`; a request it cannot take is a ResolverError. */
export async function callDataSource(
  run: StepRun,
  step: Step,
  dataSource: DataSource,
  value: unknown,
): Promise<DataSourceResult | ResolverError> {
  const needsOperation = dataSource.kind === undefined || dataSource.kind === 'AMAZON_DYNAMODB';
  const request = dataSourceRequest(step.resolver, value, needsOperation);
  if (request instanceof ResolverError) return request;
  try {
    return await dataSource.invoke(request, { resolver: run.key, deferTokens: true });
  } catch (error) {
    if (error instanceof UnsupportedError) {
      step.reportUnsupported({ message: error.message, file: step.resolver.file });
      return new ResolverError(error.message, UNSUPPORTED_ERROR_TYPE);
    }
    // A request object the data source cannot run: AppSync calls that a mapping template error.
    if (error instanceof TypeError) return new ResolverError(error.message, 'MappingTemplate');
    throw error;
  }
}

/**
 * The request object as AppSync sends it: serialised (a round trip drops undefined and host
 * objects alike), and refused as AppSync refuses one without an operation.
 */
function dataSourceRequest(
  resolver: LoadedResolver,
  value: unknown,
  needsOperation: boolean,
): Record<string, unknown> | ResolverError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new ResolverError(
      'The request handler must return an object describing the data source request',
      'MappingTemplate',
    );
  }
  const request = hostCopy(resolver, value, 'request object');
  if (request instanceof ResolverError) return request;
  const object = request as Record<string, unknown>;
  if (needsOperation && (object.operation === undefined || object.operation === null)) {
    // The message of the troubleshooting page's "Mapping template errors" example.
    return new ResolverError("Value for field '$[operation]' not found.", 'MappingTemplate');
  }
  return object;
}

/** A value the code made, copied out of its realm as JSON (AppSync serialises it too). */
export function hostCopy(resolver: LoadedResolver, value: unknown, what: string): unknown {
  try {
    return JSON.parse(codeValueJson(resolver, value, what));
  } catch (error) {
    if (error instanceof ResolverError) return error;
    throw error;
  }
}

export function failed(resolver: LoadedResolver, error: ResolverError, scope: InvocationScope): FieldOutcome {
  return finish(resolver, { kind: 'error', error }, scope);
}

export function finish(resolver: LoadedResolver, outcome: HandlerOutcome, scope: InvocationScope): FieldOutcome {
  if (outcome.kind === 'error') {
    return { value: null, errors: [...scope.appendedErrors, outcome.error] };
  }
  const value = hostCopy(resolver, outcome.value, 'result');
  if (value instanceof ResolverError) return { value: null, errors: [...scope.appendedErrors, value] };
  return { value, errors: scope.appendedErrors };
}
