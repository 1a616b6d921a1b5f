/**
 * Turns an ES module (a resolver bundle, or code given to EvaluateCode) into a script that
 * V8 can run in a plain context: `vm.SourceTextModule` still needs
 * --experimental-vm-modules on Node 20.
 *
 * Only the import and export keywords change, and each is blanked with spaces of the same
 * length, so every line and column of the script is the line and column of the original
 * code: stack traces and console positions need no source map to be exact. Imports become
 * parameters of the wrapping function, exports its return value.
 */
import type { ExportNamedDeclaration, ImportDeclaration, ModuleDeclaration, Node, Program, Statement } from 'acorn';
import { parse } from 'acorn';

/** One binding an import introduces: `local` gets `imported` (or the whole module) of `source`. */
export interface ImportBinding {
  readonly local: string;
  readonly source: string;
  /** The exported name, `*` for a namespace import, `default` for a default import. */
  readonly imported: string;
}

export interface ModuleScript {
  /** A function expression: call it with one value per import binding, in order; it returns the exports. */
  readonly source: string;
  readonly imports: readonly ImportBinding[];
  readonly exportNames: readonly string[];
}

/** Raised for module syntax a resolver cannot use (re-exports from another module). */
export class ModuleSyntaxError extends Error {
  override readonly name = 'ModuleSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const nameOf = (node: Node): string =>
  node.type === 'Identifier'
    ? (node as Node & { name: string }).name
    : String((node as Node & { value: unknown }).value);

export function toModuleScript(code: string, program?: Program): ModuleScript {
  const ast =
    program ?? parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true });
  // acorn's offsets are UTF-16 code units, as String.prototype.slice's are.
  let text = code;
  const blank = (start: number, end: number) => {
    text = text.slice(0, start) + text.slice(start, end).replace(/[^\n\r\u2028\u2029]/g, ' ') + text.slice(end);
  };
  const imports: ImportBinding[] = [];
  const exported = new Map<string, string>();
  for (const statement of ast.body as (Statement | ModuleDeclaration)[]) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const declaration = statement as ImportDeclaration;
        const source = String(declaration.source.value);
        for (const specifier of declaration.specifiers) {
          const imported =
            specifier.type === 'ImportNamespaceSpecifier'
              ? '*'
              : specifier.type === 'ImportDefaultSpecifier'
                ? 'default'
                : nameOf(specifier.imported);
          imports.push({ local: specifier.local.name, source, imported });
        }
        blank(declaration.start, declaration.end);
        break;
      }
      case 'ExportNamedDeclaration': {
        const declaration = statement as ExportNamedDeclaration;
        if (declaration.source) {
          throw positioned(`re-exporting from '${String(declaration.source.value)}' is not supported`, declaration);
        }
        if (declaration.declaration) {
          for (const name of declaredNames(declaration.declaration)) exported.set(name, name);
          blank(declaration.start, declaration.declaration.start);
        } else {
          for (const specifier of declaration.specifiers) {
            exported.set(nameOf(specifier.exported), nameOf(specifier.local));
          }
          blank(declaration.start, declaration.end);
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        // `export default` (14 characters) becomes `var $default =` (14 characters).
        const keywordEnd = code.indexOf('default', statement.start) + 'default'.length;
        text = `${text.slice(0, statement.start)}var $default =${' '.repeat(keywordEnd - statement.start - 14)}${text.slice(keywordEnd)}`;
        exported.set('default', '$default');
        break;
      }
      case 'ExportAllDeclaration':
        throw positioned('export * is not supported', statement);
      default:
        break;
    }
  }
  const params = imports.map((binding) => binding.local).join(', ');
  const returned = [...exported].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  // The header takes line 0 (the script is compiled with lineOffset -1); the code keeps its lines.
  return {
    source: `(function (${params}) { 'use strict';\n${text}\n;return { ${returned} }; })`,
    imports,
    exportNames: [...exported.keys()],
  };
}

function declaredNames(declaration: Node): string[] {
  const d = declaration as Node & { id?: { name: string }; declarations?: { id: Node }[] };
  if (d.id) return [d.id.name];
  return (d.declarations ?? []).flatMap((declarator) => patternNames(declarator.id));
}

function patternNames(pattern: Node): string[] {
  const p = pattern as Node & Record<string, unknown>;
  switch (p.type) {
    case 'Identifier':
      return [p.name as string];
    case 'ObjectPattern':
      return (p.properties as (Node & { value?: Node; argument?: Node })[]).flatMap((prop) =>
        patternNames((prop.value ?? prop.argument) as Node),
      );
    case 'ArrayPattern':
      return (p.elements as (Node | null)[]).flatMap((element) => (element ? patternNames(element) : []));
    case 'RestElement':
      return patternNames(p.argument as Node);
    case 'AssignmentPattern':
      return patternNames(p.left as Node);
    default:
      return [];
  }
}

function positioned(message: string, node: Node): ModuleSyntaxError {
  return new ModuleSyntaxError(message, node.loc?.start.line ?? 0, (node.loc?.start.column ?? -1) + 1);
}
