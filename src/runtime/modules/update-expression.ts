/**
 * `operations.*` and the UpdateExpression `update()` builds from an update object.
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html#built-in-ddb-modules-operations
 *
 * The operation objects have the shape AWS's EvaluateCode answers show for them (recorded in
 * localstack/appsync-utils, __tests__/__snapshots__/index.test.js.snap, "DynamoDB operations"):
 * `{ type: 'OPERATION_ADD', value }`, `{ type: 'OPERATION_APPEND', items }`,
 * `{ type: 'OPERATION_INCREMENT', by }`. An update object is read as a tree: a plain object
 * is a map whose members are updated one by one (`info: { address: operations.replace(x) }`
 * is `SET #info.#address = :x`), an operation says what to do at its path, a list of
 * `updateListItem` operations replaces list elements (`#friendsIds[1] = :v`), and any other
 * value (lists included) is written whole.
 */
import { NumberedPlaceholders } from './expressions';

type Plain = Record<string, unknown>;

const TYPES = {
  add: 'OPERATION_ADD',
  remove: 'OPERATION_REMOVE',
  replace: 'OPERATION_REPLACE',
  increment: 'OPERATION_INCREMENT',
  decrement: 'OPERATION_DECREMENT',
  append: 'OPERATION_APPEND',
  prepend: 'OPERATION_PREPEND',
  updateListItem: 'OPERATION_UPDATE_LIST_ITEM',
} as const;

type OperationType = (typeof TYPES)[keyof typeof TYPES];

interface Operation {
  readonly type: OperationType;
  readonly value?: unknown;
  readonly items?: unknown[];
  readonly by?: number;
  readonly index?: number;
}

const KNOWN_TYPES = new Set<string>(Object.values(TYPES));

function requireList(helper: string, items: unknown): unknown[] {
  if (!Array.isArray(items)) throw new TypeError(`operations.${helper} expects a list of items`);
  return items;
}

function requireNumber(helper: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`operations.${helper} expects ${what} to be a number`);
  }
  return value;
}

export const operations = {
  add: (value: unknown): Operation => ({ type: TYPES.add, value }),
  remove: (): Operation => ({ type: TYPES.remove }),
  replace: (value: unknown): Operation => ({ type: TYPES.replace, value }),
  increment: (by: unknown = 1): Operation => ({ type: TYPES.increment, by: requireNumber('increment', by, 'by') }),
  decrement: (by: unknown = 1): Operation => ({ type: TYPES.decrement, by: requireNumber('decrement', by, 'by') }),
  append: (items: unknown): Operation => ({ type: TYPES.append, items: requireList('append', items) }),
  prepend: (items: unknown): Operation => ({ type: TYPES.prepend, items: requireList('prepend', items) }),
  updateListItem: (value: unknown, index: unknown): Operation => {
    const at = requireNumber('updateListItem', index, 'the index');
    if (!Number.isInteger(at) || at < 0)
      throw new TypeError('operations.updateListItem expects a list index of 0 or more');
    return { type: TYPES.updateListItem, value, index: at };
  },
};

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && KNOWN_TYPES.has((value as Plain).type as string);
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isOperation(value);
}

/** A path into the item: attribute names, and list indexes after an attribute. */
type Segment = string | number;

/** One change found in the update object, rendered once every change is known. */
type Change =
  | { readonly kind: 'set'; readonly path: Segment[]; readonly how: 'value'; readonly value: unknown }
  | { readonly kind: 'set'; readonly path: Segment[]; readonly how: 'plus' | 'minus'; readonly value: number }
  | { readonly kind: 'set'; readonly path: Segment[]; readonly how: 'append' | 'prepend'; readonly value: unknown[] }
  | { readonly kind: 'remove'; readonly path: Segment[] };

function collect(path: Segment[], spec: unknown, changes: Change[]): void {
  if (spec === undefined) return;
  if (isOperation(spec)) {
    changes.push(changeFor(path, spec));
  } else if (Array.isArray(spec) && spec.some((s) => isOperation(s))) {
    if (!spec.every((s) => isOperation(s))) {
      throw new TypeError('a list in an update object holds values or operations.updateListItem(), not both');
    }
    for (const item of spec) {
      if (item.type !== TYPES.updateListItem) {
        throw new TypeError(
          'a list in an update object holds values or operations.updateListItem(), not other operations',
        );
      }
      changes.push({ kind: 'set', path: [...path, item.index as number], how: 'value', value: item.value });
    }
  } else if (isPlainObject(spec)) {
    for (const [name, member] of Object.entries(spec)) collect([...path, name], member, changes);
  } else {
    changes.push({ kind: 'set', path, how: 'value', value: spec });
  }
}

function changeFor(path: Segment[], op: Operation): Change {
  switch (op.type) {
    case TYPES.add:
    case TYPES.replace:
      return { kind: 'set', path, how: 'value', value: op.value };
    case TYPES.remove:
      return { kind: 'remove', path };
    case TYPES.increment:
      return { kind: 'set', path, how: 'plus', value: op.by as number };
    case TYPES.decrement:
      return { kind: 'set', path, how: 'minus', value: op.by as number };
    case TYPES.append:
      return { kind: 'set', path, how: 'append', value: op.items as unknown[] };
    case TYPES.prepend:
      return { kind: 'set', path, how: 'prepend', value: op.items as unknown[] };
    case TYPES.updateListItem:
      return { kind: 'set', path: [...path, op.index as number], how: 'value', value: op.value };
  }
}

function render(p: NumberedPlaceholders, change: Change & { kind: 'set' }): string {
  const name = p.path(change.path);
  switch (change.how) {
    case 'value':
      return `${name} = ${p.value(change.value)}`;
    case 'plus':
      return `${name} = ${name} + ${p.value(change.value)}`;
    case 'minus':
      return `${name} = ${name} - ${p.value(change.value)}`;
    case 'append':
      return `${name} = list_append(${name}, ${p.value(change.value)})`;
    case 'prepend':
      return `${name} = list_append(${p.value(change.value)}, ${name})`;
  }
}

/** The `update` section of an UpdateItem request, from an update object. */
export function toUpdateExpression(update: unknown) {
  if (!isPlainObject(update)) throw new TypeError('update() expects `update` to be an object of attributes to change');
  const changes: Change[] = [];
  collect([], update, changes);
  if (changes.length === 0) throw new TypeError('update() needs at least one attribute to change');
  const p = new NumberedPlaceholders();
  // AWS numbers placeholders in output order: every SET clause first, then REMOVE.
  const sets = changes.filter((c): c is Change & { kind: 'set' } => c.kind === 'set').map((c) => render(p, c));
  const removes = changes.filter((c) => c.kind === 'remove').map((c) => p.path(c.path));
  const clauses = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''];
  return p.build(clauses.filter(Boolean).join(' '));
}
