/**
 * AppSync's EvaluateCode, offline: runs one handler of APPSYNC_JS code on a context and
 * answers what AWS answers — the same deploy checks, runtime, util and modules as
 * `scoredrive serve`, no data source (EvaluateCode never calls one).
 * https://docs.aws.amazon.com/appsync/latest/devguide/test-resolvers.html
 *
 * What the answer holds, from AWS's documented and recorded answers:
 * - `evaluationResult`: the handler's return value as compact JSON (test-resolvers example);
 * - `logs`: console.log/console.error lines, `INFO - code.js:5:3: "current id" "record-id"`;
 * - `error.message`: util.error's message as given (`foo`), `Unauthorized` for
 *   util.unauthorized() (localstack/appsync-utils, resolvers.test.js.snap, "error handling"),
 *   `code.js:L:C: TypeError: …` for a bug in the code; deploy-check failures add
 *   `codeErrors` with their locations;
 * - `stash` and `outErrors` as JSON strings.
 */
import { randomUUID } from 'node:crypto';
import { appSyncModules } from '../runtime/appsync-modules';
import { completeContext, type ResolverContext } from '../runtime/context';
import {
  CodeEvaluationError,
  CodeRejectedError,
  type CodeViolation,
  MissingHandlerError,
  ResolverError,
  UnauthorizedError,
  UnsupportedCodeError,
  UnsupportedError,
} from '../runtime/errors';
import { codeValueJson, runHandler } from '../runtime/handler-invocation';
import { OFFLINE_RULE } from '../runtime/offline-support';
import { OperationState } from '../runtime/operation-state';
import { HANDLER_TIMEOUT_MS, type LoadedResolver, loadResolver } from '../runtime/sandbox';
import type { InvocationScope } from '../runtime/util/index';
import { assertWellFormed } from './bad-request';
import type { CodeError, EvaluateCodeCommandInput, EvaluateCodeCommandOutput } from './shapes';

/** The name AppSync gives evaluated code in messages and logs. */
const CODE_NAME = 'code.js';

export interface EvaluateOptions {
  /** Clock for util.time (tests pin it). */
  readonly now?: () => number;
}

type Answer = Omit<EvaluateCodeCommandOutput, '$metadata'>;

/** Runs the code as EvaluateCode does; a malformed request throws BadRequestException as the SDK would. */
export async function evaluateCode(
  input: EvaluateCodeCommandInput,
  options: EvaluateOptions = {},
): Promise<EvaluateCodeCommandOutput> {
  assertWellFormed(input);
  const answer = evaluate(input.code as string, input.context as string, input.function ?? 'request', options);
  return { ...answer, $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 } };
}

function evaluate(code: string, contextJson: string, handlerName: string, options: EvaluateOptions): Answer {
  const logs: string[] = [];

  let scope: InvocationScope | undefined;
  const { modules, globals } = appSyncModules(() => {
    if (!scope) throw new Error('util used outside a handler');
    return scope;
  }, options.now);
  let resolver: LoadedResolver;
  try {
    resolver = loadResolver(code, CODE_NAME, {
      modules,
      globals,
      codeName: CODE_NAME,
      log: (line) => logs.push(line.text),
      requiredExports: [handlerName],
      timeoutMs: HANDLER_TIMEOUT_MS,
    });
  } catch (error) {
    // The deploy checks run as the code loads: what AppSync refuses comes back as codeErrors.
    if (error instanceof CodeRejectedError) return { error: codeErrorsOf(error.violations), logs };
    if (error instanceof UnsupportedCodeError) {
      return { error: { message: error.message, codeErrors: error.violations.map(codeErrorOf) }, logs };
    }
    if (error instanceof UnsupportedError || error instanceof CodeEvaluationError) {
      return { error: { message: error.message }, logs };
    }
    if (error instanceof MissingHandlerError) {
      return { error: { message: `${CODE_NAME}: no exported function named ${handlerName}` }, logs };
    }
    throw error;
  }

  const parsed = parseContext(contextJson);
  if (typeof parsed === 'string') return { error: { message: parsed }, logs };
  let ctx: ResolverContext;
  try {
    ctx = contextOf(parsed, resolver);
  } catch (error) {
    return { error: { message: `The context cannot be used: ${(error as Error).message}` }, logs };
  }
  scope = {
    fieldName: String(ctx.info?.fieldName ?? ''),
    parentTypeName: String(ctx.info?.parentTypeName ?? ''),
    authType: authTypeOf(ctx.identity),
    appendedErrors: [],
    // EvaluateCode answers no headers; a refused header still shows in outErrors.
    operation: new OperationState(),
  };
  const outcome = runHandler(resolver, handlerName, ctx);
  try {
    const after = {
      logs,
      stash: codeValueJson(resolver, ctx.stash ?? {}, 'stash'),
      outErrors: codeValueJson(resolver, scope.appendedErrors.map(errorEntry), 'appended errors'),
    };
    if (outcome.kind === 'error') {
      return { error: { message: errorMessage(outcome.error) }, ...after };
    }
    return { evaluationResult: codeValueJson(resolver, outcome.value, 'result'), ...after };
  } catch (error) {
    if (error instanceof ResolverError) return { error: { message: error.message }, logs };
    throw error;
  }
}

