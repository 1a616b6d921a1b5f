/**
 * AWS's own tests of its lint rules, replayed against the offline load-time checks: every
 * valid and invalid case of every rule test in @aws-appsync/eslint-plugin@2.0.2
 * (node_modules/@aws-appsync/eslint-plugin/lib/rules/*.test.js), written here as data (the
 * facts taken from those files, the files never imported). An invalid case must be refused
 * under the plugin's rule name as many times as the plugin expects errors, with the plugin's
 * message wherever its test states one; a valid case must draw no violation of that rule.
 *
 * The rules needing types (no-recursion, no-disallowed-methods, no-function-passing) are
 * approximated without TypeScript (src/runtime/code-check/functions.ts, builtins.ts); their
 * test code is TypeScript, stripped by esbuild's TS loader as bundling strips it. Every case
 * of theirs matches.
 *
 * no-function-reassign and no-function-return are in the plugin's recommended config, but the
 * "Supported runtime features" page says neither, and the offline runtime refuses exactly what
 * AppSync's runtime refuses (the page and the plugin's base rules together): their cases,
 * valid and invalid alike, must load offline.
 */
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { checkResolverCode } from '../../src/runtime/code-check';
import { probeResolver } from '../helpers/runtime';
import { cite, type PackageSource } from './sources';

interface PluginRuleTests {
  /** The rule's test file in lib/rules/. */
  readonly file: string;
  /** The rule ID it reports under (no-disallowed-binary-operator.js is registered as no-disallowed-binary-operators). */
  readonly rule: string;
  /** Tested with @typescript-eslint/parser: the code is TypeScript. */
  readonly typescript: boolean;
  readonly valid: readonly string[];
  /** Each expected error's message, or null where the test names a message id whose text depends on data it does not give. */
  readonly invalid: readonly { readonly code: string; readonly messages: readonly (string | null)[] }[];
}

const pluginTest = (file: string): PackageSource => ({
  kind: 'package',
  name: '@aws-appsync/eslint-plugin',
  version: '2.0.2',
  file: `lib/rules/${file}`,
});

/** In the plugin's recommended config, refused by neither the page nor AppSync's runtime: loaded offline. */
const NOT_REFUSED = new Set(['no-function-reassign', 'no-function-return']);

