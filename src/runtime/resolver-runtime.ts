/**
 * Executes unit resolvers as AppSync does: request handler → data source → response handler,
 * with util.error / appendError / unauthorized and runtime.earlyReturn semantics.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-overview-js.html
 */
import type { ResolverBundle } from '../build/resolver-bundles';
import { appSyncModules } from './appsync-modules';
import { buildContext, type FieldInvocation } from './context';
import type { DataSourceResult, InvocationInfo } from './datasources/dynamodb';
import { ResolverError, UnsupportedError } from './errors';
import {
  codeValueJson,
  type HandlerOutcome,
  runHandler,
  UNSUPPORTED_ERROR_TYPE,
  type UnsupportedUse,
} from './handler-invocation';
import { OperationState } from './operation-state';
import type { ResolverLogLine } from './resolver-console';
import { type LoadedResolver, loadResolver } from './sandbox';
import { SUBSCRIPTION_ONLY } from './util/extensions';
import type { InvocationScope } from './util/index';

/** A data source: takes a request object, returns AppSync's ctx.result / ctx.error. */
export interface DataSource {
  invoke(request: Record<string, unknown>, info: InvocationInfo): Promise<DataSourceResult>;
}

/** The value a field resolves to and the errors reported with it. */
export interface FieldOutcome {
  readonly value: unknown;
  readonly errors: readonly ResolverError[];
}

export interface ResolverRuntimeOptions {
  readonly dataSource: DataSource;
  /** AppSync environment variables (ctx.env). */
  readonly env: Record<string, string>;
  /** Where resolver console.log/console.error lines go; nowhere by default (they may hold personal data). */
  readonly onLog?: (line: ResolverLogLine, resolver: string) => void;
  /**
   * Told each time code uses a feature this runtime does not implement (the caller gets a
   * field error naming it); the service logs the first use per resolver and feature.
   */
  readonly onUnsupported?: (use: UnsupportedUse, resolver: string) => void;
  /** Clock for util.time (tests pin it). */
  readonly now?: () => number;
  /** AppSync's name for the auth mode in use, returned by util.authType(). */
  readonly authType?: string;
}

interface Entry {
  readonly resolver: LoadedResolver;
  readonly setScope: (scope: InvocationScope) => void;
  /** Made once per resolver, not per call: a closure per invocation shows in the profile. */
  readonly reportUnsupported: (use: UnsupportedUse) => void;
}

export class ResolverRuntime {
  private readonly resolvers = new Map<string, Entry>();

  constructor(private readonly options: ResolverRuntimeOptions) {}

  /** Loads built bundles; AppSync-invalid code is refused here, as a deploy would refuse it. */
  loadBundles(bundles: readonly Pick<ResolverBundle, 'typeName' | 'fieldName' | 'bundleFile' | 'code'>[]): void {
    for (const bundle of bundles) {
      this.load(bundle.typeName, bundle.fieldName, bundle.code, bundle.bundleFile);
    }
  }

  /** Loads one resolver's code for `typeName.fieldName`. */
  load(typeName: string, fieldName: string, code: string, file = `${typeName}.${fieldName}.js`): void {
    const key = `${typeName}.${fieldName}`;
    let scope: InvocationScope | undefined;
    const { modules, globals } = appSyncModules(() => {
      if (!scope) throw new Error('util used outside a resolver invocation');
      return scope;
    }, this.options.now);
    const resolver = loadResolver(code, file, {
      modules,
      globals,
      log: (line) => this.options.onLog?.(line, key),
      // The API runs no subscription resolvers, the only place these mean anything.
      refused: SUBSCRIPTION_ONLY,
    });
    this.resolvers.set(key, {
      resolver,
      setScope: (next) => {
        scope = next;
      },
      reportUnsupported: (use) => this.options.onUnsupported?.(use, key),
    });
  }

  /** The `Type.field` names that have a resolver. */
  fields(): string[] {
    return [...this.resolvers.keys()];
  }

  has(typeName: string, fieldName: string): boolean {
    return this.resolvers.has(`${typeName}.${fieldName}`);
  }

  async resolve(invocation: FieldInvocation): Promise<FieldOutcome> {
    const key = `${invocation.parentTypeName}.${invocation.fieldName}`;
    const entry = this.resolvers.get(key);
    if (!entry) throw new Error(`no resolver for ${key}`);
    const scope: InvocationScope = {
      fieldName: invocation.fieldName,
      parentTypeName: invocation.parentTypeName,
      authType: this.options.authType ?? 'API Key Authorization',
      appendedErrors: [],
      operation: invocation.operation ?? new OperationState(),
    };
    const { realm } = entry.resolver;
    const ctx = buildContext(invocation, this.options.env, realm);
    const onUnsupported = entry.reportUnsupported;

    entry.setScope(scope);
    const requested = runHandler(entry.resolver, 'request', ctx, onUnsupported);
    if (requested.kind !== 'value') return finish(entry.resolver, requested, scope);
    const request = dataSourceRequest(entry.resolver, requested.value);
    if (request instanceof ResolverError) return failed(entry.resolver, request, scope);
    let answer: DataSourceResult;
    try {
      answer = await this.options.dataSource.invoke(request, { resolver: key });
    } catch (error) {
      if (error instanceof UnsupportedError) {
        onUnsupported({ message: error.message, file: entry.resolver.file });
        return failed(entry.resolver, new ResolverError(error.message, UNSUPPORTED_ERROR_TYPE), scope);
      }
      // A request object the data source cannot run: AppSync calls that a mapping template error.
      if (error instanceof TypeError) {
        return failed(entry.resolver, new ResolverError(error.message, 'MappingTemplate'), scope);
      }
      throw error;
    }
    ctx.result = realm.fromHost(answer.result);
    if (answer.error) ctx.error = realm.fromHost(answer.error);
    entry.setScope(scope);
    return finish(entry.resolver, runHandler(entry.resolver, 'response', ctx, onUnsupported), scope);
  }
}

/**
 * The request object as AppSync sends it: serialised (a round trip drops undefined and host
 * objects alike), and refused as AppSync refuses one without an operation.
 */
function dataSourceRequest(resolver: LoadedResolver, value: unknown): Record<string, unknown> | ResolverError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new ResolverError(
      'The request handler must return an object describing the data source request',
      'MappingTemplate',
    );
  }
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(codeValueJson(resolver, value, 'request object')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ResolverError) return error;
    throw error;
  }
  if (request.operation === undefined || request.operation === null) {
    // The message of the troubleshooting page's "Mapping template errors" example.
    return new ResolverError("Value for field '$[operation]' not found.", 'MappingTemplate');
  }
  return request;
}

function failed(resolver: LoadedResolver, error: ResolverError, scope: InvocationScope): FieldOutcome {
  return finish(resolver, { kind: 'error', error }, scope);
}

function finish(resolver: LoadedResolver, outcome: HandlerOutcome, scope: InvocationScope): FieldOutcome {
  if (outcome.kind === 'error') {
    return { value: null, errors: [...scope.appendedErrors, outcome.error] };
  }
  try {
    return { value: JSON.parse(codeValueJson(resolver, outcome.value, 'result')), errors: scope.appendedErrors };
  } catch (error) {
    if (error instanceof ResolverError) return { value: null, errors: [...scope.appendedErrors, error] };
    throw error;
  }
}
