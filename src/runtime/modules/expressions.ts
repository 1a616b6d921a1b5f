/**
 * Builds DynamoDB expressions ({ expression, expressionNames, expressionValues }) from the
 * filter, condition, key-condition, projection and update objects that AppSync's
 * `util.transform` and `@aws-appsync/utils/dynamodb` helpers accept, in the spelling AWS's
 * EvaluateCode answers show:
 * - filters and conditions: `#<attribute>` names, `:<attribute>_<operator>` values, each
 *   comparison in parentheses, functions without a space after the comma —
 *   `(contains(#title,:title_contains))`, `(attribute_exists(#id)) AND (#version = :version_eq)`;
 * - updates: `#expName_<n>` / `:expValue_<n>`, numbered from 1, one SET clause, then REMOVE.
 * Inside `and`/`or`/`not` groups, value placeholders carry the group path (`:and_0_title_eq`).
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

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const KEY_OPERATORS = new Set(['eq', 'lt', 'le', 'gt', 'ge', 'between', 'beginsWith']);

/** The names and values an expression refers to, and the expression object they end up in. */
abstract class PlaceholderSet {
  protected readonly names: Record<string, string> = {};
  protected readonly values: Record<string, AppSyncAttributeValue> = {};

  build(expression: string): DynamoDBExpression {
    const out: DynamoDBExpression = { expression };
    if (Object.keys(this.names).length > 0) out.expressionNames = { ...this.names };
    if (Object.keys(this.values).length > 0) out.expressionValues = { ...this.values };
    return out;
  }
}

/** Filter and condition placeholders: `#attr` and caller-named values (`:attr_op`). */
class Placeholders extends PlaceholderSet {
  /** `#attr`, or `#a.#b` for a nested path. */
  name(path: string): string {
    return path
      .split('.')
      .map((segment) => {
        const [, attribute, index] = /^(.*?)((?:\[\d+\])*)$/.exec(segment) as RegExpExecArray;
        this.names[`#${attribute}`] = attribute;
        return `#${attribute}${index}`;
      })
      .join('.');
  }

  value(placeholder: string, value: unknown): string {
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }
}

/** One comparison on one attribute, in parentheses. `prefix` is the group path of the value placeholders. */
function comparison(p: Placeholders, prefix: string, field: string, op: string, operand: unknown): string {
  const name = p.name(field);
  const value = (suffix: string, v: unknown) => p.value(`:${prefix}${field.replace(/\W/g, '_')}_${suffix}`, v);
  if (op in COMPARISONS) return `(${name} ${COMPARISONS[op]} ${value(op, operand)})`;
  switch (op) {
    case 'between': {
      const [low, high] = operand as [unknown, unknown];
      return `(${name} BETWEEN ${value('between_start', low)} AND ${value('between_end', high)})`;
    }
    case 'beginsWith':
      return `(begins_with(${name},${value(op, operand)}))`;
    case 'contains':
      return `(contains(${name},${value(op, operand)}))`;
    case 'notContains':
      return `(NOT contains(${name},${value(op, operand)}))`;
    case 'in':
      return `(${name} IN (${(operand as unknown[]).map((v, i) => value(`in_${i}`, v)).join(', ')}))`;
    case 'attributeExists':
      return operand ? `(attribute_exists(${name}))` : `(attribute_not_exists(${name}))`;
    case 'attributeType': {
      const type = ATTRIBUTE_TYPES[operand as string];
      if (!type) throw new TypeError(`unknown attributeType ${String(operand)}`);
      return `(attribute_type(${name},${value(op, type)}))`;
    }
    case 'size':
      return group(
        Object.entries(operand as Record<string, unknown>).map(([sizeOp, v]) =>
          sizeOp === 'between'
            ? `(size(${name}) BETWEEN ${value('size_between_start', (v as unknown[])[0])} AND ${value('size_between_end', (v as unknown[])[1])})`
            : `(size(${name}) ${COMPARISONS[sizeOp]} ${value(`size_${sizeOp}`, v)})`,
        ),
        ' AND ',
      );
    default:
      throw new TypeError(`unknown filter operator ${op}`);
  }
}

