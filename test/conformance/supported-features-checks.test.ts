/**
 * AppSync's "Supported runtime features" page against the offline load-time checks: every
 * "not supported" statement a static check can see is refused when the code loads, and what
 * the page lists as supported loads.
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 */
import { describe, expect, it } from 'vitest';
import { checkResolverCode } from '../../src/runtime/code-check';
import { probeResolver } from '../helpers/runtime';
import { cite, devguide } from './sources';

const page = (section: string) => cite(devguide('supported-features', section));

/** `body` as a request handler, with a response handler: a whole resolver. */
const resolver = (body: string, before = '') =>
  `${before}\nexport function request(ctx) {\n${body}\n}\nexport function response(ctx) {\n  return ctx.result;\n}`;

interface Refusal {
  /** The page's words. */
  readonly statement: string;
  readonly section: string;
  readonly code: string;
  readonly rule: string;
}

const OPERATORS = 'Core features: Operators ("The following operators are not supported")';
const STATEMENTS = 'Core features: Statements ("The following are not supported")';
const FUNCTION = 'Built-in objects and functions: Function';

const REFUSED: readonly Refusal[] = [
  {
    statement: 'unary operators (++)',
    section: OPERATORS,
    code: resolver('let n = 0;\nn++;\nreturn {};'),
    rule: 'no-disallowed-unary-operators',
  },
  {
    statement: 'unary operators (--)',
    section: OPERATORS,
    code: resolver('let n = 1;\n--n;\nreturn {};'),
    rule: 'no-disallowed-unary-operators',
  },
  {
    statement: 'unary operators (~)',
    section: OPERATORS,
    code: resolver('return { n: ~ctx.args.n };'),
    rule: 'no-disallowed-unary-operators',
  },
  {
    statement: 'in operator',
    section: OPERATORS,
    code: resolver("return { has: 'id' in ctx.args };"),
    rule: 'no-in-operator',
  },
  {
    statement: 'catch',
    section: STATEMENTS,
    code: resolver('try {\n  return {};\n} catch (e) {\n  return {};\n}'),
    rule: 'no-try',
  },
  {
    statement: 'continue',
    section: STATEMENTS,
    code: resolver('for (const x of ctx.args.list) {\n  continue;\n}\nreturn {};'),
    rule: 'no-continue',
  },
  {
    statement: 'do-while',
    section: STATEMENTS,
    code: resolver('do {\n  break;\n} while (true);\nreturn {};'),
    rule: 'no-while',
  },
  {
    statement: 'finally',
    section: STATEMENTS,
    code: resolver('try {\n  return {};\n} finally {\n  ctx.stash.done = true;\n}'),
    rule: 'no-try',
  },
  {
    statement: 'for(initialization; condition; afterthought)',
    section: STATEMENTS,
    code: resolver('for (let i = 0; i < 3; i += 1) {\n  ctx.stash.i = i;\n}\nreturn {};'),
    rule: 'no-for',
  },
  {
    statement: 'throw',
    section: STATEMENTS,
    code: resolver("throw new Error('no');"),
    rule: 'supported-features/no-throw',
  },
  {
    statement: 'try',
    section: STATEMENTS,
    code: resolver('try {\n  return {};\n} catch {\n  return {};\n}'),
    rule: 'no-try',
  },
  {
    statement: 'while',
    section: STATEMENTS,
    code: resolver('while (ctx.args.more) {\n  break;\n}\nreturn {};'),
    rule: 'no-while',
  },
  {
    statement: 'labeled statements',
    section: STATEMENTS,
    code: resolver('outer: for (const x of ctx.args.list) {\n  break outer;\n}\nreturn {};'),
    rule: 'no-labels',
  },
  {
    statement: '"Throwing errors with `throw` is not supported."',
    section: 'Error types',
    code: resolver("if (!ctx.args.id) {\n  throw 'missing id';\n}\nreturn {};"),
    rule: 'supported-features/no-throw',
  },
  {
    statement: '"Regular expressions are not supported." (String.prototype.replace)',
    section: 'Primitive objects: String',
    code: resolver("return { name: ctx.args.name.replace(/a/g, 'b') };"),
    rule: 'no-regex',
  },
  {
    statement: '"Array.prototype.sort() doesn\'t support arguments."',
    section: 'Built-in objects and functions: Array',
    code: resolver('return { list: ctx.args.list.sort((a, b) => a - b) };'),
    rule: 'supported-features/no-sort-arguments',
  },
  {
    statement: '"The apply, bind, and call methods not are supported." (apply)',
    section: FUNCTION,
    code: resolver('return { max: Math.max.apply(null, ctx.args.list) };'),
    rule: 'supported-features/no-function-call-apply-bind',
  },
  {
    statement: '"The apply, bind, and call methods not are supported." (bind)',
    section: FUNCTION,
    code: resolver('const make = helper.bind(null, 1);\nreturn {};', 'function helper(a, b) {\n  return a + b;\n}'),
    rule: 'supported-features/no-function-call-apply-bind',
  },
  {
    statement: '"The apply, bind, and call methods not are supported." (call)',
    section: FUNCTION,
    code: resolver('return { own: Object.prototype.hasOwnProperty.call(ctx.args, "id") };'),
    rule: 'supported-features/no-function-call-apply-bind',
  },
  {
    statement: '"Function constructors are not supported." (new Function)',
    section: FUNCTION,
    code: resolver("return { f: new Function('return 1') };"),
    rule: 'supported-features/no-function-constructor',
  },
  {
    statement: '"Function constructors are not supported." (Function())',
    section: FUNCTION,
    code: resolver("return { f: Function('return 1') };"),
    rule: 'supported-features/no-function-constructor',
  },
  {
    statement: '"Passing a function as an argument is not supported."',
    section: FUNCTION,
    code: resolver('return apply(() => 1);', 'function apply(f) {\n  return f;\n}'),
    rule: 'no-function-passing',
  },
  {
    statement: '"Recursive function calls are not supported."',
    section: FUNCTION,
    code: resolver('return { n: countdown(3) };', 'function countdown(n) {\n  return n > 0 ? countdown(n - 1) : 0;\n}'),
    rule: 'no-recursion',
  },
  {
    statement: '"Recursive function calls are not supported." (through a callback)',
    section: FUNCTION,
    code: resolver(
      'return { n: depth(ctx.args) };',
      'function depth(node) {\n  return 1 + node.children.map((child) => depth(child)).length;\n}',
    ),
    rule: 'no-recursion',
  },
  {
    statement: '"Async processes are not supported" (async)',
    section: 'Built-in objects and functions: Promises',
    code: resolver('return {};', 'async function later() {\n  return 1;\n}'),
    rule: 'no-async',
  },
  {
    statement: '"Async processes are not supported" (await)',
    section: 'Built-in objects and functions: Promises',
    code: resolver('return {};', 'async function later(x) {\n  return await x;\n}'),
    rule: 'no-await',
  },
  {
    statement: '"promises are not supported"',
    section: 'Built-in objects and functions: Promises',
    code: resolver('return Promise.resolve({});'),
    rule: 'no-promise',
  },
];

