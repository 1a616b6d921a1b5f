/**
 * Executes GraphQL requests the way AppSync answers them, with root fields resolved by the
 * APPSYNC_JS runtime. Parsed and validated documents are cached (LRU, bounded by bytes), so a
 * repeated query costs one map lookup before execution. The stage's limits hold as AppSync
 * enforces them: introspection, query depth, resolvers per request.
 *
 * A request with `x-scoredrive-trace: 1` gets each resolved field's steps and timings in
 * `extensions.scoredriveTrace` (src/runtime/resolver-trace.ts); with the logger at debug, each is
 * also logged, one line per field. Otherwise no trace is made and the answer is as AppSync's.
 */
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getOperationAST,
  parse,
  type ResponsePath,
  specifiedRules,
} from 'graphql';
import type { Logger } from 'pino';
import type { GraphQLLimits } from '../contract/graphql-limits';
import { assertResolversMatchSchema } from '../contract/schema';
import { ResolverError } from '../runtime/errors';
import { OperationState } from '../runtime/operation-state';
import type { ResolverRuntime } from '../runtime/resolver-runtime';
import { ResolverTrace, TRACE_EXTENSION, traceRequested } from '../runtime/resolver-trace';
import { APPSYNC_LIMIT_ERRORS, type AppSyncErrorEntry, formatExecutionError } from './appsync-errors';
import { AUTH_TYPE_OF_MODE, FieldAuthorization } from './authorization/field-auth';
import { DEFAULT_DOCUMENT_CACHE, DocumentCache, type DocumentCacheOptions } from './document-cache';
import {
  assertWithinDepth,
  isTooManyTokens,
  limitRules,
  ResolverCounter,
  validationTypeOfLimitRule,
} from './query-limits';
import { filterBySelection, selectionOf } from './selection-set';
import { variableProblems } from './variable-errors';
import { AppSyncValidation } from './wire/validation-messages';

/** The body of POST /graphql. */
export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Who is calling and how, for ctx.identity and ctx.request. */
export interface CallerContext {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly identity?: Record<string, unknown> | null;
  /** The mode the request was authenticated by (AppSync's AuthenticationType). @default 'API_KEY' */
  readonly authMode?: string;
}

export interface GraphQLAnswer {
  readonly status: number;
  readonly body: { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> };
  /** The root fields run (`Query.score`) and the driverIds they were asked about, for the access log. */
  readonly fields?: readonly string[];
  readonly driverIds?: readonly string[];
  /** Custom response headers the resolvers set (util.http.addResponseHeader). */
  readonly headers?: readonly [string, string][];
}

interface PreparedDocument {
  readonly document?: DocumentNode;
  /** Set when the document cannot run: the answer to give every time it is sent. */
  readonly rejection?: GraphQLAnswer;
}

interface ExecutionContext {
  readonly caller: CallerContext;
  readonly variables: Record<string, unknown>;
  /** Errors added with util.appendError while the field still returned a value. */
  readonly appended: { error: ResolverError; info: GraphQLResolveInfo }[];
  readonly rootFields: string[];
  readonly driverIds: string[];
  readonly operation: OperationState;
  readonly resolvers: ResolverCounter;
  /** Set only when the request asked for a trace or the log is at debug. */
  readonly trace: RequestTrace | undefined;
}

/** One request's field traces. */
interface RequestTrace {
  /** For the response's extensions (the header asked for them). */
  readonly respond: boolean;
  /** For the debug log. */
  readonly log: Logger | undefined;
  /** In the order the fields started. */
  readonly fields: ResolverTrace[];
  /** Each field's path node → its field name, for paths without aliases in the log. */
  readonly fieldNames: WeakMap<ResponsePath, string>;
}

export interface GraphQLServiceOptions {
  /** The stage's limits; by default none but AppSync's default of 10,000 resolvers per request. */
  readonly limits?: Partial<GraphQLLimits>;
  /** Most lexical tokens a document may have; AppSync's 15,000 by default. */
  readonly maxTokens?: number;
  readonly documentCache?: DocumentCacheOptions;
  /** At debug level, each resolved field's trace is logged (names, durations, error types: no values). */
  readonly logger?: Logger;
  /**
   * The API's default authorization mode: fields are then reachable only by the modes their
   * directives (or their type's) name, as on AppSync (authorization/field-auth.ts).
   * @default 'API_KEY'
   */
  readonly defaultAuthMode?: string;
}

/** AppSync's resolver count when the API sets none (resolverCountLimit 0). */
export const APPSYNC_DEFAULT_RESOLVER_COUNT_LIMIT = 10_000;

