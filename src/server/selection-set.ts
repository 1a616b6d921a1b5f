/**
 * What AppSync derives from a field's selection set: `ctx.info.selectionSetList` and
 * `selectionSetGraphQL`, and the filtering of `util.error` / `util.appendError` data.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html (Info)
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html (error utils)
 */
import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  print,
  type SelectionSetNode,
} from 'graphql';

export interface SelectionInfo {
  readonly selectionSetList: string[];
  readonly selectionSetGraphQL: string;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: GraphQLResolveInfo['fragments'];
}

/**
 * Whether a fragment's fields count for a value of `type`. "selectionSetList exposes only
 * fields that belong to the current type. If the current type is an interface or union, only
 * selected fields that belong to the interface are exposed" (the guide's `node { id ... on Post
 * { title } }` lists only `id`); a fragment on the type itself, or on an interface or union an
 * object type belongs to, does count.
 */
function fragmentApplies(walk: Walk, type: GraphQLNamedType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = walk.schema.getType(condition);
  return (
    isObjectType(type) &&
    conditionType !== undefined &&
    isAbstractType(conditionType) &&
    walk.schema.isSubType(conditionType, type)
  );
}

/** The fields selected on a value of `type`, fragments flattened, each with its response name. */
function* selectedFields(
  walk: Walk,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode | undefined,
): Generator<FieldNode> {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      yield selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (fragmentApplies(walk, type, selection.typeCondition?.name.value)) {
        yield* selectedFields(walk, type, selection.selectionSet);
      }
    } else {
      const fragment = walk.fragments[selection.name.value];
      if (fragment && fragmentApplies(walk, type, fragment.typeCondition.name.value)) {
        yield* selectedFields(walk, type, fragment.selectionSet);
      }
    }
  }
}

/** The named type of a field of an object or interface type (a union has no fields of its own). */
function fieldType(type: GraphQLNamedType, name: string): GraphQLNamedType | undefined {
  if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
  const field = type.getFields()[name];
  return field ? getNamedType(field.type) : undefined;
}

const responseName = (field: FieldNode) => field.alias?.value ?? field.name.value;

/**
 * ctx.info.selectionSetList: `a`, `a/b`, … below the field, each under its response name
 * ("Fields that are aliased are referenced only by the alias name"), __typename left out.
 */
export function selectionSetList(info: GraphQLResolveInfo): string[] {
  const walk: Walk = { schema: info.schema, fragments: info.fragments };
  const out: string[] = [];
  const visit = (type: GraphQLNamedType | undefined, selectionSet: SelectionSetNode | undefined, prefix: string) => {
    if (!type || !isCompositeType(type)) return;
    for (const field of selectedFields(walk, type, selectionSet)) {
      if (field.name.value === '__typename') continue;
      const path = prefix + responseName(field);
      out.push(path);
      visit(fieldType(type, field.name.value), field.selectionSet, `${path}/`);
    }
  };
  const returned = getNamedType(info.returnType);
  for (const node of info.fieldNodes) visit(returned, node.selectionSet, '');
  return [...new Set(out)];
}

/**
 * ctx.info's selection members, computed once per field node: documents are cached, so their
 * nodes are the same objects on every request that repeats a query.
 */
const cache = new WeakMap<FieldNode, SelectionInfo>();

export function selectionOf(info: GraphQLResolveInfo): SelectionInfo {
  const node = info.fieldNodes[0];
  let found = cache.get(node);
  if (!found) {
    found = {
      selectionSetList: selectionSetList(info),
      selectionSetGraphQL: node.selectionSet ? print(node.selectionSet) : '',
    };
    cache.set(node, found);
  }
  return { selectionSetList: [...found.selectionSetList], selectionSetGraphQL: found.selectionSetGraphQL };
}

/**
 * `util.error` data as the caller sees it: "data will be filtered based on the query selection
 * set" — cut down to the errored field's own selection, element by element for lists (the
 * Lambda tutorial's `relatedPosts { id title }` example keeps only id and title). Members
 * are read by field name and written under their response name; a member the data lacks is
 * left out rather than invented. Leaf fields keep their value as it is.
 */
export function filterBySelection(data: unknown, info: GraphQLResolveInfo): unknown {
  const walk: Walk = { schema: info.schema, fragments: info.fragments };
  const returned = getNamedType(info.returnType);
  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []),
  };
  return filterValue(walk, data, returned, info.fieldNodes.some((n) => n.selectionSet) ? selectionSet : undefined);
}

function filterValue(
  walk: Walk,
  value: unknown,
  type: GraphQLNamedType | undefined,
  selectionSet: SelectionSetNode | undefined,
): unknown {
  if (value === null || value === undefined || !selectionSet || !type || !isCompositeType(type)) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => filterValue(walk, item, type, selectionSet));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // The data says nothing of its concrete type: for an interface or union, fragments on any of
  // its possible types apply, each field typed by the type that selected it.
  const owners = isAbstractType(type) ? walk.schema.getPossibleTypes(type) : [type];
  for (const owner of owners) {
    for (const field of selectedFields(walk, owner, selectionSet)) {
      const name = field.name.value;
      if (!Object.hasOwn(source, name)) continue;
      out[responseName(field)] = filterValue(walk, source[name], fieldType(owner, name), field.selectionSet);
    }
  }
  return out;
}
