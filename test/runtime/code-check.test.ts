/**
 * Load-time checks: what AppSync refuses at deploy time, the runtime refuses at load,
 * naming file, line and rule (https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html).
 * AWS's own rule tests are replayed in test/conformance/eslint-plugin.test.ts, the page's
 * statements in test/conformance/supported-features-checks.test.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import {
  checkResolverCode,
  findAppSyncReferences,
  MAX_RESOLVER_CODE_CHARACTERS,
  resolverCodeCharacters,
} from '../../src/runtime/code-check';
import { DENIED, DENIED_METHODS } from '../../src/runtime/code-check/denied-methods';
import { CodeRejectedError } from '../../src/runtime/errors';
import { bundleForTest } from '../helpers/bundles';
import { probeResolver } from '../helpers/runtime';

const rulesOf = (code: string) => checkResolverCode(code, 'probe.js').map((v) => v.rule);
const SHAPES_DIR = path.join(PROJECT_ROOT, 'test/fixtures/sample-shapes');

const bundle = bundleForTest;

/** Bundles one TypeScript source given as text, named `resolvers/Query.probe.ts` in the source map. */
async function bundleSource(source: string): Promise<string> {
  const stdin = {
    contents: source,
    sourcefile: 'resolvers/Query.probe.ts',
    resolveDir: PROJECT_ROOT,
    loader: 'ts' as const,
  };
  return (await bundle({ stdin }))[0].code;
}

const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
const columnOf = (source: string, text: string) =>
  (source.split('\n').find((l) => l.includes(text)) ?? '').indexOf(text) + 1;

