/**
 * `transactGet` and `transactWrite` of `@aws-appsync/utils/dynamodb`: the request objects of the
 * TransactGetItems and TransactWriteItems operations, from the inputs the package's typings
 * declare (`TransactGetInput`, `TransactWriteInput`) and the AppSync Events guide shows.
 * https://docs.aws.amazon.com/appsync/latest/eventapi/built-in-modules.html
 *
 * AWS prints no request object these helpers produce; each request item is built as the
 * single-item helpers build theirs (keys and items through toMapValues, key fields not repeated
 * in attributeValues, conditions as filter expressions, updates as update() spells them), in the
 * shape of the request-object reference pages.
 */
import { attributesBesidesKey, toMapValues } from '../util/dynamodb-values';
import { toFilterExpression, toProjectionExpression } from './expressions';
import { toUpdateExpression } from './update-expression';

type Plain = Record<string, unknown>;

const WRITE_OPERATIONS = {
  putItem: 'PutItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
  conditionCheck: 'ConditionCheck',
} as const;

type WriteWrapper = keyof typeof WRITE_OPERATIONS;

function inputItems(helper: string, input: unknown): unknown[] {
  const items = (input as Plain | null | undefined)?.items;
  if (!Array.isArray(items)) throw new TypeError(`${helper}() expects \`items\` to be a list of request items`);
  return items;
}

function plainObject(helper: string, what: string, value: unknown): Plain {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${helper}() expects ${what} to be an object`);
  }
  return value as Plain;
}

/** `{ table, key, projection? }` → `{ table, key, projection? }` with a typed key and a projection expression. */
export function transactGet(input: unknown): Plain {
  const transactItems = inputItems('transactGet', input).map((entry, i) => {
    const spec = plainObject('transactGet', `items[${i}]`, entry);
    const request: Plain = {
      table: spec.table,
      key: toMapValues(plainObject('transactGet', `items[${i}].key`, spec.key)),
    };
    const projection = toProjectionExpression(spec.projection as string[] | undefined);
    if (projection) request.projection = projection;
    return request;
  });
  return { operation: 'TransactGetItems', transactItems };
}

/** Each `{ putItem | updateItem | deleteItem | conditionCheck: { table, key, … } }` as one request item. */
export function transactWrite(input: unknown): Plain {
  const transactItems = inputItems('transactWrite', input).map((entry, i) => {
    const wrappers = Object.keys(plainObject('transactWrite', `items[${i}]`, entry)).filter(
      (name): name is WriteWrapper => name in WRITE_OPERATIONS,
    );
    if (wrappers.length !== 1) {
      throw new TypeError(
        `transactWrite() expects items[${i}] to hold one of putItem, updateItem, deleteItem or conditionCheck`,
      );
    }
    const wrapper = wrappers[0];
    const spec = plainObject('transactWrite', `items[${i}].${wrapper}`, (entry as Plain)[wrapper]);
    const key = plainObject('transactWrite', `items[${i}].${wrapper}.key`, spec.key);
    const request: Plain = { table: spec.table, operation: WRITE_OPERATIONS[wrapper], key: toMapValues(key) };
    if (wrapper === 'putItem') {
      request.attributeValues = attributesBesidesKey(
        plainObject('transactWrite', `items[${i}].putItem.item`, spec.item),
        key,
      );
    }
    if (wrapper === 'updateItem') request.update = toUpdateExpression(spec.update);
    const condition = toFilterExpression(spec.condition as Plain | undefined);
    if (condition) request.condition = condition;
    return request;
  });
  return { operation: 'TransactWriteItems', transactItems };
}
