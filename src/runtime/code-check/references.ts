/**
 * The code's static references to AppSync's API: member chains on `util`, `extensions` and
 * `runtime` (imported from '@aws-appsync/utils' under any local name, or the globals AppSync
 * provides), on anything imported, and the imports themselves; and the deploy check AppSync's
 * TypeScript pass makes of them, a member its declared types lack (TS2339, TS2305).
 */
import type { AnyNode, Identifier, Node, ObjectPattern, VariableDeclarator } from 'acorn';
import type { Variable } from 'eslint-scope';
import { DECLARED_ROOTS, DYNAMODB_MODULE } from './declared-api';
import { OBJECT_PROTOTYPE_MEMBERS } from './denied-methods';
import { APPSYNC_GLOBALS, type Finding, type ProgramFacts, staticPropertyName } from './program';

const UTILS_MODULE = '@aws-appsync/utils';

/** One reference: `segments` is its dotted name, `nodes[i]` where segment i is written. */
export interface ReferenceChain {
  readonly kind: 'import' | 'member';
  readonly segments: readonly string[];
  readonly nodes: readonly Node[];
  /**
   * How many leading segments the chain takes from its binding (an import, a global, an
   * alias): they are written where the binding is made, and checked there.
   */
  readonly inherited: number;
  /** Where the reference is written: its identifier, destructured key or import specifier. */
  readonly at: Node;
}

const importedName = (node: AnyNode): string =>
  node.type === 'Identifier' ? node.name : String((node as { value: unknown }).value);

export function referenceChains(facts: ProgramFacts): ReferenceChain[] {
  const chains: ReferenceChain[] = [];

  /** Records a member chain; `@aws-appsync/utils.util.x` is `util.x`, the module's exports being AppSync's globals. */
  const member = (segments: readonly string[], nodes: readonly Node[], inherited: number) => {
    const drop = segments[0] === UTILS_MODULE && APPSYNC_GLOBALS.has(segments[1]) ? 1 : 0;
    chains.push({
      kind: 'member',
      segments: segments.slice(drop),
      nodes: nodes.slice(drop),
      inherited: Math.max(0, inherited - drop),
      at: nodes[0],
    });
  };

  /** Records an import (or re-export) of `name` from `source`, written at `node`. */
  const importOf = (source: string, name: string, node: Node) => {
    chains.push({ kind: 'import', segments: [source, name], nodes: [node, node], inherited: 0, at: node });
  };

  /** A variable none but its declaration writes: every read of it is the value it was given. */
  const constant = (variable: Variable | undefined) =>
    variable?.references.every((reference) => reference.init || !reference.isWrite()) ? variable : undefined;

  const follow = (variable: Variable | undefined, base: readonly string[]) => {
    for (const reference of variable?.references ?? []) {
      if (!reference.isWrite()) chainFrom(reference.identifier, base);
    }
  };

  const declared = (declarator: VariableDeclarator, name: string) =>
    constant(facts.scopes.getDeclaredVariables(declarator).find((v) => v.name === name));

  const destructure = (pattern: ObjectPattern, base: readonly string[], declarator: VariableDeclarator) => {
    for (const property of pattern.properties) {
      if (property.type !== 'Property') continue;
      const key = property.computed ? undefined : importedName(property.key as AnyNode);
      const name =
        key ??
        (property.key.type === 'Literal' && typeof property.key.value === 'string' ? property.key.value : undefined);
      if (name === undefined) continue;
      const segments = [...base, name];
      member(segments, [...base.map(() => property.key), property.key], base.length);
      const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
      if (value.type === 'Identifier') follow(declared(declarator, value.name), segments);
      if (value.type === 'ObjectPattern') destructure(value, segments, declarator);
    }
  };

  /** The longest static chain from `identifier` up (`util.time.nowISO8601`), then the aliases it initialises. */
  const chainFrom = (identifier: Identifier, base: readonly string[]) => {
    const segments = [...base];
    const nodes: Node[] = base.map(() => identifier);
    let node: AnyNode = identifier;
    for (let parent = facts.parentOf(node); parent; parent = facts.parentOf(node)) {
      if (parent.type === 'ChainExpression') {
        node = parent;
        continue;
      }
      const name =
        parent.type === 'MemberExpression' && parent.object === node ? staticPropertyName(parent) : undefined;
      if (name === undefined || parent.type !== 'MemberExpression') break;
      segments.push(name);
      nodes.push(parent.property);
      node = parent;
    }
    member(segments, nodes, base.length);
    const parent = facts.parentOf(node);
    if (parent?.type === 'VariableDeclarator' && parent.init === node) {
      if (parent.id.type === 'Identifier') follow(declared(parent, parent.id.name), segments);
      if (parent.id.type === 'ObjectPattern') destructure(parent.id, segments, parent);
    }
  };

  for (const statement of facts.ast.body) {
    if (statement.type === 'ImportDeclaration') {
      const source = String(statement.source.value);
      for (const specifier of statement.specifiers) {
        const imported =
          specifier.type === 'ImportSpecifier'
            ? importedName(specifier.imported as AnyNode)
            : specifier.type === 'ImportDefaultSpecifier'
              ? 'default'
              : '*';
        importOf(source, imported, specifier);
        const base = imported === '*' ? [source] : [source, imported];
        follow(
          facts.scopes.getDeclaredVariables(specifier).find((v) => v.name === specifier.local.name),
          base,
        );
      }
    } else if (
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportAllDeclaration') &&
      statement.source
    ) {
      const source = String(statement.source.value);
      const names =
        statement.type === 'ExportAllDeclaration'
          ? ['*']
          : statement.specifiers.map((s) => importedName(s.local as AnyNode));
      for (const name of names) importOf(source, name, statement);
    }
  }
  for (const reference of facts.scopes.globalScope.through) {
    const name = reference.identifier.name;
    if (APPSYNC_GLOBALS.has(name) && !reference.isWrite()) chainFrom(reference.identifier, [name]);
  }
  return chains.sort((a, b) => (a.at as AnyNode).start - (b.at as AnyNode).start);
}