describe('checkResolverCode', () => {
  it.each([
    ['try/catch', 'export function request(ctx) { try { return 1; } catch (e) { return 2; } }', 'no-try'],
    ['throw', 'export function request(ctx) { throw new Error("x"); }', 'supported-features/no-throw'],
    ['while', 'export function request(ctx) { while (ctx) { break; } }', 'no-while'],
    ['do-while', 'export function request(ctx) { do { break; } while (ctx); }', 'no-while'],
    ['for(;;)', 'export function request(ctx) { for (let i = 0; i < 2; i += 1) {} }', 'no-for'],
    ['++', 'export function request(ctx) { let i = 0; i++; }', 'no-disallowed-unary-operators'],
    ['--', 'export function request(ctx) { let i = 0; --i; }', 'no-disallowed-unary-operators'],
    ['~', 'export function request(ctx) { return ~ctx.args.n; }', 'no-disallowed-unary-operators'],
    ['continue', 'export function request(ctx) { for (const x of ctx) { continue; } }', 'no-continue'],
    ['class declarations', 'class A {}\nexport function request(ctx) { return A; }', 'no-classes'],
    ['class expressions', 'const A = class {};\nexport function request(ctx) { return A; }', 'no-classes'],
    ['async', 'export async function request(ctx) { return 1; }', 'no-async'],
    ['await', 'export async function request(ctx) { await ctx; }', 'no-await'],
    ['for await', 'for await (const x of []) {}\nexport function request(ctx) { return {}; }', 'no-await'],
    ['generator declarations', 'export function* request(ctx) { yield 1; }', 'no-generators'],
    [
      'generator expressions',
      'const g = function* () {};\nexport function request(ctx) { return g; }',
      'no-generators',
    ],
    ['generator methods', 'const o = { *g() {} };\nexport function request(ctx) { return o; }', 'no-generators'],
    ['this', 'export function request(ctx) { return this; }', 'no-this'],
    ['instanceof', 'export function request(ctx) { return ctx instanceof Object; }', 'no-disallowed-binary-operators'],
    ['the in operator', "export function request(ctx) { return 'id' in ctx.args; }", 'no-in-operator'],
    ['regex literals', 'export function request(ctx) { return /a+/.test(ctx); }', 'no-regex'],
    ['labels', 'export function request(ctx) { outer: for (const x of ctx) { break outer; } }', 'no-labels'],
    ['new Promise', 'export function request(ctx) { return new Promise(() => {}); }', 'no-promise'],
    ['Promise.resolve', 'export function request(ctx) { return Promise.resolve(1); }', 'no-promise'],
    ['ctx = …', 'export function request(ctx) { ctx = {}; return ctx; }', 'no-disallowed-re-assignment'],
    [
      'ctx.stash = … in an exported arrow',
      'export const request = (ctx) => { ctx.stash = {}; return {}; };',
      'no-disallowed-re-assignment',
    ],
    [
      'delete ctx.args in a handler exported under another name',
      'function handle(ctx) { delete ctx.args; return {}; }\nexport { handle as request };',
      'no-disallowed-re-assignment',
    ],
    [
      'recursion',
      'function f(n) { return n ? f(n - 1) : 0; }\nexport function request(ctx) { return f(3); }',
      'no-recursion',
    ],
    [
      'recursion through a callback',
      'function walk(xs) { return xs.map((x) => walk(x.children)); }\nexport function request(ctx) { return walk([]); }',
      'no-recursion',
    ],
    [
      'recursion through a function handed to map',
      'function walk(x) { return x.children.map(walk); }\nexport function request(ctx) { return walk(ctx.args); }',
      'no-recursion',
    ],
    [
      'a function passed to a function',
      'function apply(f) { return f; }\nexport function request(ctx) { return apply(() => 1); }',
      'no-function-passing',
    ],
    [
      'a comparator passed to sort',
      'export function request(ctx) { return [2, 1].sort((a, b) => a - b); }',
      'no-function-passing',
    ],
    [
      'a replacer passed to JSON.stringify',
      'export function request(ctx) { return JSON.stringify(ctx.args, (k, v) => v); }',
      'no-function-passing',
    ],
    [
      'sort with arguments',
      'export function request(ctx) { return ctx.args.list.sort(undefined); }',
      'supported-features/no-sort-arguments',
    ],
    [
      'Function.prototype.call',
      'function f() { return 1; }\nexport function request(ctx) { return f.call(null); }',
      'supported-features/no-function-call-apply-bind',
    ],
    [
      'Function.prototype.apply on a built-in',
      'export function request(ctx) { return Math.max.apply(null, [1, 2]); }',
      'supported-features/no-function-call-apply-bind',
    ],
    [
      'Function.prototype.bind on util',
      'export function request(ctx) { return util.autoId.bind(null); }',
      'supported-features/no-function-call-apply-bind',
    ],
    [
      'new Function',
      "export function request(ctx) { return new Function('return 1'); }",
      'supported-features/no-function-constructor',
    ],
    [
      'Function()',
      "export function request(ctx) { return Function('return 1'); }",
      'supported-features/no-function-constructor',
    ],
    ['Object.freeze', 'export function request(ctx) { return Object.freeze({}); }', 'no-disallowed-methods'],
    [
      'String.fromCharCode',
      'export function request(ctx) { return String.fromCharCode(65); }',
      'no-disallowed-methods',
    ],
    ["'x'.padStart()", "export function request(ctx) { return 'x'.padStart(3); }", 'no-disallowed-methods'],
    ['new Date().setDate()', 'export function request(ctx) { return new Date().setDate(1); }', 'no-disallowed-methods'],
    [
      'a denied method on a constant whose value is certain',
      'export function request(ctx) { const d = new Date(); d.setDate(1); return d; }',
      'no-disallowed-methods',
    ],
    ['a util member AWS lacks', 'export function request(ctx) { return util.time.nowIso(); }', 'ts2339'],
    [
      'ddb.sync (AWS: "Property \'sync\' does not exist")',
      "import * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { return ddb.sync({}); }",
      'ts2339',
    ],
    [
      'a named import the dynamodb module lacks',
      "import { sync } from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { return sync({}); }",
      'ts2305',
    ],
  ])('rejects %s', (_name, code, rule) => {
    expect(rulesOf(code)).toContain(rule);
  });

  it('accepts what APPSYNC_JS allows: for-of, for-in, arrow callbacks, spread, destructuring, template literals', () => {
    const code = `export function request(ctx) {
      const { a, ...rest } = ctx.args;
      const out = [];
      for (const x of [1, 2]) { out.push(x); }
      for (const k in rest) { out.push(k); }
      return { list: out.map((x) => \`\${x}\`), a, ...rest, in: [1] };
    }`;
    expect(checkResolverCode(code, 'ok.js')).toEqual([]);
  });

  it.each([
    [
      'deeper writes to the context',
      'export function request(ctx) { ctx.stash.cache = 1; ctx.args.x = 2; return {}; }',
    ],
    [
      'a helper (not a handler) writing to its argument',
      'function helper(o) { o.stash = 1; }\nexport function request(ctx) { helper({}); return {}; }',
    ],
    [
      'a local named Promise',
      'const Promise = { resolve: (x) => x };\nexport function request(ctx) { return Promise.resolve(1); }',
    ],
    [
      'a local named Function',
      'function Function(x) { return x; }\nexport function request(ctx) { return Function(1); }',
    ],
    ['sort without arguments', 'export function request(ctx) { return [2, 1].sort(); }'],
    [
      'sort of an object of the code',
      'const o = { sort: (x) => x };\nexport function request(ctx) { return o.sort(1); }',
    ],
    [
      'a callback to util.transform',
      'export function request(ctx) { return util.transform.toSubscriptionFilter({}, () => 1); }',
    ],
    [
      'a function handed to an import',
      "import { sql } from '@aws-appsync/utils/rds';\nexport function request(ctx) { return sql(() => 1); }",
    ],
    ['call on something not known to be a function', 'export function request(ctx) { return ctx.args.call(1); }'],
    ['Object members every object has', "export function request(ctx) { return Object.hasOwnProperty('x'); }"],
    [
      "String.raw (on the page's supported list)",
      'export function request(ctx) { return String.raw({ raw: ["a"] }); }',
    ],
    [
      'members AWS declares',
      "import * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { return [ddb.operations.increment(1), util.time.nowISO8601(), util.toString(), runtime.earlyReturn()]; }",
    ],
    [
      'two calls of one function (no cycle)',
      'function g() { return 1; }\nfunction f() { return g() + g(); }\nexport function request(ctx) { return f(); }',
    ],
    [
      'a function returning a closure that calls it (never a cycle of calls)',
      'function f() { return { again: () => f() }; }\nexport function request(ctx) { return f(); }',
    ],
  ])('accepts %s', (_name, code) => {
    expect(checkResolverCode(code, 'ok.js')).toEqual([]);
  });

  it('reports each call site into a cycle, with the cycle as the plugin prints it', () => {
    const code =
      'function walk(n) {\n  return n ? walk(n - 1) : 0;\n}\nexport function request(ctx) {\n  return walk(3);\n}';
    expect(checkResolverCode(code, 'probe.js')).toEqual([
      expect.objectContaining({
        line: 2,
        column: 14,
        rule: 'no-recursion',
        message: expect.stringMatching(/cycle in walk <-walk$/),
      }),
      expect.objectContaining({
        line: 5,
        column: 10,
        rule: 'no-recursion',
        message: expect.stringMatching(/cycle in walk <-walk$/),
      }),
    ]);
  });

  it('names the property the handler writes, as the plugin does', () => {
    const code = "export function request(context) { context['stash'] = {}; return {}; }";
    expect(checkResolverCode(code, 'probe.js')).toEqual([
      expect.objectContaining({
        rule: 'no-disallowed-re-assignment',
        message: 'context is readonly. Adding/Updating stash is not supported.',
      }),
    ]);
  });

  it("says which declared type lacks the member, in TypeScript's words", () => {
    const code =
      "import * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) {\n  return ddb.sync({});\n}";
    expect(checkResolverCode(code, 'code.js')).toEqual([
      {
        file: 'code.js',
        line: 3,
        column: 14,
        rule: 'ts2339',
        message: `Property 'sync' does not exist on type 'typeof import("@aws-appsync/utils/dynamodb")'.`,
      },
    ]);
  });

  it(`rejects code over ${MAX_RESOLVER_CODE_CHARACTERS} characters`, () => {
    const code = `export function request() { return '${'x'.repeat(MAX_RESOLVER_CODE_CHARACTERS)}'; }`;
    expect(rulesOf(code)).toEqual(['code-size']);
  });

  it('counts characters as AWS length constraints do: 20,000 "é" (40,000 UTF-8 bytes) load, an emoji counts once', () => {
    const accented = `export function request() { return '${'é'.repeat(20_000)}'; }`;
    expect(Buffer.byteLength(accented)).toBeGreaterThan(MAX_RESOLVER_CODE_CHARACTERS);
    expect(rulesOf(accented)).toEqual([]);
    expect(resolverCodeCharacters('😀é')).toBe(2);
    const emoji = `export function request() { return '${'😀'.repeat(MAX_RESOLVER_CODE_CHARACTERS)}'; }`;
    expect(checkResolverCode(emoji, 'probe.js')).toEqual([
      expect.objectContaining({
        rule: 'code-size',
        message: expect.stringContaining(`${resolverCodeCharacters(emoji)} characters`),
      }),
    ]);
  });

  it('names the TypeScript source file and line through the bundle source map', async () => {
    const [{ file, code }] = await bundle({
      entryPoints: [path.join(PROJECT_ROOT, 'test/fixtures/forbidden-resolver.ts')],
    });
    const violations = checkResolverCode(code, file);
    const source = await readFile(path.join(PROJECT_ROOT, 'test/fixtures/forbidden-resolver.ts'), 'utf8');
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: expect.stringMatching(/test\/fixtures\/forbidden-resolver\.ts$/),
          line: lineOf(source, 'while ('),
          rule: 'no-while',
        }),
        expect.objectContaining({ line: lineOf(source, 'attempts++'), rule: 'no-disallowed-unary-operators' }),
      ]),
    );
  });

  it('maps the new rules to their TypeScript line and column too', async () => {
    const source = [
      "import * as ddb from '@aws-appsync/utils/dynamodb';",
      'import type { Context } from "@aws-appsync/utils";',
      '',
      'function walk(n: number): number {',
      '  return n > 0 ? walk(n - 1) : 0;',
      '}',
      '',
      'export const request = (ctx: Context) => {',
      "  ctx.stash = { seen: 'id' in ctx.args };",
      '  return ddb.sync({ lastSync: walk(2) });',
      '};',
      '',
      'export function response(ctx: Context) {',
      '  return [ctx.result].sort((a, b) => a - b);',
      '}',
    ].join('\n');
    const violations = checkResolverCode(await bundleSource(source), 'build/resolvers/Query.probe.js');
    const at = (text: string) => ({
      file: 'resolvers/Query.probe.ts',
      line: lineOf(source, text),
      column: columnOf(source, text),
    });
    expect(violations).toEqual([
      expect.objectContaining({ ...at('walk(n - 1)'), rule: 'no-recursion' }),
      expect.objectContaining({ ...at('ctx.stash ='), rule: 'no-disallowed-re-assignment' }),
      expect.objectContaining({ ...at("'id' in"), rule: 'no-in-operator' }),
      expect.objectContaining({ ...at('sync('), rule: 'ts2339' }),
      expect.objectContaining({ ...at('walk(2)'), rule: 'no-recursion' }),
      expect.objectContaining({ ...at('[ctx.result].sort'), rule: 'supported-features/no-sort-arguments' }),
      expect.objectContaining({ ...at('[ctx.result].sort'), rule: 'no-function-passing' }),
    ]);
  });
});

