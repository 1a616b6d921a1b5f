/**
 * Builds DynamoDB expressions ({ expression, expressionNames, expressionValues }) from the
 * filter, condition, key-condition, projection and update objects that AppSync's
 * `util.transform` and `@aws-appsync/utils/dynamodb` helpers accept.
 * Placeholders are numbered per expression and prefixed by its role (`#f_n0` in a filter,
 * `:k_v0` in a key condition, …), because a request sends several expressions to DynamoDB in
 * one parameter set. Their spelling differs from AppSync's; only their meaning has to match.
 */
import { type AppSyncAttributeValue, toDynamoDB } from '../util/dynamodb-values';

export interface DynamoDBExpression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AppSyncAttributeValue>;
}

const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

/** Accumulates placeholders while an expression is being written. */
export class ExpressionBuilder {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, AppSyncAttributeValue> = {};
  private nameCount = 0;
  private valueCount = 0;
  private readonly nameIndex = new Map<string, string>();

  /** `prefix` keeps this expression's placeholders apart from the other expressions of the request. */
  constructor(private readonly prefix: string) {}

  /** A placeholder for an attribute path (`a.b` becomes `#n0.#n1`). */
  name(path: string): string {
    return path
      .split('.')
      .map((segment) => {
        const listIndex = /^(.*?)((\[\d+\])*)$/.exec(segment) as RegExpExecArray;
        let placeholder = this.nameIndex.get(listIndex[1]);
        if (!placeholder) {
          placeholder = `#${this.prefix}_n${this.nameCount}`;
          this.nameCount += 1;
          this.nameIndex.set(listIndex[1], placeholder);
          this.names[placeholder] = listIndex[1];
        }
        return placeholder + listIndex[2];
      })
      .join('.');
  }

  value(value: unknown): string {
    const placeholder = `:${this.prefix}_v${this.valueCount}`;
    this.valueCount += 1;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  build(expression: string): DynamoDBExpression {
    const out: DynamoDBExpression = { expression };
    if (Object.keys(this.names).length > 0) out.expressionNames = { ...this.names };
    if (Object.keys(this.values).length > 0) out.expressionValues = { ...this.values };
    return out;
  }
}

function comparison(b: ExpressionBuilder, field: string, op: string, operand: unknown): string {
  const name = b.name(field);
  switch (op) {
    case 'eq':
      return `${name} = ${b.value(operand)}`;
    case 'ne':
      return `${name} <> ${b.value(operand)}`;
    case 'lt':
      return `${name} < ${b.value(operand)}`;
    case 'le':
      return `${name} <= ${b.value(operand)}`;
    case 'gt':
      return `${name} > ${b.value(operand)}`;
    case 'ge':
      return `${name} >= ${b.value(operand)}`;
    case 'between': {
      const [low, high] = operand as [unknown, unknown];
      return `${name} BETWEEN ${b.value(low)} AND ${b.value(high)}`;
    }
    case 'beginsWith':
      return `begins_with(${name}, ${b.value(operand)})`;
    case 'contains':
      return `contains(${name}, ${b.value(operand)})`;
    case 'notContains':
      return `NOT contains(${name}, ${b.value(operand)})`;
    case 'in':
      return `${name} IN (${(operand as unknown[]).map((v) => b.value(v)).join(', ')})`;
    case 'attributeExists':
      return operand ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
    case 'attributeType': {
      const type = ATTRIBUTE_TYPES[operand as string];
      if (!type) throw new TypeError(`unknown attributeType ${String(operand)}`);
      return `attribute_type(${name}, ${b.value(type)})`;
    }
    case 'size':
      return sizeComparison(b, name, operand as Record<string, unknown>);
    default:
      throw new TypeError(`unknown filter operator ${op}`);
  }
}

function sizeComparison(b: ExpressionBuilder, name: string, ops: Record<string, unknown>): string {
  const symbols: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
  return Object.entries(ops)
    .map(([op, operand]) =>
      op === 'between'
        ? `size(${name}) BETWEEN ${b.value((operand as unknown[])[0])} AND ${b.value((operand as unknown[])[1])}`
        : `size(${name}) ${symbols[op]} ${b.value(operand)}`,
    )
    .join(' AND ');
}

function group(parts: string[], joiner: string): string {
  return parts.length === 1 ? parts[0] : `(${parts.join(joiner)})`;
}

/** Writes a filter/condition object (fields with operators, `and`, `or`, `not`). */
export function filterExpression(b: ExpressionBuilder, filter: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === null || spec === undefined) continue;
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(spec) ? spec : [spec]) as Record<string, unknown>[];
      parts.push(
        group(
          list.map((f) => filterExpression(b, f)),
          key === 'and' ? ' AND ' : ' OR ',
        ),
      );
    } else if (key === 'not') {
      parts.push(`(NOT ${filterExpression(b, spec as Record<string, unknown>)})`);
    } else {
      for (const [op, operand] of Object.entries(spec as Record<string, unknown>)) {
        if (operand !== undefined && operand !== null) parts.push(comparison(b, key, op, operand));
      }
    }
  }
  return group(parts, ' AND ');
}

/** `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`. */
export function toFilterExpression(
  filter: Record<string, unknown> | null | undefined,
  prefix = 'f',
): DynamoDBExpression | null {
  if (!filter || Object.keys(filter).length === 0) {
    return null;
  }
  const b = new ExpressionBuilder(prefix);
  return b.build(filterExpression(b, filter));
}

/** A key condition: equality on the partition key, one comparison on the sort key. */
export function toKeyConditionExpression(query: Record<string, unknown>): DynamoDBExpression {
  const b = new ExpressionBuilder('k');
  const parts: string[] = [];
  for (const [field, ops] of Object.entries(query)) {
    if (ops === null || ops === undefined) continue;
    for (const [op, operand] of Object.entries(ops as Record<string, unknown>)) {
      if (operand === undefined || operand === null) continue;
      if (!['eq', 'lt', 'le', 'gt', 'ge', 'between', 'beginsWith'].includes(op)) {
        throw new TypeError(`operator ${op} is not allowed in a key condition`);
      }
      parts.push(comparison(b, field, op, operand));
    }
  }
  if (parts.length === 0) {
    throw new TypeError('a query needs a key condition on the partition key');
  }
  return b.build(parts.join(' AND '));
}

export function toProjectionExpression(
  projection: string[] | null | undefined,
): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!projection || projection.length === 0) return undefined;
  const b = new ExpressionBuilder('p');
  const expression = projection.map((path) => b.name(path)).join(', ');
  const built = b.build(expression);
  return { expression, expressionNames: built.expressionNames ?? {} };
}
