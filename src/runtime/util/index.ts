/**
 * The `util`, `runtime` and `extensions` objects a resolver bundle imports from
 * `@aws-appsync/utils`. Every object is wrapped so that reading a member AppSync has but this
 * runtime lacks fails with "unsupported in the offline runtime: util.xyz" instead of
 * handing the resolver an `undefined`.
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html
 */
import { EarlyReturn, ResolverError, UnauthorizedError, UnsupportedError } from '../errors';
import { toFilterExpression } from '../modules/expressions';
import type { OperationState } from '../operation-state';
import { dynamodbUtil } from './dynamodb-values';
import { createExtensions } from './extensions';
import { createHttpUtil } from './http';
import { idUtil } from './ids';
import { toElasticsearchQueryDSL } from './opensearch-query';
import { base64Decode, base64Encode, escapeJavaScript, matches, strUtil, urlDecode, urlEncode } from './strings';
import { toSubscriptionFilter } from './subscription-filter';
import { createTimeUtil } from './time';
import { xmlUtil } from './xml';

/** What the util functions need to know about the field being resolved. */
export interface InvocationScope {
  readonly fieldName: string;
  readonly parentTypeName: string;
  /** AppSync's wording for the auth mode, e.g. "API Key Authorization". */
  readonly authType: string;
  /** Errors raised with util.appendError, reported with the field's result. */
  readonly appendedErrors: ResolverError[];
  /** What the fields of the GraphQL operation share (response headers, invalidations). */
  readonly operation: OperationState;
}

/** errorType is a string in the response's error entry (util's declared type), or null. */
const typeOf = (errorType: unknown): string | null =>
  errorType === undefined || errorType === null ? null : String(errorType);

/** Names AppSync's util exposes that this runtime deliberately leaves out (data sources we do not emulate). */
const KNOWN_UNSUPPORTED = new Set(['rds']);

/** Members the language and module interop probe on any object; they must read as absent, not fail. */
const PROBED = new Set(['then', 'toJSON', '__esModule']);

/**
 * Wraps an object so that unknown members throw. Symbols and probed names pass through:
 * JavaScript itself reads them (awaiting or printing a value, `import * as` interop).
 */
export function strict<T extends object>(target: T, path: string, leftOut: ReadonlySet<string> = new Set()): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || PROBED.has(prop)) return Reflect.get(obj, prop, receiver);
      if (leftOut.has(prop)) throw new UnsupportedError(`${path}.${prop} (only the DynamoDB data source is emulated)`);
      if (!(prop in obj)) throw new UnsupportedError(`${path}.${prop}`);
      return Reflect.get(obj, prop, receiver);
    },
  });
}

function mathUtil() {
  return {
    roundNum: (value: number) => Math.round(value),
    minVal: (a: number, b: number) => Math.min(a, b),
    maxVal: (a: number, b: number) => Math.max(a, b),
    randomDouble: () => Math.random(),
    randomWithinRange: (min: number, max: number) => Math.floor(Math.random() * (max - min + 1)) + min,
  };
}

function transformUtil() {
  return {
    // Both return a JSON string, as AppSync's do.
    toDynamoDBFilterExpression: (filter: Record<string, unknown>) => JSON.stringify(toFilterExpression(filter)),
    toDynamoDBConditionExpression: (condition: Record<string, unknown>) =>
      JSON.stringify(toFilterExpression(condition)),
    toElasticsearchQueryDSL,
    toSubscriptionFilter,
  };
}

/**
 * Builds the util object for one invocation. The scope is read through a getter so one util
 * object per sandbox can serve every request: the executor swaps the scope before each call.
 */
export function createUtil(currentScope: () => InvocationScope, now: () => number = Date.now) {
  const util = {
    error(message: string, errorType?: string | null, data?: unknown, errorInfo?: unknown): never {
      throw new ResolverError(String(message), typeOf(errorType), data ?? null, errorInfo ?? null);
    },
    appendError(message: string, errorType?: string | null, data?: unknown, errorInfo?: unknown): void {
      currentScope().appendedErrors.push(
        new ResolverError(String(message), typeOf(errorType), data ?? null, errorInfo ?? null),
      );
    },
    unauthorized(): never {
      const scope = currentScope();
      throw new UnauthorizedError(scope.fieldName, scope.parentTypeName);
    },
    authType: (): string => currentScope().authType,
    matches,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    escapeJavaScript,
    ...idUtil,
    time: strict(createTimeUtil(now), 'util.time'),
    dynamodb: strict(dynamodbUtil, 'util.dynamodb'),
    str: strict(strUtil, 'util.str'),
    math: strict(mathUtil(), 'util.math'),
    transform: strict(transformUtil(), 'util.transform'),
    http: strict(createHttpUtil(currentScope), 'util.http'),
    xml: strict(xmlUtil, 'util.xml'),
  };
  return strict(util, 'util', KNOWN_UNSUPPORTED);
}

export const runtimeModule = strict(
  {
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      throw new EarlyReturn(value === undefined ? null : value, options?.skipTo);
    },
  },
  'runtime',
);

/** `extensions` for code whose scope says which operation it runs in. */
export function createExtensionsModule(currentScope: () => InvocationScope) {
  return strict(
    createExtensions(() => currentScope().operation),
    'extensions',
  );
}
