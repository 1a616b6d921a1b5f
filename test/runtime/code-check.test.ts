/**
 * Load-time checks: what AppSync refuses at deploy time, the runtime refuses at load,
 * naming file, line and rule (https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MAX_RESOLVER_CODE_CHARS, PROJECT_ROOT } from '../../src/build/resolver-bundles';
import { checkResolverCode } from '../../src/runtime/code-check';
import { CodeRejectedError } from '../../src/runtime/errors';
import { probeResolver } from '../helpers/runtime';

const rulesOf = (code: string) => checkResolverCode(code, 'probe.js').map((v) => v.rule);

describe('checkResolverCode', () => {
  it.each([
    ['try/catch', 'export function request(ctx) { try { return 1; } catch (e) { return 2; } }', 'no-try'],
    ['throw', 'export function request(ctx) { throw new Error("x"); }', 'no-throw'],
    ['while', 'export function request(ctx) { while (ctx) { break; } }', 'no-while'],
    ['do-while', 'export function request(ctx) { do { break; } while (ctx); }', 'no-while'],
    ['for(;;)', 'export function request(ctx) { for (let i = 0; i < 2; i += 1) {} }', 'no-for'],
    ['++', 'export function request(ctx) { let i = 0; i++; }', 'no-disallowed-unary-operators'],
    ['--', 'export function request(ctx) { let i = 0; --i; }', 'no-disallowed-unary-operators'],
    ['continue', 'export function request(ctx) { for (const x of ctx) { continue; } }', 'no-continue'],
    ['class', 'class A {}\nexport function request(ctx) { return A; }', 'no-classes'],
    ['async', 'export async function request(ctx) { return 1; }', 'no-async'],
    ['await', 'export async function request(ctx) { await ctx; }', 'no-await'],
    ['generators', 'export function* request(ctx) { yield 1; }', 'no-generators'],
    ['this', 'export function request(ctx) { return this; }', 'no-this'],
    ['instanceof', 'export function request(ctx) { return ctx instanceof Object; }', 'no-disallowed-binary-operators'],
    ['regex literals', 'export function request(ctx) { return /a+/.test(ctx); }', 'no-regex'],
    ['labels', 'export function request(ctx) { outer: for (const x of ctx) { break outer; } }', 'no-labels'],
    ['Promise', 'export function request(ctx) { return Promise.resolve(1); }', 'no-promise'],
  ])('rejects %s', (_name, code, rule) => {
    expect(rulesOf(code)).toContain(rule);
  });

  it('accepts what APPSYNC_JS allows: for-of, for-in, arrow callbacks, spread, destructuring, template literals', () => {
    const code = `export function request(ctx) {
      const { a, ...rest } = ctx.args;
      const out = [];
      for (const x of [1, 2]) { out.push(x); }
      for (const k in rest) { out.push(k); }
      return { list: out.map((x) => \`\${x}\`), a, ...rest };
    }`;
    expect(checkResolverCode(code, 'ok.js')).toEqual([]);
  });

  it(`rejects code over ${MAX_RESOLVER_CODE_CHARS} characters`, () => {
    const code = `export function request() { return '${'x'.repeat(MAX_RESOLVER_CODE_CHARS)}'; }`;
    expect(rulesOf(code)).toEqual(['code-size']);
  });

  it('names the TypeScript source file and line through the bundle source map', async () => {
    const out = await build({
      entryPoints: [path.join(PROJECT_ROOT, 'test/fixtures/forbidden-resolver.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      sourcemap: 'inline',
      sourcesContent: false,
      external: ['@aws-appsync/*'],
      outdir: path.join(PROJECT_ROOT, 'build/test-fixtures'),
    });
    const violations = checkResolverCode(out.outputFiles[0].text, 'build/test-fixtures/forbidden-resolver.js');
    const source = await readFile(path.join(PROJECT_ROOT, 'test/fixtures/forbidden-resolver.ts'), 'utf8');
    const lineOf = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: expect.stringMatching(/test\/fixtures\/forbidden-resolver\.ts$/),
          line: lineOf('while ('),
          rule: 'no-while',
        }),
        expect.objectContaining({ line: lineOf('attempts++'), rule: 'no-disallowed-unary-operators' }),
      ]),
    );
  });
});

describe('loading a rejected resolver', () => {
  it('fails with every violation, file, line and rule in the message', () => {
    const load = () =>
      probeResolver(
        'export function request(ctx) {\n  while (ctx) { break; }\n}\nexport function response(ctx) { ctx.n++; }',
      );
    expect(load).toThrow(CodeRejectedError);
    expect(load).toThrow(/Query\.probe\.js:2:3 no-while: while loops are not supported/);
    expect(load).toThrow(/Query\.probe\.js:4:33 no-disallowed-unary-operators/);
  });
});
