/**
 * Executes resolvers as AppSync does: a unit resolver's request handler → data source →
 * response handler, and pipeline resolvers (pipeline.ts), with util.error / appendError /
 * unauthorized and runtime.earlyReturn semantics.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-overview-js.html
 */
import type { ResolverBundle } from '../contract/resolver-bundles';
import { appSyncModules } from './appsync-modules';
import { buildContext, type FieldInvocation } from './context';
import type { DataSourceResult, InvocationInfo } from './datasources/dynamodb';
import { ResolverError } from './errors';
import { runHandler, type UnsupportedUse } from './handler-invocation';
import { OperationState } from './operation-state';
import { type PipelineFunction, runPipeline } from './pipeline';
import type { ResolverLogLine } from './resolver-console';
import { callDataSource, failed, finish, type StepRun } from './resolver-steps';
import type { ResolverTrace } from './resolver-trace';
import { type LoadedResolver, loadResolver } from './sandbox';
import { SUBSCRIPTION_ONLY } from './util/extensions';
import type { InvocationScope } from './util/index';

/** A data source: takes a request object, returns AppSync's ctx.result / ctx.error. */
export interface DataSource {
  /** DynamoDB's request objects need an `operation`; NONE takes any, HTTP checks its own. @default 'AMAZON_DYNAMODB' */
  readonly kind?: 'AMAZON_DYNAMODB' | 'NONE' | 'HTTP';
  invoke(request: Record<string, unknown>, info: InvocationInfo): Promise<DataSourceResult>;
}

/** The name unit resolvers' data source goes by (the scores table), for pipeline functions too. */
export const DEFAULT_DATA_SOURCE = 'scores';

/** One AppSync function of a pipeline resolver: its code and its data source's name. */
export interface PipelineFunctionCode {
  readonly name: string;
  readonly code: string;
  readonly file?: string;
  readonly dataSource: string;
}

/** The value a field resolves to and the errors reported with it. */
export interface FieldOutcome {
  readonly value: unknown;
  readonly errors: readonly ResolverError[];
}

export interface ResolverRuntimeOptions {
  /** The data source of unit resolvers, also known to functions as `scores`. */
  readonly dataSource: DataSource;
  /** More data sources by name, for pipeline functions (`none`: NoneDataSource). */
  readonly dataSources?: Readonly<Record<string, DataSource>>;
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

/** One loaded piece of code: a unit resolver, a pipeline's before/after handlers, or a function. */
export interface Step {
  readonly resolver: LoadedResolver;
  readonly setScope: (scope: InvocationScope) => void;
  /** Made once per resolver, not per call: a closure per invocation shows in the profile. */
  readonly reportUnsupported: (use: UnsupportedUse) => void;
}

interface UnitEntry {
  readonly kind: 'unit';
  readonly step: Step;
  readonly dataSource: DataSource;
  /** For traces. */
  readonly dataSourceName: string;
}

type Entry =
  | UnitEntry
  | { readonly kind: 'pipeline'; readonly step: Step; readonly functions: readonly PipelineFunction[] };

export class ResolverRuntime {
  private readonly resolvers = new Map<string, Entry>();

  constructor(private readonly options: ResolverRuntimeOptions) {}

  /** Loads built bundles; AppSync-invalid code is refused here, as a deploy would refuse it. */
  loadBundles(
    bundles: readonly Pick<
      ResolverBundle,
      'typeName' | 'fieldName' | 'bundleFile' | 'code' | 'kind' | 'dataSource' | 'functions'
    >[],
  ): void {
    for (const bundle of bundles) {
      if (bundle.kind === 'pipeline') {
        this.loadPipeline(
          bundle.typeName,
          bundle.fieldName,
          { code: bundle.code, file: bundle.bundleFile },
          bundle.functions.map((f) => ({ name: f.name, code: f.code, file: f.bundleFile, dataSource: f.dataSource })),
        );
      } else {
        this.load(bundle.typeName, bundle.fieldName, bundle.code, bundle.bundleFile, bundle.dataSource);
      }
    }
  }

  /** Loads one resolver's code for `typeName.fieldName`. */
  load(
    typeName: string,
    fieldName: string,
    code: string,
    file = `${typeName}.${fieldName}.js`,
    dataSourceName = DEFAULT_DATA_SOURCE,
  ): void {
    const key = `${typeName}.${fieldName}`;
    const dataSource = this.requireDataSource(dataSourceName, file, `the resolver of ${key}`);
    this.resolvers.set(key, { kind: 'unit', step: this.loadStep(key, code, file), dataSource, dataSourceName });
  }

