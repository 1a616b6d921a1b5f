/**
 * Runs code the way the recordings were made: through EvaluateCode, here the offline one.
 */
import { evaluate } from '../helpers/runtime';

/** `return <expression>` in a request handler importing util and the dynamodb module, as localstack's recordings do. */
export async function evaluateExpression(expression: string): Promise<unknown> {
  return evaluate(
    expression,
    "import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';",
  );
}