/** The name a reference is listed under: `util.time.nowISO8601`, `@aws-appsync/utils/dynamodb.get`. */
export const referenceName = (chain: ReferenceChain): string => chain.segments.join('.');

/**
 * Members AppSync's TypeScript pass would not find, as it reports them: `ts2339` for a member
 * of `util`, `util.*`, `extensions`, `runtime` or the dynamodb module that its declared types
 * (declared-api.ts) lack, `ts2305` for a named import the dynamodb module does not export.
 */
export function declaredMemberFindings(chains: readonly ReferenceChain[]): Finding[] {
  const found: Finding[] = [];
  for (const chain of chains) {
    if (chain.kind === 'import') {
      const [source, name] = chain.segments;
      const module = DECLARED_ROOTS[DYNAMODB_MODULE];
      if (source === DYNAMODB_MODULE && name !== '*' && !Object.hasOwn(module.members, name)) {
        found.push({
          node: chain.nodes[0],
          rule: 'ts2305',
          message: `Module '"${source}"' has no exported member '${name}'.`,
        });
      }
      continue;
    }
    let type = Object.hasOwn(DECLARED_ROOTS, chain.segments[0]) ? DECLARED_ROOTS[chain.segments[0]] : null;
    for (let i = 1; type && i < chain.segments.length; i += 1) {
      const name = chain.segments[i];
      if (Object.hasOwn(type.members, name)) {
        type = type.members[name];
      } else {
        // TypeScript finds Object.prototype's members on any object type.
        if (!OBJECT_PROTOTYPE_MEMBERS.has(name) && i >= chain.inherited) {
          found.push({
            node: chain.nodes[i],
            rule: 'ts2339',
            message: `Property '${name}' does not exist on type '${type.typeName}'.`,
          });
        }
        type = null;
      }
    }
  }
  return found;
}
