/**
 * Executes unit resolvers as AppSync does: request handler → data source → response handler,
 * with util.error / appendError / unauthorized and runtime.earlyReturn semantics.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-overview-js.html
 */
import path from 'node:path';
import type { ResolverBundle } from '../build/resolver-bundles';
import { buildContext, type FieldInvocation } from './context';
import type { DataSourceResult, InvocationInfo } from './datasources/dynamodb';
import { EarlyReturn, ResolverError, UnsupportedError } from './errors';
import { dynamodbModule } from './modules/dynamodb';
import { type LoadedResolver, loadResolver } from './sandbox';
import { createUtil, extensionsModule, type InvocationScope, runtimeModule, strict } from './util/index';

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
  /** Where resolver console.log/console.error lines go; never to stdout by default (they may hold personal data). */
  readonly console?: Pick<Console, 'log' | 'error'>;
  /** Clock for util.time (tests pin it). */
  readonly now?: () => number;
  /** AppSync's name for the auth mode in use, returned by util.authType(). */
  readonly authType?: string;
}

const SILENT_CONSOLE = { log: () => {}, error: () => {} };

interface Entry {
  readonly resolver: LoadedResolver;
  readonly setScope: (scope: InvocationScope) => void;
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
    let scope: InvocationScope | undefined;
    const currentScope = () => {
      if (!scope) throw new Error('util used outside a resolver invocation');
      return scope;
    };
    const util = createUtil(currentScope, this.options.now);
    const utilsModule = strict({ util, runtime: runtimeModule, extensions: extensionsModule }, '@aws-appsync/utils');
    const resolver = loadResolver(code, file, {
      modules: {
        '@aws-appsync/utils': utilsModule,
        '@aws-appsync/utils/dynamodb': strict(dynamodbModule, '@aws-appsync/utils/dynamodb'),
      },
      globals: {
        util,
        runtime: runtimeModule,
        extensions: extensionsModule,
        console: this.options.console ?? SILENT_CONSOLE,
      },
    });
    this.resolvers.set(`${typeName}.${fieldName}`, {
      resolver,
      setScope: (next) => {
        scope = next;
      },
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
    };
    const ctx = buildContext(invocation, this.options.env);

    const requested = this.runHandler(entry, scope, () => entry.resolver.request(ctx));
    if (requested.kind !== 'value') return this.finish(requested, scope);
    if (requested.value === null || typeof requested.value !== 'object') {
      return this.finish(
        {
          kind: 'error',
          error: new ResolverError(
            'The request handler must return an object describing the data source request',
            'MappingTemplate',
          ),
        },
        scope,
      );
    }
    // AppSync serialises the request object; a round trip drops undefined and host objects alike.
    const request = JSON.parse(JSON.stringify(requested.value)) as Record<string, unknown>;
    const { result, error } = await this.options.dataSource.invoke(request, { resolver: key });
    ctx.result = result;
    if (error) ctx.error = error;
    return this.finish(
      this.runHandler(entry, scope, () => entry.resolver.response(ctx)),
      scope,
    );
  }

  private runHandler(entry: Entry, scope: InvocationScope, handler: () => unknown): HandlerOutcome {
    entry.setScope(scope);
    try {
      return { kind: 'value', value: handler() };
    } catch (error) {
      if (error instanceof EarlyReturn) return { kind: 'early', value: error.value };
      if (error instanceof ResolverError) return { kind: 'error', error };
      if (error instanceof UnsupportedError) throw error;
      // A bug in the resolver (TypeError and the like): AppSync reports it as a field error,
      // prefixed with the code's name (never the server's paths).
      const message = `${path.basename(entry.resolver.file)}: ${(error as Error).message}`;
      return { kind: 'error', error: new ResolverError(message, 'Code') };
    }
  }

  private finish(outcome: HandlerOutcome, scope: InvocationScope): FieldOutcome {
    if (outcome.kind === 'error') {
      return { value: null, errors: [...scope.appendedErrors, outcome.error] };
    }
    const value = outcome.value === undefined ? null : JSON.parse(JSON.stringify(outcome.value));
    return { value, errors: scope.appendedErrors };
  }
}

type HandlerOutcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'early'; value: unknown }
  | { kind: 'error'; error: ResolverError };
