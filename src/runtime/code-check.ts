/**
 * Load-time checks for what AppSync refuses at deploy time in APPSYNC_JS code. The rules
 * mirror @aws-appsync/eslint-plugin's base set (its rule names are reported) plus the
 * 32,768-character code limit; positions are mapped back to the TypeScript source through
 * the bundle's inline source map.
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 */
import { type Node, parse } from 'acorn';
import { full } from 'acorn-walk';
import { SourceMapConsumer } from 'source-map-js';
import { MAX_RESOLVER_CODE_CHARS } from '../build/resolver-bundles';
import type { CodeViolation } from './errors';

type Rule = { rule: string; message: string };

/** What each forbidden node type violates, or null when the node is allowed. */
function ruleFor(node: Node & Record<string, unknown>): Rule | null {
  switch (node.type) {
    case 'TryStatement':
      return { rule: 'no-try', message: 'try/catch is not supported' };
    case 'ThrowStatement':
      return { rule: 'no-throw', message: 'throw is not supported; use util.error()' };
    case 'WhileStatement':
    case 'DoWhileStatement':
      return { rule: 'no-while', message: 'while loops are not supported' };
    case 'ForStatement':
      return { rule: 'no-for', message: 'for(;;) is not supported (for-in and for-of are)' };
    case 'ContinueStatement':
      return { rule: 'no-continue', message: 'continue is not supported' };
    case 'LabeledStatement':
      return { rule: 'no-labels', message: 'labels are not supported' };
    case 'WithStatement':
      return { rule: 'no-with', message: 'with is not supported' };
    case 'ClassDeclaration':
    case 'ClassExpression':
      return { rule: 'no-classes', message: 'classes are not supported' };
    case 'ThisExpression':
      return { rule: 'no-this', message: 'this is not supported' };
    case 'AwaitExpression':
      return { rule: 'no-await', message: 'await is not supported' };
    case 'YieldExpression':
      return { rule: 'no-yield', message: 'yield is not supported' };
    case 'UpdateExpression':
      return { rule: 'no-disallowed-unary-operators', message: `${node.operator as string} is not supported` };
    case 'UnaryExpression':
      return node.operator === '~' ? { rule: 'no-disallowed-unary-operators', message: '~ is not supported' } : null;
    case 'BinaryExpression':
      return node.operator === 'instanceof'
        ? { rule: 'no-disallowed-binary-operators', message: 'instanceof is not supported' }
        : null;
    case 'Literal':
      return node.regex ? { rule: 'no-regex', message: 'regex literals are not supported; use util.matches()' } : null;
    case 'Identifier':
      return node.name === 'Promise' ? { rule: 'no-promise', message: 'promises are not supported' } : null;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (node.async) return { rule: 'no-async', message: 'async functions are not supported' };
      if (node.generator) return { rule: 'no-generators', message: 'generators are not supported' };
      return null;
    default:
      return null;
  }
}

/** Finds every construct AppSync would reject in `code`; an empty list means it loads. */
export function checkResolverCode(code: string, file: string): CodeViolation[] {
  const locate = sourceLocator(code, file);
  const violations: CodeViolation[] = [];
  if (code.length > MAX_RESOLVER_CODE_CHARS) {
    violations.push({
      file,
      line: 1,
      column: 1,
      rule: 'code-size',
      message: `code is ${code.length} characters; AppSync accepts at most ${MAX_RESOLVER_CODE_CHARS}`,
    });
  }
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc ?? { line: 1, column: 0 };
    return [...violations, { ...locate(loc.line, loc.column), rule: 'parse', message: (error as Error).message }];
  }
  full(ast, (node) => {
    const found = ruleFor(node as Node & Record<string, unknown>);
    if (found && node.loc) {
      violations.push({ ...locate(node.loc.start.line, node.loc.start.column), ...found });
    }
  });
  return violations;
}

/** Maps a bundle position to the original source when the bundle carries an inline source map. */
function sourceLocator(code: string, file: string) {
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  const consumer = match ? new SourceMapConsumer(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))) : null;
  return (line: number, column: number) => {
    const original = consumer?.originalPositionFor({ line, column });
    if (original?.source && original.line !== null) {
      return { file: original.source.replace(/^(\.\.\/)+/, ''), line: original.line, column: original.column + 1 };
    }
    return { file, line, column: column + 1 };
  };
}