function group(parts: string[], joiner: string): string {
  return parts.length === 1 ? parts[0] : `(${parts.join(joiner)})`;
}

/** The parts of a filter object, each already in parentheses; the caller joins them with AND. */
function filterParts(p: Placeholders, filter: Record<string, unknown>, prefix: string): string[] {
  const parts: string[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === null || spec === undefined) continue;
    if (key === 'and' || key === 'or') {
      const members = (Array.isArray(spec) ? spec : [spec]) as Record<string, unknown>[];
      const rendered = members.map((member, i) => group(filterParts(p, member, `${prefix}${key}_${i}_`), ' AND '));
      parts.push(`(${rendered.join(key === 'and' ? ' AND ' : ' OR ')})`);
    } else if (key === 'not') {
      parts.push(`(NOT ${group(filterParts(p, spec as Record<string, unknown>, `${prefix}not_`), ' AND ')})`);
    } else {
      const ops = Object.entries(spec as Record<string, unknown>).filter(
        ([, operand]) => operand !== undefined && operand !== null,
      );
      parts.push(
        group(
          ops.map(([op, operand]) => comparison(p, prefix, key, op, operand)),
          ' AND ',
        ),
      );
    }
  }
  return parts;
}

/** `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`, as an object. */
export function toFilterExpression(filter: Record<string, unknown> | null | undefined): DynamoDBExpression | null {
  if (!filter || Object.keys(filter).length === 0) {
    return null;
  }
  const p = new Placeholders();
  return p.build(filterParts(p, filter, '').join(' AND '));
}

/** A key condition: equality on the partition key, at most one comparison on the sort key. */
export function toKeyConditionExpression(query: Record<string, unknown>): DynamoDBExpression {
  const p = new Placeholders();
  const parts: string[] = [];
  for (const [field, ops] of Object.entries(query)) {
    if (ops === null || ops === undefined) continue;
    for (const [op, operand] of Object.entries(ops as Record<string, unknown>)) {
      if (operand === undefined || operand === null) continue;
      if (!KEY_OPERATORS.has(op)) throw new TypeError(`operator ${op} is not allowed in a key condition`);
      parts.push(comparison(p, '', field, op, operand));
    }
  }
  if (parts.length === 0) {
    throw new TypeError('a query needs a key condition on the partition key');
  }
  return p.build(parts.join(' AND '));
}

/** Numbered placeholders for update expressions and projections: `#expName_1`, `:expValue_1`, … */
export class NumberedPlaceholders extends PlaceholderSet {
  private readonly nameFor = new Map<string, string>();
  private valueCount = 0;

  /** A dotted document path as projections spell it: `author.name`, `tags[0]`. */
  name(path: string): string {
    return path
      .split('.')
      .map((segment) => {
        const [, attribute, index] = /^(.*?)((?:\[\d+\])*)$/.exec(segment) as RegExpExecArray;
        return this.attribute(attribute) + index;
      })
      .join('.');
  }

  /** A path given as segments: attribute names (taken literally, dots included) and list indexes. */
  path(segments: readonly (string | number)[]): string {
    let out = '';
    for (const segment of segments) {
      if (typeof segment === 'number') out += `[${segment}]`;
      else out += (out ? '.' : '') + this.attribute(segment);
    }
    return out;
  }

  private attribute(attribute: string): string {
    let placeholder = this.nameFor.get(attribute);
    if (!placeholder) {
      placeholder = `#expName_${this.nameFor.size + 1}`;
      this.nameFor.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(value: unknown): string {
    this.valueCount += 1;
    const placeholder = `:expValue_${this.valueCount}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }
}

export function toProjectionExpression(
  projection: string[] | null | undefined,
): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!projection || projection.length === 0) return undefined;
  const p = new NumberedPlaceholders();
  const expression = projection.map((path) => p.name(path)).join(', ');
  return { expression, expressionNames: p.build(expression).expressionNames ?? {} };
}
