/**
 * The part of eslint-scope 8 (which ships no type definitions) the load-time checks use:
 * scope analysis of an ESTree program, here the acorn AST of a resolver bundle.
 */
declare module 'eslint-scope' {
  import type { Identifier, Node } from 'acorn';

  export interface Reference {
    readonly identifier: Identifier;
    readonly from: Scope;
    readonly resolved: Variable | null;
    /** True for the write of a declaration's initialiser (`const x = …`). */
    readonly init?: boolean;
    isWrite(): boolean;
    isRead(): boolean;
  }

  export interface Definition {
    readonly type:
      | 'CatchClause'
      | 'ClassName'
      | 'FunctionName'
      | 'ImplicitGlobalVariable'
      | 'ImportBinding'
      | 'Parameter'
      | 'TDZ'
      | 'Variable';
    readonly name: Identifier;
    /** The declaring node: a FunctionDeclaration, VariableDeclarator, import specifier, function (for parameters)… */
    readonly node: Node;
    /** The enclosing statement: a VariableDeclaration, ImportDeclaration… */
    readonly parent?: Node | null;
  }

  export interface Variable {
    readonly name: string;
    readonly identifiers: Identifier[];
    readonly references: Reference[];
    readonly defs: Definition[];
    readonly scope: Scope;
  }

  export interface Scope {
    readonly type: string;
    readonly block: Node;
    readonly upper: Scope | null;
    readonly childScopes: Scope[];
    readonly variables: Variable[];
    readonly references: Reference[];
    /** References this scope (and its children) could not resolve. */
    readonly through: Reference[];
  }

  export interface ScopeManager {
    readonly scopes: Scope[];
    readonly globalScope: Scope;
    getDeclaredVariables(node: Node): Variable[];
  }

  export function analyze(
    ast: Node,
    options?: { ecmaVersion?: number; sourceType?: 'module' | 'script' | 'commonjs'; ignoreEval?: boolean },
  ): ScopeManager;
}