const RULES: readonly PluginRuleTests[] = [
  {
    file: 'no-async.test.js',
    rule: 'no-async',
    typescript: false,
    valid: ['function test() { return "" }'],
    invalid: [
      { code: 'async function test() { return "" }', messages: ['Async functions are not supported.'] },
      { code: 'async () => { return "" }', messages: ['Async functions are not supported.'] },
      { code: 'const myFn =  async () => { return "" }', messages: ['Async functions are not supported.'] },
      { code: 'const myFn =  async function() { return "" }', messages: ['Async functions are not supported.'] },
    ],
  },
  {
    file: 'no-await.test.js',
    rule: 'no-await',
    typescript: false,
    valid: ["console.log('hello');"],
    invalid: [{ code: "async () => await console.log('hi'); ", messages: ['The `await` keyword is not supported'] }],
  },
  {
    file: 'no-classes.test.js',
    rule: 'no-classes',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'class Person { }', messages: ['Class declarations are not supported.'] }],
  },
  {
    file: 'no-continue.test.js',
    rule: 'no-continue',
    typescript: false,
    valid: ["console.log('hello');"],
    invalid: [
      {
        code: `
        for(let i =0; i<10; i=i+1) {
          if(i % 2 == 0) continue;
          console.log(i);
        }
      `,
        messages: ['Continue statements are not supported'],
      },
      {
        code: `
        let i = 0;
        while(i<10) {
          i = i + 1;
          if(i % 2 == 0) continue;
          console.log(i);
        }
      `,
        messages: ['Continue statements are not supported'],
      },
    ],
  },
  {
    file: 'no-disallowed-binary-operator.test.js',
    rule: 'no-disallowed-binary-operators',
    typescript: false,
    valid: [
      'const val = true && false',
      'const a = 10 & 5; ',
      'const a = 10 | 5; ',
      'const a = 10 ^ 5; ',
      'const a = 10 << 5; ',
      'const a = 10 >> 5; ',
      'const a = 10 >>> 5; ',
      'let a = 5; a &= 3;',
      'let a = 5; a |= 3;',
      'let a = 5; a ^= 3;',
      'let a = 5; a <<= 3;',
      'let a = 5; a >>= 3;',
      'let a = 5; a >>>= 3;',
    ],
    invalid: [{ code: 'let a = 5; b = a instanceof Number;', messages: ['The operator instanceof is not supported'] }],
  },
  {
    file: 'no-disallowed-methods.test.js',
    rule: 'no-disallowed-methods',
    typescript: true,
    valid: [
      '[1, 2, 3].sort()',
      '[1, 2, 3].forEach((a) => console.log(a))',
      '[1, 2, 3].map((a) => a * 2)',
      '[1, 2, 3].filter((a) => a % 2 === 0)',
      '[1, [2], [[3]]].flatMap((a) => a * 2)',
      '[1, 2, 3].reduce((sum, a) => sum + a, 0)',
      '[1, 2, 3].reduceRight((sum, a) => sum + a, 0)',
      '[1, 2, 3].find(( a) => a === 2)',
      '[1, 2, 3].some(( a) => a == 12)',
      'const allEvent = [2, 4, 6].every(( a) => a %2  === 0)',
      'const index = [2, 4, 6].findIndex(( a) => a  === 4)',
      'const item = [2, 4, 6].find(( a) => a  === 4)',
      'const item = [2, 4, 2].findLast(( a) => a  === 2)',
      'const item = [2, 4, 2].findLastIndex(( a) => a  === 2)',
    ],
    invalid: [
      {
        code: `
        const a = Object.freeze({a: 1, b: 2})
      `,
        messages: ['Method ObjectConstructor.freeze is not implemented'],
      },
      {
        code: `
        [].keys();
      `,
        messages: ['Method Array.keys is not implemented'],
      },
    ],
  },
  {
    file: 'no-disallowed-re-assignment.test.js',
    rule: 'no-disallowed-re-assignment',
    typescript: false,
    valid: [
      'console.log(10)',
      `
        // assignment of  property in arg
        function request(ctx) {
          ctx.args.something = 'something';
          const { args: { id } } = ctx
          return {
            operation: 'GetItem',
            key: util.dynamodb.toMapValues({ id })
          }
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          ctx.result.val = ctx.args.something;
          return ctx.result
        }
    `,
      `
        function request(context) {
          // assignment of property in arg
          context.args.id = context.args.id || util.autoId();
          return {
            operation: 'GetItem',
            key: util.dynamodb.toMapValues({ id })
          }
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          ctx.result.val = ctx.args.something;
          return ctx.result
        }
    `,
      `
        function request(context) {
          // ++ and -- operator for property in arg
          context.args.id++;
          --context.stash.id
          return {}
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          ctx.result.val = ctx.args.something;
          return ctx.result
        }
    `,
      `
        function request(context) {
          // passing arg to a function
          return JSON.stringify(context.stash);
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          ctx.result.val = ctx.args.something;
          return ctx.result
        }
    `,
      `
        function request(context) {
          // using arg as a key
          return myObj[context.args] = 'something';
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          ctx.result.val = ctx.args.something;
          return ctx.result
        }
    `,
      `
        function request(context) {
          // conditional expression
          const myArgs = context.args ? context.args : {};
          myArgs.id = myArgs.id || util.autoId();
          return {};
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          return {}
        }
    `,
      `
        function request(context) {
          return {};
        }
        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
          return ctx.stash.cache.get(ctx.args.id).value;
        }
    `,
      `
          // creating a shadow variable
          function request(ctx) {
            if(true) {
              const ctx = 'this should cause error'
              return {};
            }
          }
          function response(ctx) {
            return ctx.result
          }
      `,
    ],
    invalid: [
      {
        code: `
          function request(ctx) {
            ctx = 'this should cause error'
            return {};
          }
          function response(ctx) {
            return ctx.result
          }
      `,
        messages: ['ctx is readonly and re-assignment is not supported.'],
      },
      {
        code: `
          function request(ctx) {
            ctx.args = 'this should cause error'
            return {};
          }
          function response(ctx) {
            return ctx.result
          }
      `,
        messages: ['ctx is readonly. Adding/Updating args is not supported.'],
      },
      {
        code: `
          function request(ctx) {
            ctx.newProp = 'this should cause error'
            return {};
          }
          function response(ctx) {
            return ctx.result
          }
      `,
        messages: ['ctx is readonly. Adding/Updating newProp is not supported.'],
      },
      {
        code: `
        function request(ctx) {
          ctx['stash'] = 'this should cause error'
          return {};
        }
        function response(ctx) {
          return ctx.result
        }
    `,
        messages: ['ctx is readonly. Adding/Updating stash is not supported.'],
      },
      {
        code: `
        function request(appSyncContext) {
          ++appSyncContext['args'];
          appSyncContext.stash--;
          return {};
        }
        function response(ctx) {
          return ctx.result
        }
    `,
        messages: [
          'appSyncContext is readonly. Adding/Updating args is not supported.',
          'appSyncContext is readonly. Adding/Updating stash is not supported.',
        ],
      },
      {
        code: `
        function request(context1) {
          delete context1['args'];
          delete context1.stash;
          return {};
        }
        function response(ctx) {
          return ctx.result
        }
    `,
        messages: [
          'context1 is readonly. Adding/Updating args is not supported.',
          'context1 is readonly. Adding/Updating stash is not supported.',
        ],
      },
      {
        code: `
        function request(ctx) {
          // for in statement
          for (ctx.args in { a: 1, b: 2, c: 3 }) {
            // should cause error 
          }
          return {};
        }

        /**
        * Returns the result directly
        * @param ctx the context object holds contextual information about the function invocation.
        */
        function response(ctx) {
         
          return {}
        }
    `,
        messages: ['ctx is readonly. Adding/Updating args is not supported.'],
      },
    ],
  },
  {
    file: 'no-disallowed-unary-operators.test.js',
    rule: 'no-disallowed-unary-operators',
    typescript: false,
    valid: ['function test() { return "" }'],
    invalid: [
      { code: 'let a = 0; a++', messages: ['The operator ++ is not supported'] },
      { code: 'let a = 1; console.log(a--)', messages: ['The operator -- is not supported'] },
      { code: 'let a = 0; ++a', messages: ['The operator ++ is not supported'] },
      { code: 'let a = 1; console.log(--a)', messages: ['The operator -- is not supported'] },
      {
        code: `
        const a = 5;
        console.log(~a); 
      `,
        messages: ['The operator ~ is not supported'],
      },
    ],
  },
  {
    file: 'no-for.test.js',
    rule: 'no-for',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'for(;;) { }', messages: ['For statements are not supported.'] }],
  },
  {
    file: 'no-function-passing.test.js',
    rule: 'no-function-passing',
    typescript: true,
    valid: [
      '[1, 2, 3].map(n => console.log(n))',
      `[1, 2, 3].map(function(n) {
        console.log(n);
      })`,
      `
        const print = (n) => console.log(n);
        [1, 2, 3].map(print);
      `,
    ],
    invalid: [
      {
        code: `
        function curry(f) { // curry(f) does the currying transform
          return function(a) {
            return function(b) {
              return f(a, b);
            };
          };
        }

        // usage
        function sum(a, b) {
          return a + b;
        }

        let curriedSum = curry(sum);
      `,
        messages: ['Functions can not be passed as an argument'],
      },
      {
        code: `
        const curry = (f) =>{ // curry(f) does the currying transform
          return function(a) {
            return function(b) {
              return f(a, b);
            };
          };
        }

        // usage
        const sum = (a, b) => {
          return a + b;
        }

        let curriedSum = curry(sum);
      `,
        messages: ['Functions can not be passed as an argument'],
      },
      {
        code: `
        const curry = function() { // curry(f) does the currying transform
          return function(a) {
            return function(b) {
              return f(a, b);
            };
          };
        }

        // usage
        const sum = (a, b) => {
          return a + b;
        }

        let curriedSum = curry(sum);
      `,
        messages: ['Functions can not be passed as an argument'],
      },
    ],
  },
  {
    file: 'no-function-reassign.test.js',
    rule: 'no-function-reassign',
    typescript: true,
    valid: ['const a = () => {}', 'const a = function(){}', 'const a = function a() {}'],
    invalid: [
      {
        code: `
        const a = () => {};
        const b = a;
      `,
        messages: ['re-assigning function is not allowed'],
      },
      {
        code: `
        const a = function () {};
        const b = a;
      `,
        messages: ['re-assigning function is not allowed'],
      },
      {
        code: `
        const a = function a() {};
        let b = a;
      `,
        messages: ['re-assigning function is not allowed'],
      },
      {
        code: `
        const a = function a() {};
        let b;
        b = a;
      `,
        messages: ['re-assigning function is not allowed'],
      },
    ],
  },
  {
    file: 'no-function-return.test.js',
    rule: 'no-function-return',
    typescript: true,
    valid: ['function a() { return 10}'],
    invalid: [
      { code: 'function a() { return () => {}}', messages: ['returning a function is not allowed'] },
      { code: 'function a() { return function() {}}', messages: ['returning a function is not allowed'] },
      { code: 'function a() { const a = function(){}; return a;}', messages: ['returning a function is not allowed'] },
      { code: 'const a = () =>() => {}', messages: ['returning a function is not allowed'] },
      { code: 'const a = () => function() {}', messages: ['returning a function is not allowed'] },
      { code: 'const a = () => { return function() {} }', messages: ['returning a function is not allowed'] },
    ],
  },
  {
    file: 'no-generators.test.js',
    rule: 'no-generators',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'function* test() { }', messages: ['Generator functions are not supported.'] }],
  },
  {
    file: 'no-in-operator.test.js',
    rule: 'no-in-operator',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [
      { code: "myKey in { 'myKey': 'myValue' }", messages: ['in operator is not supported. Use Object.hasOwn().'] },
    ],
  },
  {
    file: 'no-labels.test.js',
    rule: 'no-labels',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'jmp: for(;;) { }', messages: ['Labeled statements are not supported.'] }],
  },
  {
    file: 'no-promise.test.js',
    rule: 'no-promise',
    typescript: false,
    valid: ['const a = new Array();'],
    invalid: [{ code: 'new Promise()', messages: ['Promise is not supported'] }],
  },
  {
    file: 'no-recursion.test.js',
    rule: 'no-recursion',
    typescript: true,
    valid: [
      `function blah (val) {

    }`,
    ],
    invalid: [
      {
        code: `function factorial(n: number): number {
        if (n === 0 || n === 1) {
          return 1;
        }
        return n * factorial(n - 1);
      }`,
        messages: [null],
      },
      {
        code: `
      function longCycleOne() {
        longCycleTwo()
      }

      function longCycleTwo() {
        longCycleThree()
      }

      // Function Expression
      var longCycleThree = function () {
        longCycleFour()
      }

      // Arrow function
      const longCycleFour = () => {
        longCycleOne()
      }
      `,
        messages: [
          'Recursive function calls not supported. Detected cycle in longCycleOne <-longCycleTwo <-longCycleThree <-longCycleFour <-longCycleOne',
          'Recursive function calls not supported. Detected cycle in longCycleTwo <-longCycleThree <-longCycleFour <-longCycleOne <-longCycleTwo',
          'Recursive function calls not supported. Detected cycle in longCycleThree <-longCycleFour <-longCycleOne <-longCycleTwo <-longCycleThree',
          'Recursive function calls not supported. Detected cycle in longCycleFour <-longCycleOne <-longCycleTwo <-longCycleThree <-longCycleFour',
        ],
      },
    ],
  },
  {
    file: 'no-regex.test.js',
    rule: 'no-regex',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'let regex = /.*?/', messages: ['Regex literals are not supported.'] }],
  },
  {
    file: 'no-this.test.js',
    rule: 'no-this',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'this.person', messages: ['This expressions are not supported.'] }],
  },
  {
    file: 'no-try.test.js',
    rule: 'no-try',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [{ code: 'try { } catch(err) { }', messages: ['Try statements are not supported.'] }],
  },
  {
    file: 'no-while.test.js',
    rule: 'no-while',
    typescript: false,
    valid: ['let valid = true'],
    invalid: [
      { code: 'while(true) { }', messages: ['While statements are not supported.'] },
      { code: 'do { } while(true)', messages: ['do...while statements are not supported.'] },
    ],
  },
  {
    file: 'no-yield.test.js',
    rule: 'no-yield',
    typescript: false,
    valid: ["console.log('hello');"],
    invalid: [
      {
        code: `
        function* foo (){
          let index = 0;
          while (index <= 2)
            yield index++;
        }
      `,
        messages: ['Yield statements are not supported'],
      },
    ],
  },
];

