/**
 * ES module code as a script that keeps every line and column: the forms of import and export
 * esbuild and hand-written resolver code use, each run in a realm and asked for its exports.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { toModuleScript } from '../../src/runtime/module-script';

/** Runs the converted code with the given import values and returns its exports. */
function exportsOf(code: string, imports: Record<string, unknown> = {}) {
  const script = toModuleScript(code);
  const factory = vm.runInNewContext(script.source) as (...values: unknown[]) => Record<string, unknown>;
  return factory(...script.imports.map((binding) => imports[`${binding.source}:${binding.imported}`]));
}

describe('toModuleScript', () => {
  it.each([
    ['a named function', 'export function request(ctx) { return 1; }', 'request', 1],
    ['a const arrow', 'export const request = (ctx) => 2;', 'request', 2],
    ['a renamed export', 'function handle(ctx) { return 3; }\nexport { handle as request };', 'request', 3],
    ['a destructured const', 'const pair = { a: () => 4 };\nexport const { a: request } = pair;', 'request', 4],
    [
      'a named default function, still callable by name',
      'export default function helper(x) { return 5; }\nexport const request = () => helper();',
      'default',
      5,
    ],
    ['an anonymous default function', 'export default function () { return 6; }', 'default', 6],
    ['a default arrow', 'export default (ctx) => 7;', 'default', 7],
    ['export { a as default }', 'const a = () => 8;\nexport { a as default };', 'default', 8],
  ])('exports %s', (_name, code, name, value) => {
    expect((exportsOf(code)[name] as () => unknown)()).toBe(value);
  });

  it('keeps the next line a statement of its own after an anonymous default export', () => {
    const code =
      'export default function () { return 1; }\n[1, 2].forEach((x) => x);\n(() => 0)();\nexport const request = () => 9;';
    expect((exportsOf(code).request as () => unknown)()).toBe(9);
  });

  it('binds named, default and namespace imports under their local names', () => {
    const code =
      "import def, { get as g, put } from 'm';\nimport * as ns from 'n';\nexport const request = () => [def, g, put, ns.x];";
    const values = { 'm:default': 'D', 'm:get': 'G', 'm:put': 'P', 'n:*': { x: 'X' } };
    expect((exportsOf(code, values).request as () => unknown)()).toEqual(['D', 'G', 'P', 'X']);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('keeps every line and column (%s line endings, comments, unicode, keywords in strings)', (_name, eol) => {
    const code = [
      "import { util } from '@aws-appsync/utils';",
      'export /* a comment */ default',
      '  function () { return "export default"; }',
      "export const request = (ctx) => { const é = 'à'; return ctx.missing.deeper; };",
    ].join(eol);
    const script = toModuleScript(code);
    const lines = script.source.split(/\r?\n/).slice(1);
    const original = code.split(/\r?\n/);
    expect(lines[3]).toBe(original[3].replace('export ', '       '));
    expect(lines[3].indexOf('ctx.missing')).toBe(original[3].indexOf('ctx.missing'));
    expect(lines[0].trim()).toBe('');
  });

  it('blanks a hashbang line, which is valid only at the start of a module', () => {
    const code = '#!/usr/bin/env node\nexport const request = () => 10;';
    expect((exportsOf(code).request as () => unknown)()).toBe(10);
  });

  it('refuses re-exports from another module', () => {
    expect(() => toModuleScript("export { util } from '@aws-appsync/utils';")).toThrow(
      /re-exporting from '@aws-appsync\/utils'/,
    );
    expect(() => toModuleScript("export * from '@aws-appsync/utils';")).toThrow('export * is not supported');
  });
});
