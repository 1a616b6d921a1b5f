/**
 * Calls of built-ins APPSYNC_JS lacks. Without TypeScript's types a call is only refused where
 * its receiver is certain: the global `Object`, `Array`, `String`, `Function`, a literal, a
 * function the code declares; anything else is left to the sandbox at run time.
 */
import type { AnyNode, CallExpression, NewExpression, Node, VariableDeclarator } from 'acorn';
import { DENIED, type DeniedMethod } from './denied-methods';
import { chainBase, type Finding, isFunctionNode, type ProgramFacts, staticPropertyName } from './program';

/** Rules taken from AppSync's "Supported runtime features" page, not from the eslint plugin. */
const PAGE = 'supported-features';

const DENIED_BY_PLACE = new Map<string, DeniedMethod>(
  DENIED.filter((d) => !d.inherited).map((d) => [`${d.global}.${d.on}.${d.method}`, d]),
);

/**
 * What `node` certainly is, as far as a receiver's type goes: itself, or the initialiser of a
 * variable nothing else writes (`const d = new Date(); d.setDate(1)`, `const o = { sort() {} }`).
 */
function certainValue(facts: ProgramFacts, node: AnyNode): AnyNode {
  if (node.type !== 'Identifier') return node;
  const variable = facts.referenceOf(node)?.resolved;
  const definition = variable?.defs[0];
  if (!variable || definition?.type !== 'Variable' || definition.node.type !== 'VariableDeclarator') return node;
  if (!variable.references.every((reference) => reference.init || !reference.isWrite())) return node;
  const declarator = definition.node as VariableDeclarator;
  return declarator.id.type === 'Identifier' && declarator.init ? declarator.init : node;
}

/** The denied method `call` invokes, when its receiver's type is certain without TypeScript. */
function deniedMethodOf(facts: ProgramFacts, call: CallExpression): DeniedMethod | undefined {
  const method = staticPropertyName(call.callee);
  if (method === undefined || call.callee.type !== 'MemberExpression') return undefined;
  const direct = call.callee.object as AnyNode;
  if (direct.type === 'Identifier' && facts.isGlobal(direct)) {
    return DENIED_BY_PLACE.get(`${direct.name}.constructor.${method}`);
  }
  const receiver = certainValue(facts, direct);
  let place: string | undefined;
  if (receiver.type === 'ArrayExpression') {
    place = 'Array.prototype';
  } else if (
    receiver.type === 'TemplateLiteral' ||
    (receiver.type === 'Literal' && typeof receiver.value === 'string')
  ) {
    place = 'String.prototype';
  } else if (
    receiver.type === 'NewExpression' &&
    receiver.callee.type === 'Identifier' &&
    facts.isGlobal(receiver.callee)
  ) {
    place = receiver.callee.name === 'Date' ? 'Date.prototype' : undefined;
  }
  return place ? DENIED_BY_PLACE.get(`${place}.${method}`) : undefined;
}

/**
 * True when `node` is certainly a function: a function literal, a function the code declares,
 * or a member of a global or an import (`Math.max`, `Object.prototype.hasOwnProperty`, `util.error`).
 */
function isCertainlyFunction(facts: ProgramFacts, node: Node): boolean {
  if (isFunctionNode(node) || facts.functionNamedBy(node)) return true;
  return facts.isExternal(chainBase(node));
}

function isFunctionConstructor(facts: ProgramFacts, node: CallExpression | NewExpression): boolean {
  return node.callee.type === 'Identifier' && node.callee.name === 'Function' && facts.isGlobal(node.callee);
}

export function builtinFindings(facts: ProgramFacts): Finding[] {
  const found: Finding[] = [];
  for (const node of facts.nodes) {
    if (node.type === 'NewExpression' && isFunctionConstructor(facts, node)) {
      found.push({
        node,
        rule: `${PAGE}/no-function-constructor`,
        message: 'Function constructors are not supported.',
      });
    }
    if (node.type !== 'CallExpression') continue;
    if (isFunctionConstructor(facts, node)) {
      found.push({
        node,
        rule: `${PAGE}/no-function-constructor`,
        message: 'Function constructors are not supported.',
      });
    }
    const denied = deniedMethodOf(facts, node);
    if (denied) {
      found.push({ node, rule: 'no-disallowed-methods', message: `Method ${denied.name} is not implemented` });
    }
    if (node.callee.type !== 'MemberExpression') continue;
    const method = staticPropertyName(node.callee);
    if (
      (method === 'call' || method === 'apply' || method === 'bind') &&
      isCertainlyFunction(facts, node.callee.object)
    ) {
      found.push({
        node,
        rule: `${PAGE}/no-function-call-apply-bind`,
        message: `Function.prototype.${method}: "The apply, bind, and call methods not are supported."`,
      });
    }
    if (
      method === 'sort' &&
      node.arguments.length > 0 &&
      certainValue(facts, node.callee.object as AnyNode).type !== 'ObjectExpression'
    ) {
      found.push({
        node,
        rule: `${PAGE}/no-sort-arguments`,
        message: '"Array.prototype.sort() doesn\'t support arguments."',
      });
    }
  }
  return found;
}