/** The context given, or a sentence saying why it is not a JSON object. */
function parseContext(json: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return `The context is not valid JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The context must be a JSON object';
  return value as Record<string, unknown>;
}

/**
 * The context in the code's realm. `ctx.args` is always there, even when the context carries
 * no arguments (localstack/appsync-utils, __tests__/helpers.js, recorded against AWS), and a
 * stash is always an object.
 */
function contextOf(given: Record<string, unknown>, resolver: LoadedResolver): ResolverContext {
  const info = given.info as { selectionSetList?: unknown; selectionSetGraphQL?: unknown } | undefined;
  const selection = {
    selectionSetList: Array.isArray(info?.selectionSetList) ? (info?.selectionSetList as string[]) : [],
    selectionSetGraphQL: typeof info?.selectionSetGraphQL === 'string' ? info.selectionSetGraphQL : '',
  };
  const plain: Record<string, unknown> = { ...given, arguments: given.arguments ?? {}, stash: given.stash ?? {} };
  if (info && typeof info === 'object') {
    const { selectionSetList: _list, selectionSetGraphQL: _graphql, ...rest } = info;
    plain.info = rest;
  }
  return completeContext(resolver.realm.fromHost(plain) as unknown as ResolverContext, resolver.realm, selection);
}

/**
 * util.authType()'s answer for the identity in the context: an API key has none; the other
 * shapes are those of resolver-context-reference-js ("Identity").
 */
function authTypeOf(identity: unknown): string {
  if (identity === null || identity === undefined || typeof identity !== 'object') return 'API Key Authorization';
  const id = identity as Record<string, unknown>;
  if ('accountId' in id || 'userArn' in id || 'cognitoIdentityPoolId' in id) return 'IAM Authorization';
  if (typeof id.issuer === 'string' && id.issuer.includes('cognito-idp')) return 'User Pool Authorization';
  if ('sub' in id && 'issuer' in id) return 'Open ID Connect Authorization';
  return 'API Key Authorization';
}

/** EvaluateCode reports util.unauthorized() as `Unauthorized`, not the GraphQL field message. */
function errorMessage(error: ResolverError): string {
  return error instanceof UnauthorizedError ? 'Unauthorized' : error.message;
}

/** An appended error as the GraphQL response would carry it. */
function errorEntry(error: ResolverError) {
  return { message: error.message, errorType: error.errorType, data: error.data, errorInfo: error.errorInfo };
}

/**
 * Deploy-check failures: one line per violation in the TypeScript compiler's form that
 * AppSync's answers use (`code.js(5,14): error TS2339: …`), each also a CodeError.
 */
function codeErrorsOf(violations: readonly CodeViolation[]): NonNullable<Answer['error']> {
  const codeErrors = violations.map(codeErrorOf);
  const message = violations.map((v) => `${v.file}(${v.line},${v.column}): error ${v.rule}: ${v.message}`).join('\n');
  return { message, codeErrors };
}

function codeErrorOf(v: CodeViolation): CodeError {
  const errorType =
    v.rule === 'parse' ? 'PARSER_ERROR' : v.rule === OFFLINE_RULE ? 'OFFLINE_UNSUPPORTED' : 'LINT_ERROR';
  return { errorType, value: `${v.rule}: ${v.message}`, location: { line: v.line, column: v.column, span: -1 } };
}
