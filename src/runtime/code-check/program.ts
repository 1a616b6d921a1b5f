/**
 * One parse and one scope analysis of a bundle, shared by every load-time rule: the acorn AST,
 * eslint-scope's scopes, each node's parent, and which function an identifier names.
 */
import type {
  AnyNode,
  ArrowFunctionExpression,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  Node,
  Program,
} from 'acorn';
import { parse } from 'acorn';
import { analyze, type Reference, type ScopeManager, type Variable } from 'eslint-scope';

export type FunctionNode = FunctionDeclaration | FunctionExpression | ArrowFunctionExpression;

/** A construct a rule refuses, at the node where the refusal is reported. */
export interface Finding {
  readonly node: Node;
  readonly rule: string;
  readonly message: string;
}

export interface ProgramFacts {
  readonly ast: Program;
  readonly scopes: ScopeManager;
  /** Every node, parents before children, in source order. */
  readonly nodes: readonly AnyNode[];
  parentOf(node: Node): AnyNode | undefined;
  /** The reference an identifier makes, when it is one (not a declaration, key or label). */
  referenceOf(identifier: Identifier): Reference | undefined;
  /** True when `identifier` is a reference no scope declares: a global such as `util` or `Object`. */
  isGlobal(identifier: Node): identifier is Identifier;
  /** True when `identifier` refers to a value the code did not make: a global or an import. */
  isExternal(identifier: Node): identifier is Identifier;
  /** True when `identifier` is an import, or one of the globals AppSync provides (`util`, `extensions`, `runtime`). */
  isAppSyncRoot(identifier: Node): identifier is Identifier;
  /**
   * The function an identifier names, as @aws-appsync/eslint-plugin resolves it through
   * TypeScript (`getValueType`): a function declaration, a named function expression, or a
   * variable whose declaration initialises it with a function or arrow. Parameters, imports
   * and globals name no known function.
   */
  functionNamedBy(identifier: Node): FunctionNode | undefined;
}

/** The globals AppSync provides besides the language's ("Supported runtime features", Globals). */
export const APPSYNC_GLOBALS: ReadonlySet<string> = new Set(['util', 'extensions', 'runtime']);

export const isFunctionNode = (node: Node | null | undefined): node is FunctionNode =>
  node?.type === 'FunctionDeclaration' ||
  node?.type === 'FunctionExpression' ||
  node?.type === 'ArrowFunctionExpression';

/** Parses a bundle as AppSync does, an ES module; throws acorn's SyntaxError when it does not parse. */
export function analyzeProgram(code: string): ProgramFacts {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, ranges: true }) as Program;
  const scopes = analyze(ast as Node, { ecmaVersion: 2022, sourceType: 'module' });
  const parents = new WeakMap<Node, AnyNode>();
  const nodes: AnyNode[] = [];
  const visit = (node: AnyNode) => {
    nodes.push(node);
    for (const child of childrenOf(node)) {
      parents.set(child, node);
      visit(child);
    }
  };
  visit(ast);
  const references = new Map<Identifier, Reference>();
  for (const scope of scopes.scopes) {
    for (const reference of scope.references) references.set(reference.identifier, reference);
  }
  const globals = new Set<Node>(scopes.globalScope.through.map((reference) => reference.identifier));
  const isImport = (node: Node) =>
    node.type === 'Identifier' && references.get(node as Identifier)?.resolved?.defs[0]?.type === 'ImportBinding';
  return {
    ast,
    scopes,
    nodes,
    parentOf: (node) => parents.get(node),
    referenceOf: (identifier) => references.get(identifier),
    isGlobal: (node): node is Identifier => globals.has(node),
    isExternal: (node): node is Identifier => globals.has(node) || isImport(node),
    isAppSyncRoot: (node): node is Identifier =>
      (globals.has(node) && APPSYNC_GLOBALS.has((node as Identifier).name)) || isImport(node),
    functionNamedBy(node) {
      if (node.type !== 'Identifier') return undefined;
      const variable = references.get(node as Identifier)?.resolved;
      return variable ? functionOfVariable(variable) : undefined;
    },
  };
}

/** The function a variable is declared as (its first declaration, as TypeScript's valueDeclaration). */
function functionOfVariable(variable: Variable): FunctionNode | undefined {
  const definition = variable.defs[0];
  if (!definition) return undefined;
  if (definition.type === 'FunctionName' && isFunctionNode(definition.node)) return definition.node;
  if (definition.type === 'Variable' && definition.node.type === 'VariableDeclarator') {
    const declarator = definition.node as AnyNode & { id: Node; init: Node | null };
    if (declarator.id.type === 'Identifier' && isFunctionNode(declarator.init)) return declarator.init;
  }
  return undefined;
}

const NOT_CHILDREN = new Set(['type', 'loc', 'range', 'start', 'end']);

const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** The child nodes of `node`, in the order acorn built them (source order). */
function childrenOf(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (NOT_CHILDREN.has(key)) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

/** The name a member expression reads when it is static (`a.b`, `a['b']`), else undefined. */
export function staticPropertyName(member: Node): string | undefined {
  if (member.type !== 'MemberExpression') return undefined;
  const { computed, property } = member as AnyNode & { computed: boolean; property: AnyNode };
  if (!computed && property.type === 'Identifier') return property.name;
  if (computed && property.type === 'Literal' && typeof property.value === 'string') return property.value;
  if (computed && property.type === 'TemplateLiteral' && property.expressions.length === 0) {
    return property.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/** The node a member chain starts from: `a` of `a.b?.c['d']`. */
export function chainBase(node: Node): Node {
  let base = node as AnyNode;
  while (base.type === 'MemberExpression' || base.type === 'ChainExpression') {
    base = base.type === 'MemberExpression' ? (base.object as AnyNode) : base.expression;
  }
  return base;
}
