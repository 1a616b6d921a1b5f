/**
 * Runs code the way the recordings were made: through EvaluateCode (here the offline one),
 * with the code localstack/appsync-utils sends (`__tests__/helpers.js`, `runOnAWS`).
 */
import { type EvaluateOptions, evaluateCode } from '../../src/evaluate/evaluate-code';

const RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

/** `return <expression>` in a request handler importing util and the dynamodb module, as localstack's recordings do. */
export async function evaluateExpression(
  expression: string,
  context: Record<string, unknown> = {},
  options: EvaluateOptions = {},
): Promise<unknown> {
  const code = `
  import { util } from '@aws-appsync/utils';
  import * as ddb from '@aws-appsync/utils/dynamodb';

  export function request(ctx) {
    return ${expression};
  }

  export function response(ctx) {
  }
  `;
  const out = await evaluateCode(
    { runtime: RUNTIME, code, context: JSON.stringify(context), function: 'request' },
    options,
  );
  if (out.error) throw new Error(out.error.message);
  return JSON.parse(out.evaluationResult as string);
}

/** Evaluates whole code and returns EvaluateCode's answer. */
export function evaluateHandler(code: string, context: Record<string, unknown>, fn: 'request' | 'response') {
  return evaluateCode({ runtime: RUNTIME, code, context: JSON.stringify(context), function: fn });
}
