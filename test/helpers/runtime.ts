/** Factories for runtime tests: a ResolverRuntime over a recording fake data source. */
import type { DataSourceResult } from '../../src/runtime/datasources/dynamodb';
import { type DataSource, ResolverRuntime } from '../../src/runtime/resolver-runtime';

/** A data source that records every request and answers from a queue (or `{ result: null }`). */
export class RecordingDataSource implements DataSource {
  readonly requests: Record<string, unknown>[] = [];
  private readonly answers: DataSourceResult[] = [];

  answer(...results: DataSourceResult[]): this {
    this.answers.push(...results);
    return this;
  }

  async invoke(request: Record<string, unknown>): Promise<DataSourceResult> {
    this.requests.push(request);
    return this.answers.shift() ?? { result: null };
  }
}

/** Loads `code` as the resolver of Query.probe and returns a function that invokes it. */
export function probeResolver(
  code: string,
  options: { dataSource?: DataSource; env?: Record<string, string>; now?: () => number } = {},
) {
  const dataSource = options.dataSource ?? new RecordingDataSource();
  const runtime = new ResolverRuntime({ dataSource, env: options.env ?? { SCORES_TABLE: 'scores' }, now: options.now });
  runtime.load('Query', 'probe', code, 'Query.probe.js');
  return (args: Record<string, unknown> = {}) => runtime.resolve({ parentTypeName: 'Query', fieldName: 'probe', args });
}

/** Evaluates one expression inside a resolver's request handler and returns its value. */
export async function evaluate(expression: string, imports = "import { util } from '@aws-appsync/utils';") {
  const invoke = probeResolver(
    `${imports}\nexport function request(ctx) { return runtime.earlyReturn({ value: ${expression} }); }\nexport function response(ctx) { return ctx.result; }`,
  );
  const outcome = await invoke();
  if (outcome.errors.length > 0) throw outcome.errors[0];
  return (outcome.value as { value: unknown }).value;
}
