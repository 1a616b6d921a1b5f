/**
 * The rules one node decides by itself: statements, operators and literals APPSYNC_JS lacks.
 * Each is @aws-appsync/eslint-plugin@2.0.2's base rule of the same name, with its message,
 * unless its comment names a stricter source: AppSync's "Supported runtime features" page
 * (https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html) or the plugin's
 * own rule table on "Configuring utilities for the APPSYNC_JS runtime"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/utility-resolvers.html).
 */
import type { AnyNode } from 'acorn';
import type { Finding, ProgramFacts } from './program';

const finding = (node: AnyNode, rule: string, message: string): Finding => ({ node, rule, message });

function syntaxFinding(node: AnyNode): Finding | null {
  switch (node.type) {
    case 'TryStatement':
      return finding(node, 'no-try', 'Try statements are not supported.');
    case 'ThrowStatement':
      // Not a plugin rule; the page: "Throwing errors with `throw` is not supported."
      return finding(
        node,
        'supported-features/no-throw',
        'Throwing errors with `throw` is not supported. You can return an error by using `util.error()` function.',
      );
    case 'WhileStatement':
      return finding(node, 'no-while', 'While statements are not supported.');
    case 'DoWhileStatement':
      return finding(node, 'no-while', 'do...while statements are not supported.');
    case 'ForStatement':
      return finding(node, 'no-for', 'For statements are not supported.');
    case 'ForOfStatement':
      // The plugin lets `for await` through; the page: "Async processes are not supported".
      return node.await ? finding(node, 'no-await', 'The `await` keyword is not supported') : null;
    case 'ContinueStatement':
      return finding(node, 'no-continue', 'Continue statements are not supported');
    case 'LabeledStatement':
      return finding(node, 'no-labels', 'Labeled statements are not supported.');
    case 'ClassDeclaration':
      return finding(node, 'no-classes', 'Class declarations are not supported.');
    case 'ClassExpression':
      // The plugin checks declarations only; its rule table says "Classes are not supported."
      return finding(node, 'no-classes', 'Classes are not supported.');
    case 'ThisExpression':
      return finding(node, 'no-this', 'This expressions are not supported.');
    case 'AwaitExpression':
      return finding(node, 'no-await', 'The `await` keyword is not supported');
    case 'YieldExpression':
      return finding(node, 'no-yield', 'Yield statements are not supported');
    case 'UpdateExpression':
      return finding(node, 'no-disallowed-unary-operators', `The operator ${node.operator} is not supported`);
    case 'UnaryExpression':
      return node.operator === '~'
        ? finding(node, 'no-disallowed-unary-operators', 'The operator ~ is not supported')
        : null;
    case 'BinaryExpression':
      if (node.operator === 'instanceof') {
        return finding(node, 'no-disallowed-binary-operators', 'The operator instanceof is not supported');
      }
      return node.operator === 'in'
        ? finding(node, 'no-in-operator', 'in operator is not supported. Use Object.hasOwn().')
        : null;
    case 'ImportExpression':
      // Not a plugin rule; the page: "Network and file system access is not supported", and a
      // module can import only what AppSync provides, statically.
      return finding(node, 'supported-features/no-dynamic-import', 'Dynamic import() is not supported.');
    case 'MetaProperty':
      return node.meta.name === 'import'
        ? finding(node, 'supported-features/no-dynamic-import', 'import.meta is not supported.')
        : null;
    case 'Literal':
      return 'regex' in node && node.regex ? finding(node, 'no-regex', 'Regex literals are not supported.') : null;
    default:
      return null;
  }
}

/** async and generator functions: both plugin rules can fire on one function. */
function functionFindings(node: AnyNode): Finding[] {
  if (
    node.type !== 'FunctionDeclaration' &&
    node.type !== 'FunctionExpression' &&
    node.type !== 'ArrowFunctionExpression'
  ) {
    return [];
  }
  const found: Finding[] = [];
  if (node.async) found.push(finding(node, 'no-async', 'Async functions are not supported.'));
  // The plugin checks declarations only; its rule table says "Generators are not supported."
  if (node.generator) found.push(finding(node, 'no-generators', 'Generator functions are not supported.'));
  return found;
}

export function syntaxFindings(facts: ProgramFacts): Finding[] {
  const found: Finding[] = [];
  for (const node of facts.nodes) {
    const one = syntaxFinding(node);
    if (one) found.push(one);
    found.push(...functionFindings(node));
  }
  // The plugin refuses `new Promise(…)` only; the page: "promises are not supported", so any
  // use of the global Promise (`Promise.resolve(1)`) is refused. A local named Promise is not it.
  for (const reference of facts.scopes.globalScope.through) {
    if (reference.identifier.name === 'Promise') {
      found.push(finding(reference.identifier as AnyNode, 'no-promise', 'Promise is not supported'));
    }
  }
  return found;
}