  /**
   * Loads a pipeline resolver: its own code (the before and after steps) and its functions, run
   * in order. A function naming a data source this runtime has not got is refused here, as a
   * deploy refuses it.
   */
  loadPipeline(
    typeName: string,
    fieldName: string,
    resolver: { readonly code: string; readonly file?: string },
    functions: readonly PipelineFunctionCode[],
  ): void {
    const key = `${typeName}.${fieldName}`;
    const loaded = functions.map((fn): PipelineFunction => {
      const dataSource = this.requireDataSource(fn.dataSource, fn.file ?? fn.name, `the function ${fn.name} of ${key}`);
      return {
        name: fn.name,
        dataSource,
        dataSourceName: fn.dataSource,
        step: this.loadStep(`${key}/${fn.name}`, fn.code, fn.file ?? `${fn.name}.js`),
      };
    });
    this.resolvers.set(key, {
      kind: 'pipeline',
      step: this.loadStep(key, resolver.code, resolver.file ?? `${key}/index.js`),
      functions: loaded,
    });
  }

  /** The data source called `name`; refused at load, naming the file, when there is none. */
  private requireDataSource(name: string, file: string, user: string): DataSource {
    if (name === DEFAULT_DATA_SOURCE) return this.options.dataSource;
    const dataSources = this.options.dataSources ?? {};
    const found = Object.hasOwn(dataSources, name) ? dataSources[name] : undefined;
    if (found) return found;
    const known = [DEFAULT_DATA_SOURCE, ...Object.keys(dataSources)].join(', ');
    throw new Error(`${file}: ${user} names the data source "${name}", which does not exist (known: ${known})`);
  }

  private loadStep(key: string, code: string, file: string): Step {
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
    return {
      resolver,
      setScope: (next) => {
        scope = next;
      },
      reportUnsupported: (use) => this.options.onUnsupported?.(use, key),
    };
  }

  /** The `Type.field` names that have a resolver. */
  fields(): string[] {
    return [...this.resolvers.keys()];
  }

  has(typeName: string, fieldName: string): boolean {
    return this.resolvers.has(`${typeName}.${fieldName}`);
  }

  /**
   * Runs the resolver of `invocation`'s field. With `trace`, records each step and its timing
   * in it (resolver-trace.ts); without, nothing is recorded and no clock is read.
   */
  resolve(invocation: FieldInvocation, trace?: ResolverTrace): Promise<FieldOutcome> {
    const key = `${invocation.parentTypeName}.${invocation.fieldName}`;
    const entry = this.resolvers.get(key);
    if (!entry) return Promise.reject(new Error(`no resolver for ${key}`));
    const scope: InvocationScope = {
      fieldName: invocation.fieldName,
      parentTypeName: invocation.parentTypeName,
      authType: invocation.authType ?? this.options.authType ?? 'API Key Authorization',
      appendedErrors: [],
      operation: invocation.operation ?? new OperationState(),
    };
    const run: StepRun = { invocation, env: this.options.env, scope, key, trace };
    // Not async itself: the untraced path makes no promise besides the resolver's own.
    if (!trace) return entry.kind === 'pipeline' ? runPipeline(run, entry.step, entry.functions) : runUnit(run, entry);
    trace.begin(key, entry.kind);
    const running = entry.kind === 'pipeline' ? runPipeline(run, entry.step, entry.functions) : runUnit(run, entry);
    return running.then(
      (outcome) => {
        trace.end(outcome);
        return outcome;
      },
      (error: unknown) => {
        trace.end(undefined);
        throw error;
      },
    );
  }
}

/** A unit resolver: request handler, data source, response handler. */
async function runUnit(run: StepRun, entry: UnitEntry): Promise<FieldOutcome> {
  const { step } = entry;
  const { invocation, scope, trace } = run;
  const ctx = buildContext(invocation, run.env, step.resolver.realm);
  step.setScope(scope);
  const requested = runHandler(step.resolver, 'request', ctx, step.reportUnsupported);
  trace?.handler('request', requested);
  if (requested.kind !== 'value') return finish(step.resolver, requested, scope);
  const answered = await callDataSource(run, step, entry.dataSource, requested.value);
  trace?.dataSource(entry.dataSourceName, answered);
  if (answered instanceof ResolverError) return failed(step.resolver, answered, scope);
  ctx.result = step.resolver.realm.fromHostResult(answered.result);
  if (answered.error) ctx.error = step.resolver.realm.fromHost(answered.error);
  step.setScope(scope);
  const responded = runHandler(step.resolver, 'response', ctx, step.reportUnsupported);
  const outcome = finish(step.resolver, responded, scope);
  trace?.handler('response', responded);
  return outcome;
}