export class GraphQLService {
  private readonly documents: DocumentCache<PreparedDocument>;
  private readonly fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext>;
  private readonly validation: AppSyncValidation;
  private readonly resolverCountLimit: number;
  private readonly maxTokens: number;
  private readonly queryDepthLimit: number;
  private readonly logger: Logger | undefined;
  private readonly fieldAuthorization: FieldAuthorization;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly runtime: ResolverRuntime,
    options: GraphQLServiceOptions = {},
  ) {
    assertResolversMatchSchema(schema, runtime.fields());
    this.fieldResolver = (source, args, context, info) => this.resolveField(source, args, context, info);
    this.documents = new DocumentCache(options.documentCache ?? DEFAULT_DOCUMENT_CACHE);
    this.validation = new AppSyncValidation(
      schema,
      specifiedRules,
      limitRules(options.limits ?? {}).map((rule) => ({
        rule,
        validationType: validationTypeOfLimitRule(rule) ?? 'InvalidSyntax',
      })),
    );
    this.resolverCountLimit = options.limits?.resolverCountLimit || APPSYNC_DEFAULT_RESOLVER_COUNT_LIMIT;
    this.maxTokens = options.maxTokens ?? APPSYNC_LIMIT_ERRORS.maxTokens;
    this.queryDepthLimit = options.limits?.queryDepthLimit ?? 0;
    this.logger = options.logger;
    this.fieldAuthorization = new FieldAuthorization(schema, options.defaultAuthMode ?? 'API_KEY');
  }

  async handle(body: GraphQLRequestBody, caller: CallerContext): Promise<GraphQLAnswer> {
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return malformed('Unable to parse GraphQL query.');
    }
    if (body.variables !== undefined && body.variables !== null && typeof body.variables !== 'object') {
      return malformed('Unable to parse GraphQL query.');
    }
    const prepared = this.prepare(body.query);
    if (prepared.rejection) return prepared.rejection;
    const document = prepared.document as DocumentNode;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const context: ExecutionContext = {
      caller,
      variables: (body.variables as Record<string, unknown>) ?? {},
      appended: [],
      rootFields: [],
      driverIds: [],
      operation: new OperationState(),
      resolvers: new ResolverCounter(this.resolverCountLimit),
      trace: this.requestTrace(caller),
    };
    const result = (await execute({
      schema: this.schema,
      document,
      variableValues: context.variables,
      operationName,
      contextValue: context,
      fieldResolver: this.fieldResolver,
    })) as ExecutionResult;
    // No data at all: the request failed before any field ran (variables graphql-js refused, an
    // unknown operation name). The caller's mistake, answered as AppSync answers request errors.
    // Variables are worded as AppSync words them only then, off the path of valid requests.
    if (!('data' in result) || result.data === undefined) {
      const operation = getOperationAST(document, operationName);
      const invalid = operation ? variableProblems(this.schema, operation, context.variables) : [];
      return requestErrors(invalid.length > 0 ? invalid : (result.errors ?? []).map((error) => error.message));
    }
    const errors: AppSyncErrorEntry[] = [
      ...context.appended.map(({ error, info }) =>
        formatExecutionError(
          new GraphQLError(error.message, { nodes: info.fieldNodes, path: pathOf(info), originalError: error }),
        ),
      ),
      ...(result.errors ?? []).map(formatExecutionError),
    ];
    const out: GraphQLAnswer['body'] = { data: result.data ?? null };
    if (errors.length > 0) out.errors = errors;
    if (context.trace?.respond) {
      out.extensions = {
        ...(result.extensions ?? {}),
        [TRACE_EXTENSION]: { fields: context.trace.fields.map((field) => field.toJSON()) },
      };
    }
    return {
      status: 200,
      body: out,
      fields: context.rootFields,
      driverIds: context.driverIds,
      headers: context.operation.responseHeaders.entries(),
    };
  }

  /** A trace for this request when the caller asked for one or the log would take it; else undefined. */
  private requestTrace(caller: CallerContext): RequestTrace | undefined {
    const respond = traceRequested(caller.headers);
    const log = this.logger?.isLevelEnabled('debug') ? this.logger : undefined;
    if (!respond && !log) return undefined;
    return { respond, log, fields: [], fieldNames: new WeakMap() };
  }

  /** How the parsed-document cache is doing (misses are parses). */
  documentCacheStats(): { size: number; estimatedBytes: number; hits: number; misses: number } {
    return this.documents.stats();
  }

  /** Parses and validates once per distinct query text. */
  private prepare(query: string): PreparedDocument {
    return this.documents.getOrPrepare(query, (text) => this.parseAndValidate(text));
  }

  private parseAndValidate(query: string): PreparedDocument {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.maxTokens });
    } catch (error) {
      const syntax = error as GraphQLError;
      const tokens = isTooManyTokens(syntax) ? APPSYNC_LIMIT_ERRORS.tooManyTokens : undefined;
      return {
        rejection: {
          status: 400,
          body: {
            errors: [
              {
                errorType: 'MalformedHttpRequestException',
                message: tokens ?? `Unable to parse GraphQL query. ${syntax.message}`,
                locations: tokens
                  ? null
                  : (syntax.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null),
              },
            ],
          },
        },
      };
    }
    const errors = this.validation.validate(document);
    if (errors.length === 0) return { document };
    // Worded as AppSync (graphql-java) words them, only once a document is refused.
    return { rejection: { status: 200, body: { data: null, errors: this.validation.entries(document, errors) } } };
  }

  private async resolveField(
    source: unknown,
    args: Record<string, unknown>,
    context: ExecutionContext,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    this.fieldAuthorization.assertAllowed(info, context.caller.authMode ?? 'API_KEY');
    if (info.path.prev === undefined) noteRootField(context, info, args);
    const { trace } = context;
    if (trace?.log) trace.fieldNames.set(info.path, info.fieldName);
    assertWithinDepth(info, this.queryDepthLimit);
    if (!this.runtime.has(info.parentType.name, info.fieldName)) {
      // No resolver: AppSync returns the parent's property of the same name.
      const parent = source as Record<string, unknown> | null;
      return parent?.[info.fieldName] ?? null;
    }
    // Beyond the limit a resolver does not run (no data-source call): its field gets the error.
    context.resolvers.count();
    let fieldTrace: ResolverTrace | undefined;
    if (trace) {
      fieldTrace = new ResolverTrace(pathOf(info));
      trace.fields.push(fieldTrace);
    }
    const outcome = await this.runtime.resolve(
      {
        parentTypeName: info.parentType.name,
        fieldName: info.fieldName,
        args,
        source: (source as Record<string, unknown>) ?? null,
        identity: context.caller.identity ?? null,
        authType: AUTH_TYPE_OF_MODE[context.caller.authMode ?? 'API_KEY'],
        headers: context.caller.headers,
        variables: context.variables,
        operation: context.operation,
        ...selectionOf(info),
      },
      fieldTrace,
    );
    if (trace?.log && fieldTrace) {
      // Names, durations and error types only (resolver-trace.ts): no argument, value or message.
      const resolverTrace = { ...fieldTrace.toJSON(), path: namePath(info.path, trace.fieldNames) };
      trace.log.debug({ resolverTrace }, 'resolver trace');
    }
    const [last, ...rest] = outcome.errors.map((error) => withFilteredData(error, info)).reverse();
    for (const error of rest.reverse()) context.appended.push({ error, info });
    if (last && outcome.value === null) throw last;
    if (last) context.appended.push({ error: last, info });
    return outcome.value;
  }
}

