/**
 * The APPSYNC_JS realm: a V8 context whose built-ins behave as AppSync's runtime documents
 * them, so code that only works thanks to a full JavaScript engine fails offline as it
 * would on AWS.
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 *
 * - `JSON.parse` "Returns a blank string if the parsed string is not valid JSON."
 * - `Array.prototype.sort()` "doesn't support arguments."
 * - "The apply, bind, and call methods [are not] supported."
 * - the methods AWS's own lint rule lists as not implemented (@aws-appsync/eslint-plugin,
 *   no-disallowed-methods) throw when called, naming the method as that rule does.
 *
 * Values cross into the realm as JSON (`fromHost`), so objects a handler receives (ctx and
 * everything in it) have the realm's prototypes, patched methods included.
 */
import vm from 'node:vm';
import { DENIED } from './code-check/denied-methods';

/**
 * Left callable although AWS's rule lists them: the engine calls toString/valueOf/toLocaleString
 * itself (string concatenation, template literals), so replacing them would break code that
 * never names them; the `ObjectConstructor` members every object inherits stay for the same
 * reason. The load-time check still refuses the calls it can see.
 */
const IMPLICITLY_CALLED = new Set(['toString', 'valueOf', 'toLocaleString']);

/** [owner path in the realm, method name, the rule's name for it] for each method to replace. */
function deniedInRealm(): [string, string, string][] {
  return DENIED.filter((denied) => !denied.inherited && !IMPLICITLY_CALLED.has(denied.method)).map((denied) => [
    denied.on === 'prototype' ? `${denied.global}.prototype` : denied.global,
    denied.method,
    denied.name,
  ]);
}

export interface Realm {
  readonly context: vm.Context;
  /** A copy of a JSON-compatible host value made of the realm's own objects and arrays. */
  fromHost<T>(value: T): T;
  /** A host value as code in the realm may hold it (see createRealm). */
  expose(value: unknown): unknown;
  /** Applies the APPSYNC_JS restrictions; called once the module's top-level code has run. */
  restrict(): void;
}

/**
 * Runs inside the realm. Written as source text because the functions it installs must be
 * the realm's own; it captures what it needs before replacing anything.
 */
const RESTRICT = `(function restrict(denied) {
  'use strict';
  const apply = Reflect.apply;
  const define = Object.defineProperty;
  const parse = JSON.parse;
  const sort = Array.prototype.sort;
  const TypeErrorOf = TypeError;
  const replace = (owner, name, fn) => define(owner, name, { value: fn, writable: true, configurable: true, enumerable: false });
  replace(JSON, 'parse', function parse_(text) {
    try { return apply(parse, JSON, [text]); } catch (e) { return ''; }
  });
  replace(Array.prototype, 'sort', function sort_() {
    if (arguments.length > 0) throw new TypeErrorOf('Array.prototype.sort() does not support arguments in APPSYNC_JS');
    return apply(sort, this, []);
  });
  for (const name of ['apply', 'bind', 'call']) {
    replace(Function.prototype, name, function unsupported() {
      throw new TypeErrorOf('Function.prototype.' + name + ' is not supported in APPSYNC_JS');
    });
  }
  for (const [ownerPath, name, label] of denied) {
    const owner = ownerPath.split('.').reduce((o, k) => o[k], globalThis);
    if (typeof owner[name] !== 'function') continue;
    replace(owner, name, function notImplemented() {
      throw new TypeErrorOf('Method ' + label + ' is not implemented');
    });
  }
})`;

/**
 * Copies a JSON-compatible host value into the realm, as a JSON round trip would (undefined and
 * functions left out of objects, null in arrays) but without printing and parsing: measured at
 * about a fifth of the round trip's cost for a resolver's ctx. Runs inside the realm, so the
 * objects it makes are the realm's; it captures what it uses before `restrict` runs.
 */
const COPY = `(function () {
  'use strict';
  const isArray = Array.isArray;
  const keys = Object.keys;
  const define = Object.defineProperty;
  const copy = (value) => {
    if (value === null || typeof value !== 'object') return value;
    if (typeof value.toJSON === 'function') return copy(value.toJSON());
    if (isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i = i + 1) {
        const item = value[i];
        out.push(item === undefined || typeof item === 'function' ? null : copy(item));
      }
      return out;
    }
    const out = {};
    for (const key of keys(value)) {
      const member = value[key];
      if (member === undefined || typeof member === 'function') continue;
      if (key === '__proto__') define(out, key, { value: copy(member), writable: true, enumerable: true, configurable: true });
      else out[key] = copy(member);
    }
    return out;
  };
  return copy;
})()`;

/**
 * Makes a realm function that calls a host function and copies its result into the realm. The
 * host function stays out of reach (its `constructor` is the host's Function, which may compile
 * strings: reaching it would be an escape from the sandbox).
 */
const ADOPT = `(function (copy) {
  'use strict';
  return (f) => function (...args) { return copy(f(...args)); };
})`;

/** Members every object inherits; a namespace object never hands them out (`util.constructor`). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function createRealm(name: string, globals: Record<string, unknown>): Realm {
  const context = vm.createContext({}, { name, codeGeneration: { strings: false, wasm: false } });
  const copy = vm.runInContext(COPY, context) as <T>(value: T) => T;
  const adopt = (vm.runInContext(ADOPT, context) as (c: typeof copy) => (f: unknown) => unknown)(copy);
  const exposed = new WeakMap<object, unknown>();

  /**
   * What code in the realm may hold of a host value: data copied in, functions adopted, and
   * objects (util, the modules, console) behind a membrane that hands out only their own
   * members, each exposed in turn, and has no prototype to climb.
   */
  const expose = (value: unknown): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    let found = exposed.get(value);
    if (found === undefined) {
      found =
        typeof value === 'function'
          ? adopt(value)
          : new Proxy(value, {
              get(target, prop) {
                if (typeof prop === 'symbol') return undefined;
                if (!Object.hasOwn(target, prop) && INHERITED.has(prop)) return undefined;
                // A member the target lacks: the target's own proxy says what (unsupported, or absent).
                return expose(Reflect.get(target, prop));
              },
              getPrototypeOf: () => null,
              set: () => false,
              defineProperty: () => false,
              deleteProperty: () => false,
              setPrototypeOf: () => false,
            });
      exposed.set(value, found);
    }
    return found;
  };
  for (const [key, value] of Object.entries(globals)) context[key] = expose(value);
  let restricted = false;
  return {
    context,
    fromHost: copy,
    expose,
    restrict() {
      if (restricted) return;
      restricted = true;
      const restrictFn = vm.runInContext(RESTRICT, context) as (denied: unknown) => void;
      restrictFn(copy(deniedInRealm()));
    },
  };
}