const javascript = (tests: PluginRuleTests, code: string) =>
  tests.typescript ? transformSync(code, { loader: 'ts' }).code : code;

const messagesOf = (tests: PluginRuleTests, code: string) =>
  checkResolverCode(javascript(tests, code), 'code.js')
    .filter((violation) => violation.rule === tests.rule)
    .map((violation) => violation.message);

const HANDLERS = '\nexport function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }';

for (const tests of RULES.filter((t) => !NOT_REFUSED.has(t.rule))) {
  const source = cite(pluginTest(tests.file));
  describe(tests.rule, () => {
    it.each(tests.valid.map((code, index) => ({ code, index: index + 1 })))(
      `valid #$index draws no ${tests.rule} (${source})`,
      ({ code }) => {
        expect(messagesOf(tests, code)).toEqual([]);
      },
    );

    it.each(tests.invalid.map((test, index) => ({ ...test, index: index + 1, errors: test.messages.length })))(
      `invalid #$index is refused as ${tests.rule} $errors time(s) (${source})`,
      ({ code, messages }) => {
        expect(messagesOf(tests, code)).toEqual(messages.map((message) => message ?? expect.any(String)));
      },
    );
  });
}

for (const tests of RULES.filter((t) => NOT_REFUSED.has(t.rule))) {
  const source = cite(pluginTest(tests.file));
  describe(`${tests.rule}, a recommended rule AppSync's runtime does not apply`, () => {
    const all = [
      ...tests.valid.map((code, index) => ({ code, label: `valid #${index + 1}` })),
      ...tests.invalid.map(({ code }, index) => ({ code, label: `invalid #${index + 1}` })),
    ];
    it.each(all)(`$label loads offline (${source})`, ({ code }) => {
      expect(checkResolverCode(javascript(tests, code), 'code.js')).toEqual([]);
      expect(() => probeResolver(javascript(tests, code) + HANDLERS)).not.toThrow();
    });
  });
}
