/**
 * Load-time checks: what AppSync refuses when APPSYNC_JS code is deployed, refused when a
 * bundle loads offline, and nothing AppSync accepts refused. AppSync's refusals are
 * @aws-appsync/eslint-plugin@2.0.2's rules (its rule names are reported; the type-aware ones
 * approximated without types), the statements of the "Supported runtime features" page
 * (`supported-features/*`), its TypeScript check of AppSync's declared API (`ts2339`, `ts2305`)
 * and the 32,768-character code limit (`code-size`). Each violation names the TypeScript file, line
 * and column through the bundle's inline source map.
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 *
 * Not refused, although the plugin's recommended config has them: `no-function-return` and
 * `no-function-reassign`. The page states neither, and the offline runtime refuses exactly what
 * AppSync's runtime refuses: the page and the plugin's base rules together.
 */
import type { Node, Program } from 'acorn';
import { MAX_RESOLVER_CODE_CHARACTERS, resolverCodeCharacters } from '../contract/code-size';
import { builtinFindings } from './code-check/builtins';
import { functionPassingFindings, recursionFindings } from './code-check/functions';
import { analyzeProgram, type Finding } from './code-check/program';
import { reassignmentFindings } from './code-check/reassignment';
import { declaredMemberFindings, referenceChains, referenceName } from './code-check/references';
import { syntaxFindings } from './code-check/syntax';
import { type Position, type SourcePosition, sourceLocator } from './code-positions';
import type { CodeViolation } from './errors';

export { MAX_RESOLVER_CODE_CHARACTERS, resolverCodeCharacters } from '../contract/code-size';

/**
 * A static reference to AppSync's API, or to anything else the code imports, at its place in
 * the source the bundle was built from (1-based line and column).
 */
export interface AppSyncReference extends SourcePosition {
  /**
   * The dotted name: `util.time.nowISO8601`, `extensions.setSubscriptionFilter`,
   * `runtime.earlyReturn` (whatever the local name of the import, or the AppSync global),
   * `@aws-appsync/utils/dynamodb.transactWrite` (a member of a namespace import or of a named
   * import, or a destructured one); for an import itself `<specifier>.<imported name>`,
   * `<specifier>.default` or `<specifier>.*` (a namespace import, or `export * from`).
   */
  readonly name: string;
  /** `import` for an import specifier (or a re-export), `member` for a use of what it binds. */
  readonly kind: 'import' | 'member';
}

/** One reading of the code: what AppSync would refuse, what it references, and the parsed program. */
export interface ResolverCodeAnalysis {
  readonly violations: CodeViolation[];
  /** Empty when the code does not parse. */
  readonly references: AppSyncReference[];
  /** The program with locations; absent when the code does not parse. */
  readonly program?: Program;
}

/**
 * Parses and analyses the code once for everything loading needs: the deploy checks, the
 * references the offline-support check looks up, and the program the script is made from.
 */
export function analyzeResolverCode(code: string, file: string): ResolverCodeAnalysis {
  const locate = sourceLocator(code, file);
  const violations: CodeViolation[] = [];
  const characters = resolverCodeCharacters(code);
  if (characters > MAX_RESOLVER_CODE_CHARACTERS) {
    violations.push({
      file,
      line: 1,
      column: 1,
      rule: 'code-size',
      message: `code is ${characters} characters; AppSync accepts at most ${MAX_RESOLVER_CODE_CHARACTERS}`,
    });
  }
  let facts: ReturnType<typeof analyzeProgram>;
  try {
    facts = analyzeProgram(code);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const loc = (error as { loc?: { line: number; column: number } }).loc ?? { line: 1, column: 0 };
    violations.push({ ...locate({ line: loc.line, column: loc.column + 1 }), rule: 'parse', message: error.message });
    return { violations, references: [] };
  }
  const chains = referenceChains(facts);
  const findings: Finding[] = [
    ...syntaxFindings(facts),
    ...builtinFindings(facts),
    ...reassignmentFindings(facts),
    ...recursionFindings(facts),
    ...functionPassingFindings(facts),
    ...declaredMemberFindings(chains),
  ];
  findings.sort((a, b) => startOf(a.node) - startOf(b.node));
  for (const { node, rule, message } of findings) {
    violations.push({ ...locateNode(locate, node), rule, message });
  }
  const references = chains.map((chain) => ({
    name: referenceName(chain),
    kind: chain.kind,
    ...locateNode(locate, chain.at),
  }));
  return { violations, references, program: facts.ast };
}

/** Finds every construct AppSync would reject in `code`; an empty list means it loads. */
export function checkResolverCode(code: string, file: string): CodeViolation[] {
  return analyzeResolverCode(code, file).violations;
}

/**
 * Lists every static reference `code` makes to AppSync's API (and every import), in the
 * order they stand in the bundle, each at its place in the source the bundle was built from.
 * Empty when the code does not parse (checkResolverCode reports that as `parse`).
 */
export function findAppSyncReferences(code: string, file: string): AppSyncReference[] {
  return analyzeResolverCode(code, file).references;
}

const startOf = (node: Node) => node.start;

function locateNode(locate: (at: Position) => SourcePosition, node: Node): SourcePosition {
  const start = node.loc?.start ?? { line: 1, column: 0 };
  return locate({ line: start.line, column: start.column + 1 });
}
