/**
 * The `@aws-appsync/utils/dynamodb` module as resolvers import it: helpers that turn plain
 * JavaScript inputs into the DynamoDB request objects AppSync's data source executes.
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html
 * Output shapes follow AWS's answers recorded through EvaluateCode: keys and items through
 * toMapValues, key fields not repeated in attributeValues, absent options left out, and the
 * expression spellings described in expressions.ts.
 */
import { attributesBesidesKey, toMapValues } from '../util/dynamodb-values';
import { toFilterExpression, toKeyConditionExpression, toProjectionExpression } from './expressions';
import { transactGet, transactWrite } from './transactions';
import { operations, toUpdateExpression } from './update-expression';

export { operations };

type Plain = Record<string, unknown>;

/** Copies the listed options that were given (not null/undefined) into the request. */
function withOptions(request: Plain, input: Plain, names: string[]): Plain {
  for (const name of names) {
    if (input[name] !== undefined && input[name] !== null) request[name] = input[name];
  }
  return request;
}

function withExpressions(request: Plain, input: Plain): Plain {
  const filter = toFilterExpression(input.filter as Plain | undefined);
  if (filter) request.filter = filter;
  const projection = toProjectionExpression(input.projection as string[] | undefined);
  if (projection) request.projection = projection;
  return request;
}

function withCondition(request: Plain, input: Plain): Plain {
  const condition = toFilterExpression(input.condition as Plain | undefined);
  if (condition) request.condition = condition;
  return withOptions(request, input, ['_version', 'customPartitionKey', 'populateIndexFields']);
}

export function get(input: Plain): Plain {
  const request: Plain = { operation: 'GetItem', key: toMapValues(input.key as Plain) };
  withOptions(request, input, ['consistentRead']);
  return withExpressions(request, { projection: input.projection });
}

export function put(input: Plain): Plain {
  const request: Plain = {
    operation: 'PutItem',
    key: toMapValues(input.key as Plain),
    attributeValues: attributesBesidesKey(input.item as Plain, input.key as Plain),
  };
  return withCondition(request, input);
}

export function remove(input: Plain): Plain {
  return withCondition({ operation: 'DeleteItem', key: toMapValues(input.key as Plain) }, input);
}

export function query(input: Plain): Plain {
  const request: Plain = { operation: 'Query', query: toKeyConditionExpression(input.query as Plain) };
  withOptions(request, input, ['index', 'nextToken', 'limit', 'scanIndexForward', 'consistentRead', 'select']);
  return withExpressions(request, input);
}

export function scan(input: Plain = {}): Plain {
  const request: Plain = { operation: 'Scan' };
  withOptions(request, input, ['index', 'limit', 'nextToken', 'consistentRead', 'segment', 'totalSegments', 'select']);
  return withExpressions(request, input);
}

export function batchGet(input: {
  tables: Record<string, { keys: Plain[]; consistentRead?: boolean; projection?: string[] }>;
}): Plain {
  const tables: Plain = {};
  for (const [table, spec] of Object.entries(input.tables)) {
    const entry: Plain = { keys: spec.keys.map((key) => toMapValues(key)) };
    withOptions(entry, spec as Plain, ['consistentRead']);
    const projection = toProjectionExpression(spec.projection);
    if (projection) entry.projection = projection;
    tables[table] = entry;
  }
  return { operation: 'BatchGetItem', tables };
}

export function batchPut(input: { tables: Record<string, Plain[]> }): Plain {
  const tables: Plain = {};
  for (const [table, items] of Object.entries(input.tables)) tables[table] = items.map((item) => toMapValues(item));
  return { operation: 'BatchPutItem', tables };
}

export function batchDelete(input: { tables: Record<string, Plain[]> }): Plain {
  const tables: Plain = {};
  for (const [table, keys] of Object.entries(input.tables)) tables[table] = keys.map((key) => toMapValues(key));
  return { operation: 'BatchDeleteItem', tables };
}

export function update(input: Plain): Plain {
  const request: Plain = {
    operation: 'UpdateItem',
    key: toMapValues(input.key as Plain),
    update: toUpdateExpression(input.update),
  };
  return withCondition(request, input);
}

export const toStringSet = (values: string[]) => ({ SS: [...values] });
export const toNumberSet = (values: number[]) => ({ NS: [...values] });
export const toBinarySet = (values: string[]) => ({ BS: [...values] });

/** The module object a bundle's `import … from '@aws-appsync/utils/dynamodb'` receives. */
export const dynamodbModule = {
  get,
  put,
  remove,
  update,
  query,
  scan,
  batchGet,
  batchPut,
  batchDelete,
  operations,
  toStringSet,
  toNumberSet,
  toBinarySet,
  transactGet,
  transactWrite,
};
