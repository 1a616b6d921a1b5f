/**
 * The request checks EvaluateCode makes before evaluating anything, and the error it throws
 * for them. The constraints are the service model's (botocore appsync 2017-07-25
 * service-2.json: `runtime`, `code`, `context` required; Code 1..32768; Context 2..28000;
 * RuntimeName enum APPSYNC_JS); the wording is AWS's usual one for constraint violations
 * ("1 validation error detected: Value … at 'code' failed to satisfy constraint: …").
 */
import { randomUUID } from 'node:crypto';
import type { EvaluateCodeCommandInput, ResponseMetadata } from './shapes';

/** As @aws-sdk/client-appsync throws it: name, $fault, $metadata, message. */
export class BadRequestException extends Error {
  override readonly name = 'BadRequestException';
  readonly $fault = 'client' as const;
  readonly $metadata: ResponseMetadata;
  constructor(message: string) {
    super(message);
    this.$metadata = { httpStatusCode: 400, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 };
  }
}

export const CODE_MAX_LENGTH = 32_768;
export const CONTEXT_MIN_LENGTH = 2;
export const CONTEXT_MAX_LENGTH = 28_000;
export const RUNTIME_NAME = 'APPSYNC_JS';
export const RUNTIME_VERSION = '1.0.0';
export const FUNCTIONS = ['request', 'response'] as const;

/** Every constraint the request breaks, each as one sentence; empty when it is well formed. */
export function requestProblems(input: EvaluateCodeCommandInput): string[] {
  const problems: string[] = [];
  const member = (name: string, value: unknown, check: string) =>
    `Value ${value === undefined ? 'null' : `'${String(value).slice(0, 40)}'`} at '${name}' failed to satisfy constraint: ${check}`;
  if (!input || typeof input !== 'object') return ['Member must not be null: the request'];
  const { runtime, code, context } = input;
  if (!runtime || typeof runtime !== 'object') {
    problems.push(member('runtime', undefined, 'Member must not be null'));
  } else {
    if (runtime.name !== RUNTIME_NAME) {
      problems.push(member('runtime.name', runtime.name, `Member must satisfy enum value set: [${RUNTIME_NAME}]`));
    }
    if (runtime.runtimeVersion !== RUNTIME_VERSION) {
      problems.push(
        member('runtime.runtimeVersion', runtime.runtimeVersion, `the only runtime version is ${RUNTIME_VERSION}`),
      );
    }
  }
  if (typeof code !== 'string') {
    problems.push(member('code', undefined, 'Member must not be null'));
  } else if (code.length < 1 || code.length > CODE_MAX_LENGTH) {
    problems.push(member('code', code, `Member must have length between 1 and ${CODE_MAX_LENGTH}`));
  }
  if (typeof context !== 'string') {
    problems.push(member('context', undefined, 'Member must not be null'));
  } else if (context.length < CONTEXT_MIN_LENGTH || context.length > CONTEXT_MAX_LENGTH) {
    problems.push(
      member('context', context, `Member must have length between ${CONTEXT_MIN_LENGTH} and ${CONTEXT_MAX_LENGTH}`),
    );
  }
  const fn = input.function;
  if (fn !== undefined && fn !== null && !(FUNCTIONS as readonly unknown[]).includes(fn)) {
    problems.push(member('function', fn, "Member must be 'request' or 'response'"));
  }
  return problems;
}

export function assertWellFormed(input: EvaluateCodeCommandInput): void {
  const problems = requestProblems(input);
  if (problems.length > 0) {
    throw new BadRequestException(
      `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    );
  }
}
