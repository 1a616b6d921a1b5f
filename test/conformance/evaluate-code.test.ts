/**
 * The offline EvaluateCode against the answers AWS printed in its guide and the ones
 * localstack/appsync-utils recorded from AWS (`checkResolverValid`, whose AWS branch snapshots
 * `JSON.parse(evaluationResult)`, or `{ message }` when EvaluateCode answers an error).
 */
import { describe, expect, it } from 'vitest';
import { GUIDE_CODE, GUIDE_CONTEXT, GUIDE_RESPONSE_ANSWER } from './guide-example';
import { evaluateHandler } from './run';
import { cite, devguide, localstackSnapshot } from './sources';

const DEBUG_PAGE = devguide('test-debug-resolvers-js', 'Testing your resolvers and functions');

describe(`the guide's EvaluateCode example (${cite(DEBUG_PAGE)})`, () => {
  it('answers the printed evaluationResult and log line for the response handler', async () => {
    const out = await evaluateHandler(GUIDE_CODE, GUIDE_CONTEXT, 'response');
    expect(out).toMatchObject(GUIDE_RESPONSE_ANSWER);
    expect(out.error).toBeUndefined();
  });

  it("answers the request handler's PutItem with the typed arguments (the page's VTL twin prints the same attributeValues)", async () => {
    const out = await evaluateHandler(GUIDE_CODE, GUIDE_CONTEXT, 'request');
    const result = JSON.parse(out.evaluationResult as string);
    expect(result).toEqual({
      operation: 'PutItem',
      key: {
        id: { S: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) },
      },
      attributeValues: { firstname: { S: 'Shaggy' }, age: { N: 4 } },
    });
  });
});

describe('EvaluateCode answers recorded by localstack/appsync-utils', () => {
  const errorCase = (body: string) => `
      export function request(ctx) {
          ${body}
        }
      export function response(ctx) {}
  `;

  it(`util.error("foo") answers the message alone (${cite(localstackSnapshot('error handling error 1', 'resolvers.test.js.snap'))})`, async () => {
    const out = await evaluateHandler(errorCase('util.error("foo")'), {}, 'request');
    expect(out.error).toEqual({ message: 'foo' });
    expect(out.evaluationResult).toBeUndefined();
  });

  it(`util.unauthorized() answers "Unauthorized" (${cite(localstackSnapshot('error handling unauthorized 1', 'resolvers.test.js.snap'))})`, async () => {
    const out = await evaluateHandler(errorCase('util.unauthorized()'), {}, 'request');
    expect(out.error).toEqual({ message: 'Unauthorized' });
  });

  const QUERY_CODE = `
    export function request(ctx) {
        return {
            operation: "Query",
            index: "nameIndex",
            select : "ALL_ATTRIBUTES",
            query: {
                "expression" : "#name = :name",
                "expressionNames": { "#name": "name" },
                "expressionValues" : { ":name" : util.dynamodb.toDynamoDB(ctx.arguments.filter.line) }
            },
            filter: {
                "expression" : "#shift = :shift",
                "expressionNames": { "#shift": "shift" },
                "expressionValues" : { ":shift" : util.dynamodb.toDynamoDB(ctx.arguments.filter.shift) }
            },
        };
    }

    export function response(ctx) {
        return ctx.result.items;
    }
    `;
  const withImports = `\n        import { util } from '@aws-appsync/utils';\n        ${QUERY_CODE}`;

  it(`a request handler's Query object (${cite(localstackSnapshot('dynamodb resolvers something 1', 'resolvers.test.js.snap'))})`, async () => {
    const out = await evaluateHandler(withImports, { arguments: { filter: { line: 'test', shift: 10 } } }, 'request');
    expect(JSON.parse(out.evaluationResult as string)).toEqual({
      filter: {
        expression: '#shift = :shift',
        expressionNames: { '#shift': 'shift' },
        expressionValues: { ':shift': { N: 10 } },
      },
      index: 'nameIndex',
      operation: 'Query',
      query: {
        expression: '#name = :name',
        expressionNames: { '#name': 'name' },
        expressionValues: { ':name': { S: 'test' } },
      },
      select: 'ALL_ATTRIBUTES',
    });
  });

  it(`the response handler reading ctx.result (${cite(localstackSnapshot('dynamodb resolvers something 2', 'resolvers.test.js.snap'))})`, async () => {
    const out = await evaluateHandler(withImports, { result: { items: [{ a: 10 }] } }, 'response');
    expect(JSON.parse(out.evaluationResult as string)).toEqual([{ a: 10 }]);
  });
});