/** The error with its data cut down to the field's selection set, as AppSync reports it. */
function withFilteredData(error: ResolverError, info: GraphQLResolveInfo): ResolverError {
  if (error.data === null || error.data === undefined) return error;
  return new ResolverError(error.message, error.errorType, filterBySelection(error.data, info), error.errorInfo);
}

/** Records a root field and the driverIds in its arguments (`driverId`, `driverIds`). */
function noteRootField(context: ExecutionContext, info: GraphQLResolveInfo, args: Record<string, unknown>): void {
  context.rootFields.push(`${info.parentType.name}.${info.fieldName}`);
  const ids = [args.driverId, ...(Array.isArray(args.driverIds) ? args.driverIds : [])];
  for (const id of ids) if (typeof id === 'string') context.driverIds.push(id);
}

/** Errors of the request as a whole: HTTP 200, data null, entries without path, location or type. */
function requestErrors(messages: readonly string[]): GraphQLAnswer {
  return {
    status: 200,
    body: { data: null, errors: messages.map((message) => ({ path: null, locations: null, message })) },
  };
}

function malformed(message: string): GraphQLAnswer {
  return { status: 400, body: { errors: [{ errorType: 'MalformedHttpRequestException', message }] } };
}

/**
 * The path with field names where the response has aliases, for the log: an alias is the
 * caller's own word, and a driverId is a valid GraphQL name.
 */
function namePath(path: ResponsePath, fieldNames: WeakMap<ResponsePath, string>): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: ResponsePath | undefined = path; p; p = p.prev) {
    out.unshift(typeof p.key === 'number' ? p.key : (fieldNames.get(p) ?? '?'));
  }
  return out;
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}
