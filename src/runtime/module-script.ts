/**
 * Turns an ES module (a resolver bundle, or code given to EvaluateCode) into a script that
 * V8 can run in a plain context: `vm.SourceTextModule` still needs
 * --experimental-vm-modules on Node 20.
 *
 * Import declarations and export keywords are blanked with spaces of the same length (line
 * breaks kept), so every line and column of the script is the line and column of the original
 * code: stack traces and console positions need no source map to be exact. Imports become
 * parameters of the wrapping function, exports its return value. An anonymous `export default`
 * becomes `var $d=(…);` in the keywords' place: only code after it on the same line shifts.
 */
import type {
  ExportDefaultDeclaration,
  ExportNamedDeclaration,
  ImportDeclaration,
  ModuleDeclaration,
  Node,
  Program,
  Statement,
} from 'acorn';
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
  /** Every module imported, bindings or not (`import 'x'` too), where its declaration starts. */
  readonly sources: readonly { readonly source: string; readonly line: number; readonly column: number }[];
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
  // A hashbang line is valid at the start of a module, not inside the wrapping function.
  if (text.startsWith('#!')) text = text.replace(/^#![^\n\r\u2028\u2029]*/, (line) => ' '.repeat(line.length));
  const blank = (start: number, end: number) => {
    text = text.slice(0, start) + text.slice(start, end).replace(/[^\n\r\u2028\u2029]/g, ' ') + text.slice(end);
  };
  const imports: ImportBinding[] = [];
  const sources: { source: string; line: number; column: number }[] = [];
  const exported = new Map<string, string>();
  // Last statement first: an edit that changes a length then moves nothing still to be edited.
  for (const statement of [...(ast.body as (Statement | ModuleDeclaration)[])].reverse()) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const declaration = statement as ImportDeclaration;
        const source = String(declaration.source.value);
        sources.push({
          source,
          line: declaration.loc?.start.line ?? 0,
          column: (declaration.loc?.start.column ?? -1) + 1,
        });
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
        const declaration = (statement as ExportDefaultDeclaration).declaration as Node & {
          id?: { name: string } | null;
        };
        if (declaration.type !== 'FunctionDeclaration' && declaration.type !== 'ClassDeclaration') {
          // An expression: `export default <e>` becomes `var $d=(<e>);`, its keywords blanked.
        } else if (declaration.id) {
          // A named declaration stays one (its name is in scope): only the keywords go.
          blank(statement.start, declaration.start);
          exported.set('default', declaration.id.name);
          break;
        }
        const name = unusedName(code);
        text = overwrite(text, statement.start, declaration.start, `var ${name}=(`);
        text = `${text.slice(0, declaration.end)});${text.slice(declaration.end)}`;
        exported.set('default', name);
        break;
      }
      case 'ExportAllDeclaration':
        throw positioned('export * is not supported', statement);
      default:
        break;
    }
  }
  imports.reverse();
  sources.reverse();
  const params = imports.map((binding) => binding.local).join(', ');
  const returned = [...exported].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  // The header takes line 0 (the script is compiled with lineOffset -1); the code keeps its lines.
  return {
    source: `(function (${params}) { 'use strict';\n${text}\n;return { ${returned} }; })`,
    imports,
    sources,
    exportNames: [...exported.keys()],
  };
}

/** A name for an anonymous default export that the code does not use anywhere. */
function unusedName(code: string): string {
  for (let n = 0; ; n += 1) {
    const name = n === 0 ? '$d' : `$d${n}`;
    if (!code.includes(name)) return name;
  }
}

/**
 * Writes `replacement` over blank positions of [start, end): the range's line breaks stay where
 * they are, so every line keeps its number; the replacement goes in the longest stretch
 * without one (`export default` alone is 14 characters, more than any replacement needs).
 */
function overwrite(text: string, start: number, end: number, replacement: string): string {
  const range = text.slice(start, end).replace(/[^\n\r\u2028\u2029]/g, ' ');
  let best = { at: 0, length: 0 };
  for (const match of range.matchAll(/ +/g)) {
    if (match[0].length > best.length) best = { at: match.index ?? 0, length: match[0].length };
  }
  if (best.length < replacement.length) {
    // Never for code acorn parsed, but keep the code right if it happens: columns shift, lines do not.
    return `${text.slice(0, start)}${replacement}${range}${text.slice(end)}`;
  }
  const filled = range.slice(0, best.at) + replacement + range.slice(best.at + replacement.length);
  return text.slice(0, start) + filled + text.slice(end);
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
