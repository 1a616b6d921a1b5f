/**
 * `no-disallowed-re-assignment` of @aws-appsync/eslint-plugin@2.0.2, ported from
 * `lib/rules/no-disallowed-re-assignment.js`: a handler's context argument is read-only, so
 * `ctx = …`, `ctx.args = …`, `ctx['stash'] = …`, `delete ctx.stash`, `++ctx.args` and
 * `for (ctx.x in …)` are refused; deeper writes (`ctx.stash.x = …`) are allowed.
 */
import type { AnyNode, Identifier, Node } from 'acorn';
import type { Reference } from 'eslint-scope';
import { type Finding, type FunctionNode, isFunctionNode, type ProgramFacts } from './program';

const RULE = 'no-disallowed-re-assignment';
const HANDLER_NAMES = new Set(['request', 'response']);
/** Where the plugin stops climbing from the context identifier. */
const STOP = /(?:Statement|Declaration|Function(?:Expression)?|Program)$/u;

/**
 * The functions whose first parameter is the context. The plugin checks function declarations
 * named `request`/`response` (at any depth). A bundle's handlers are also what it exports under
 * those names, whatever their form: esbuild turns `export const request = (ctx) => …` into
 * `var request = (ctx) => …; export { request }` and `export { check as response } from './lib'`
 * into `function check(ctx) {…} export { check as response }`. They get the same context
 * object, so they are checked the same way.
 */
function handlers(facts: ProgramFacts): Set<FunctionNode> {
  const found = new Set<FunctionNode>();
  for (const node of facts.nodes) {
    if (node.type === 'FunctionDeclaration' && node.id && HANDLER_NAMES.has(node.id.name)) found.add(node);
  }
  for (const statement of facts.ast.body) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.source) continue;
    const declaration = statement.declaration;
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (
          declarator.id.type === 'Identifier' &&
          HANDLER_NAMES.has(declarator.id.name) &&
          isFunctionNode(declarator.init)
        ) {
          found.add(declarator.init);
        }
      }
    }
    for (const specifier of statement.specifiers) {
      const exported =
        specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
      const handler = HANDLER_NAMES.has(exported) ? facts.functionNamedBy(specifier.local) : undefined;
      if (handler) found.add(handler);
    }
  }
  return found;
}

/** The member expression one level below the context that `identifier` modifies, if it modifies one. */
function modifiedProperty(facts: ProgramFacts, identifier: Identifier): AnyNode | undefined {
  let node: AnyNode = identifier;
  let parent = facts.parentOf(node);
  let depth = 0;
  while (
    depth < 2 &&
    parent &&
    (!STOP.test(parent.type) || parent.type === 'ForInStatement' || parent.type === 'ForOfStatement')
  ) {
    switch (parent.type) {
      case 'AssignmentExpression':
        return depth === 1 && parent.left === node ? node : undefined;
      case 'UpdateExpression':
        return depth === 1 && parent.argument === node ? node : undefined;
      case 'UnaryExpression':
        return depth === 1 && parent.argument === node && parent.operator === 'delete' ? node : undefined;
      case 'ForInStatement':
      case 'ForOfStatement':
        return depth === 1 && parent.left === node ? node : undefined;
      case 'MemberExpression':
        if (parent.property === node) return undefined;
        break;
      case 'Property':
        if (parent.key === node) return undefined;
        break;
      case 'ConditionalExpression':
        if (parent.test === node) return undefined;
        break;
    }
    depth += 1;
    node = parent;
    parent = facts.parentOf(node);
  }
  return undefined;
}

function propertyName(node: Node): string | undefined {
  const any = node as AnyNode;
  switch (any.type) {
    case 'Identifier':
      return any.name;
    case 'Literal':
      return any.value?.toString();
    case 'MemberExpression':
      return propertyName(any.property);
    default:
      return undefined;
  }
}

function referenceFinding(facts: ProgramFacts, reference: Reference): Finding | undefined {
  const identifier = reference.identifier;
  if (reference.isWrite()) {
    return {
      node: identifier,
      rule: RULE,
      message: `${identifier.name} is readonly and re-assignment is not supported.`,
    };
  }
  const modified = modifiedProperty(facts, identifier);
  if (!modified) return undefined;
  const name = propertyName(modified);
  return {
    node: modified,
    rule: RULE,
    message: name
      ? `${identifier.name} is readonly. Adding/Updating ${name} is not supported.`
      : `${identifier.name} is readonly adding/modifying properties is not supported.`,
  };
}

export function reassignmentFindings(facts: ProgramFacts): Finding[] {
  const found: Finding[] = [];
  for (const handler of handlers(facts)) {
    const parameter = handler.params[0];
    if (parameter?.type !== 'Identifier') continue;
    const context = facts.scopes.getDeclaredVariables(handler).find((v) => v.name === parameter.name);
    context?.references.forEach((reference, index, references) => {
      // As the plugin: skip initialisers, and the repeated references a destructuring default makes.
      if (reference.init || (index > 0 && references[index - 1].identifier === reference.identifier)) return;
      const one = referenceFinding(facts, reference);
      if (one) found.push(one);
    });
  }
  return found;
}