describe('the shapes AWS samples rely on (test/fixtures/sample-shapes)', () => {
  it('load with no violation once bundled, and pass AWS’s own plugin (recommended, type-aware)', async () => {
    const entries = (await readdir(SHAPES_DIR))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(SHAPES_DIR, name));
    expect(entries.length).toBeGreaterThanOrEqual(6);
    const bundles = await bundle({ entryPoints: entries });
    const found = bundles.flatMap(({ file, code }) => checkResolverCode(code, file));
    expect(found).toEqual([]);
    const lint = await new ESLint({ cwd: PROJECT_ROOT }).lintFiles(['test/fixtures/sample-shapes/**/*.ts']);
    expect(lint.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('keep the bundle shapes they stand for (so the test above proves something)', async () => {
    const code = (
      await bundle({
        entryPoints: [path.join(SHAPES_DIR, 'Mutation.createThing.ts'), path.join(SHAPES_DIR, 'Query.arrowExports.ts')],
      })
    )
      .map((b) => b.code)
      .join('\n');
    expect(code).toContain('import { util as util2 } from "@aws-appsync/utils"');
    expect(code).toMatch(/^\s+util\.error\(/m);
    expect(code).toContain('checkErrorsAndRespond as response');
    expect(code).toMatch(/var request = \(ctx\) =>|const request = \(ctx\) =>/);
  });
});

describe('findAppSyncReferences', () => {
  it('lists AppSync API references by their AppSync name, whatever the local name, at their TypeScript position', async () => {
    const [bundled] = await bundle({ entryPoints: [path.join(SHAPES_DIR, 'Mutation.createThing.ts')] });
    const references = findAppSyncReferences(bundled.code, bundled.file);
    const entry = await readFile(path.join(SHAPES_DIR, 'Mutation.createThing.ts'), 'utf8');
    const helper = await readFile(path.join(SHAPES_DIR, 'lib/responses.ts'), 'utf8');
    expect(references).toEqual(
      expect.arrayContaining([
        {
          name: '@aws-appsync/utils.util',
          kind: 'import',
          file: 'test/fixtures/sample-shapes/Mutation.createThing.ts',
          line: lineOf(entry, 'import { type Context, util }'),
          column: columnOf(entry, 'util }'),
        },
        {
          name: 'util.autoId',
          kind: 'member',
          file: 'test/fixtures/sample-shapes/Mutation.createThing.ts',
          line: lineOf(entry, 'util.autoId()'),
          column: columnOf(entry, 'util.autoId()'),
        },
        {
          name: '@aws-appsync/utils/dynamodb.operations.increment',
          kind: 'member',
          file: 'test/fixtures/sample-shapes/Mutation.createThing.ts',
          line: lineOf(entry, 'operations.increment'),
          column: columnOf(entry, 'operations.increment'),
        },
        {
          name: 'util.transform.toDynamoDBConditionExpression',
          kind: 'member',
          file: 'test/fixtures/sample-shapes/lib/responses.ts',
          line: lineOf(helper, 'util.transform.toDynamoDB'),
          column: columnOf(helper, 'util.transform.toDynamoDB'),
        },
      ]),
    );
  });

  it('follows namespace imports, destructuring, aliases and the AppSync globals, and lists every import', () => {
    const code = [
      "import * as ddb from '@aws-appsync/utils/dynamodb';",
      "import { util as u, runtime } from '@aws-appsync/utils';",
      "import { select } from '@aws-appsync/utils/rds';",
      'export function request(ctx) {',
      '  const { time: { nowISO8601 }, dynamodb } = u;',
      '  const ops = ddb.operations;',
      '  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({}));',
      "  return [ddb.transactWrite({}), dynamodb.toMapValues({}), ops.increment(1), u?.str.normalize('a', 'nfc'), select, runtime.earlyReturn(nowISO8601())];",
      '}',
    ].join('\n');
    const lines = code.split('\n');
    /** `kind name` of the reference written at `needle` on line `line`. */
    const at = (line: number, needle: string, what: string) => `${line}:${lines[line - 1].indexOf(needle) + 1} ${what}`;
    expect(findAppSyncReferences(code, 'code.js').map((r) => `${r.line}:${r.column} ${r.kind} ${r.name}`)).toEqual([
      at(1, '* as ddb', 'import @aws-appsync/utils/dynamodb.*'),
      at(2, 'util as u', 'import @aws-appsync/utils.util'),
      at(2, 'runtime', 'import @aws-appsync/utils.runtime'),
      at(3, 'select', 'import @aws-appsync/utils/rds.select'),
      at(5, 'time:', 'member util.time'),
      at(5, 'nowISO8601', 'member util.time.nowISO8601'),
      at(5, 'dynamodb', 'member util.dynamodb'),
      at(5, 'u;', 'member util'),
      at(6, 'ddb.operations', 'member @aws-appsync/utils/dynamodb.operations'),
      at(7, 'extensions', 'member extensions.setSubscriptionFilter'),
      at(7, 'util.transform', 'member util.transform.toSubscriptionFilter'),
      at(8, 'ddb.transactWrite', 'member @aws-appsync/utils/dynamodb.transactWrite'),
      at(8, 'dynamodb.toMapValues', 'member util.dynamodb.toMapValues'),
      at(8, 'ops.increment', 'member @aws-appsync/utils/dynamodb.operations.increment'),
      at(8, 'u?.str', 'member util.str.normalize'),
      at(8, 'select,', 'member @aws-appsync/utils/rds.select'),
      at(8, 'runtime.earlyReturn', 'member runtime.earlyReturn'),
      at(8, 'nowISO8601()', 'member util.time.nowISO8601'),
    ]);
  });

  it('ignores names that shadow the AppSync globals', () => {
    const code =
      'export function request(util) { return util.anything(); }\nexport function response(ctx) { return ctx.result; }';
    expect(findAppSyncReferences(code, 'code.js')).toEqual([]);
    expect(checkResolverCode(code, 'code.js')).toEqual([]);
  });
});

describe('the denied-methods list', () => {
  it('is the plugin’s DENIED_METHODS, each placed on its constructor or prototype', () => {
    expect(DENIED_METHODS).toHaveLength(65);
    expect(DENIED).toEqual(
      expect.arrayContaining([
        { name: 'ObjectConstructor.freeze', global: 'Object', on: 'constructor', method: 'freeze', inherited: false },
        { name: 'Array.from', global: 'Array', on: 'constructor', method: 'from', inherited: false },
        { name: 'Array.keys', global: 'Array', on: 'prototype', method: 'keys', inherited: false },
        {
          name: 'ObjectConstructor.toString',
          global: 'Object',
          on: 'constructor',
          method: 'toString',
          inherited: true,
        },
      ]),
    );
    expect(DENIED.map((d) => d.name)).not.toContain('String.raw');
  });
});

describe('loading a rejected resolver', () => {
  it('fails with every violation, file, line and rule in the message', () => {
    const load = () =>
      probeResolver(
        'export function request(ctx) {\n  while (ctx) { break; }\n}\nexport function response(ctx) { ctx.n++; }',
      );
    expect(load).toThrow(CodeRejectedError);
    expect(load).toThrow(/Query\.probe\.js:2:3 no-while: While statements are not supported\./);
    expect(load).toThrow(/Query\.probe\.js:4:33 no-disallowed-unary-operators/);
    expect(load).toThrow(/Query\.probe\.js:4:33 no-disallowed-re-assignment: ctx is readonly\. Adding\/Updating n/);
  });
});