describe('what the page says is not supported is refused when the code loads', () => {
  it.each(REFUSED.map((refusal) => ({ ...refusal, source: page(refusal.section) })))(
    '$statement → $rule ($source)',
    ({ code, rule }) => {
      expect(checkResolverCode(code, 'code.js').map((v) => v.rule)).toContain(rule);
    },
  );
});

interface Supported {
  readonly feature: string;
  readonly section: string;
  readonly code: string;
}

const SUPPORTED_OPERATORS = 'Core features: Operators ("Operators are supported, including")';
const SUPPORTED_STATEMENTS = 'Core features: Statements ("The following statements are supported")';
const ARRAY = 'Built-in objects and functions: Array';

const SUPPORTED: readonly Supported[] = [
  {
    feature: 'standard math operators',
    section: SUPPORTED_OPERATORS,
    code: resolver('const { a = 7, b = 2 } = ctx.args;\nreturn { n: (a + b - 1) * 2 / 3 % 4 + a ** b };'),
  },
  {
    feature: 'nullish coalescing (??)',
    section: SUPPORTED_OPERATORS,
    code: resolver('return { id: ctx.args.id ?? "none" };'),
  },
  {
    feature: 'optional chaining (?.)',
    section: SUPPORTED_OPERATORS,
    code: resolver('return { city: ctx.args.address?.city, first: ctx.args.list?.[0] };'),
  },
  {
    feature: 'bitwise operators (& | ^ << >> >>>)',
    section: SUPPORTED_OPERATORS,
    code: resolver(
      'let n = (6 & 3) | (1 ^ 2);\nn <<= 1;\nn >>= 1;\nn >>>= 0;\nn &= 7;\nn |= 8;\nn ^= 1;\nreturn { n: (n << 2) >> (1 >>> 0) };',
    ),
  },
  {
    feature: 'void and typeof',
    section: SUPPORTED_OPERATORS,
    code: resolver('return { t: typeof ctx.args.id, u: void 0 };'),
  },
  {
    feature: 'spread operators (...)',
    section: SUPPORTED_OPERATORS,
    code: resolver('const list = [...ctx.args.list, 1];\nreturn { ...ctx.args, list, max: Math.max(...list) };'),
  },
  {
    feature: 'const, let, var, if, else, return, break',
    section: SUPPORTED_STATEMENTS,
    code: resolver(
      'const a = 1;\nlet b = 2;\nvar c = 3;\nfor (const x of ctx.args.list) {\n  if (x > a) {\n    b = x;\n    break;\n  } else {\n    c = x;\n  }\n}\nreturn { a, b, c };',
    ),
  },
  {
    feature: 'for-in',
    section: SUPPORTED_STATEMENTS,
    code: resolver('const keys = [];\nfor (const key in ctx.args) {\n  keys.push(key);\n}\nreturn { keys };'),
  },
  {
    feature: 'for-of (with destructuring)',
    section: SUPPORTED_STATEMENTS,
    code: resolver(
      'const out = {};\nfor (const [key, value] of Object.entries(ctx.args)) {\n  out[key] = value;\n}\nreturn out;',
    ),
  },
  {
    feature: 'switch',
    section: SUPPORTED_STATEMENTS,
    code: resolver("switch (ctx.args.kind) {\n  case 'a':\n    return { a: true };\n  default:\n    return {};\n}"),
  },
  {
    feature: 'spread syntax',
    section: SUPPORTED_STATEMENTS,
    code: resolver('const { id, ...rest } = ctx.args;\nreturn { id, rest: { ...rest } };'),
  },
  {
    feature: 'template literals: multi-line strings, interpolation, nesting',
    section: 'Core features: Literals',
    code: resolver(`return { text: \`line one\nline \${ctx.args.n} \${\`nested \${ctx.args.id}\`}\` };`),
  },
  {
    feature: 'function declarations',
    section: 'Core features: Functions',
    code: resolver('return { n: double(2) };', 'function double(n) {\n  return n * 2;\n}'),
  },
  {
    feature: 'arrow functions',
    section: 'Core features: Functions',
    code: resolver('return { n: double(2) };', 'const double = (n) => n * 2;'),
  },
  {
    feature: 'rest parameters',
    section: 'Core features: Functions',
    code: resolver(
      'return { n: sum(1, 2, 3) };',
      'function sum(...values) {\n  return values.reduce((a, b) => a + b, 0);\n}',
    ),
  },
  {
    feature: 'destructuring (nested, defaults, in parameters)',
    section: 'Core features: Functions',
    code: resolver(
      'const { input: { id, tags = [] } = {} } = ctx.args;\nreturn pick({ id, tags });',
      'function pick({ id, tags: [first] }) {\n  return { id, first };\n}',
    ),
  },
  {
    feature: 'Object.assign, entries, hasOwn, keys, values and delete',
    section: 'Primitive objects: Object',
    code: resolver(
      'const copy = Object.assign({}, ctx.args);\ndelete copy.secret;\nreturn { e: Object.entries(copy), h: Object.hasOwn(copy, "id"), k: Object.keys(copy), v: Object.values(copy) };',
    ),
  },
  {
    feature: 'the String methods the page lists, String.raw included',
    section: 'Primitive objects: String',
    code: resolver(
      "const s = ' Ab-c ';\nreturn { r: [s.length, s.charAt(1), s.concat('x'), s.endsWith(' '), s.indexOf('b'), s.lastIndexOf('c'), s.replace('A', 'a'), s.replaceAll('-', '_'), s.slice(1), s.split('-'), s.startsWith(' '), s.toLowerCase(), s.toUpperCase(), s.trim(), s.trimEnd(), s.trimStart()], raw: String.raw`a\\nb` };",
    ),
  },
  {
    feature: 'Number.isFinite, Number.isNaN, and the Math functions the page lists',
    section: 'Primitive objects: Number; Built-in objects and functions: Math',
    code: resolver(
      'return { f: Number.isFinite(1), n: Number.isNaN(NaN), m: [Math.random(), Math.min(1, 2), Math.max(1, 2), Math.round(1.5), Math.floor(1.5), Math.ceil(1.5)] };',
    ),
  },
  {
    feature: 'the Array methods the page lists, sort() without arguments',
    section: ARRAY,
    code: resolver(
      'const a = [3, 1, 2];\na.push(4);\na.unshift(0);\na.pop();\na.shift();\na.splice(0, 1);\nreturn { r: [a.length, a.concat([5]), [0, 0].fill(1), [[1], [2]].flat(), a.indexOf(1), a.join(","), a.lastIndexOf(2), a.reverse(), a.slice(1), a.sort()] };',
    ),
  },
  {
    feature:
      'callbacks to forEach, map, flatMap, filter, reduce, reduceRight, find, some, every, findIndex, findLast, findLastIndex',
    section: ARRAY,
    code: resolver(
      'const a = ctx.args.list ?? [1, 2, 3];\nconst seen = [];\na.forEach((x) => seen.push(x));\nreturn { r: [a.map((x) => x * 2), a.flatMap((x) => [x, x]), a.filter((x) => x > 1), a.reduce((s, x) => s + x, 0), a.reduceRight((s, x) => s + x, 0), a.find((x) => x > 1), a.some((x) => x > 2), a.every((x) => x > 0), a.findIndex((x) => x === 2), a.findLast((x) => x < 3), a.findLastIndex((x) => x < 3), a.map(double)], seen };',
      'const double = (x) => x * 2;',
    ),
  },
  {
    feature: 'console.log and console.error',
    section: 'Built-in objects and functions: Console',
    code: resolver("console.log('in', ctx.args);\nconsole.error('err');\nreturn {};"),
  },
  {
    feature: 'JSON.parse and JSON.stringify',
    section: 'Built-in objects and functions: JSON',
    code: resolver('return JSON.parse(JSON.stringify(ctx.args));'),
  },
  {
    feature: 'the globals NaN, Infinity, undefined, util, extensions, runtime',
    section: 'Globals',
    code: resolver(
      'if (ctx.args.skip) {\n  runtime.earlyReturn({});\n}\nreturn { n: [NaN, Infinity, undefined], id: util.autoId(), e: typeof extensions };',
    ),
  },
];

describe('what the page lists as supported loads', () => {
  it.each(SUPPORTED.map((supported) => ({ ...supported, source: page(supported.section) })))(
    '$feature ($source)',
    ({ code }) => {
      expect(checkResolverCode(code, 'code.js')).toEqual([]);
      expect(() => probeResolver(code)).not.toThrow();
    },
  );
});
