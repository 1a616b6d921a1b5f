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
 * The realm is also the sandbox. Nothing of the host is reachable from it: data is copied in
 * (`fromHost`), so everything a handler holds has the realm's prototypes; util, the modules and
 * console sit behind a membrane (`expose`); arguments going out to the host are copied to host
 * data and host errors coming back are replaced by realm errors, so no host object (whose
 * constructor chain ends at a Function that compiles strings) is ever in the code's hands.
 * Globals AppSync lacks and that could run code later (Promise, WebAssembly, Atomics, …) are
 * removed, and a handler runs under a time limit.
 */
import vm from 'node:vm';
import { DENIED } from './code-check/denied-methods';
import { Deferred } from './deferred';

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
  /**
   * fromHost for a data source's result: a top-level Deferred member is computed only when the
   * code touches it (reads it, asks for its descriptor, enumerates it with its value, redefines
   * it), so an unread nextToken is never sealed. The code sees an object like any other.
   */
  fromHostResult(value: unknown): unknown;
  /** A host value as code in the realm may hold it (see createRealm). */
  expose(value: unknown): unknown;
  /** The host error a realm stand-in was made for; anything else unchanged. */
  hostError(error: unknown): unknown;
  /** A realm error standing in for a host one (the runtime gets the original back with hostError). */
  toRealmError(error: unknown): unknown;
  /**
   * JSON text of a value the code made, by the realm's own JSON.stringify (taken before the code
   * ran) under the time limit: getters are the code's and run as its code runs. Throws the
   * realm's TypeError for a cycle or a BigInt.
   */
  stringify(value: unknown, timeoutMs: number | undefined): string | undefined;
  /**
   * Calls a realm function with realm arguments, stopped after `timeoutMs` when one is given
   * (ERR_SCRIPT_EXECUTION_TIMEOUT). The limit costs a watchdog thread per call, some 85 µs: fine
   * for EvaluateCode and loading, too much for every field of a running API.
   */
  run(f: unknown, args: readonly unknown[], timeoutMs: number | undefined): unknown;
  /** Applies the APPSYNC_JS restrictions; called before the module's top-level code runs. */
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
  const replace = (owner, name, fn) => define(owner, name, { value: fn, writable: false, configurable: false, enumerable: false });
  // A stack formatter of the code's own would be handed the host's CallSite objects.
  define(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  define(Error, 'stackTraceLimit', { value: 10, writable: false, configurable: false });
  // Not in APPSYNC_JS ("promises are not supported"), and each could run code after the handler.
  for (const name of ['Promise', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry', 'WeakRef', 'eval']) {
    delete globalThis[name];
  }
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
/**
 * How deep a value copied into the realm may nest. DynamoDB allows 32 levels and a GraphQL
 * request is bounded by its size; deeper is a malformed input, refused with a TypeError rather
 * than a stack overflow.
 */
export const MAX_DEPTH = 1000;

const COPY = `(function () {
  'use strict';
  const isArray = Array.isArray;
  const keys = Object.keys;
  const define = Object.defineProperty;
  const TypeErrorOf = TypeError;
  const copy = (value, depth = 0) => {
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value === null || typeof value !== 'object') return value;
    if (depth > ${MAX_DEPTH}) throw new TypeErrorOf('the value nests deeper than ${MAX_DEPTH} levels');
    if (typeof value.toJSON === 'function') return copy(value.toJSON(), depth + 1);
    if (isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i = i + 1) {
        const item = value[i];
        out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : copy(item, depth + 1);
      }
      return out;
    }
    const out = {};
    for (const key of keys(value)) {
      const member = value[key];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      if (key === '__proto__') define(out, key, { value: copy(member, depth + 1), writable: true, enumerable: true, configurable: true });
      else out[key] = copy(member, depth + 1);
    }
    return out;
  };
  return copy;
})()`;

/**
 * Makes a realm function standing for a host function: it hands its arguments to `invoke` (host
 * code that copies them to host data and calls the function), copies the result into the realm,
 * and throws a realm error in place of a host one. The host function stays out of reach.
 */
const ADOPT = `(function (copy, invoke, toRealmError) {
  'use strict';
  return (f) => function (...args) {
    try { return copy(invoke(f, args)); } catch (e) { throw toRealmError(e); }
  };
})`;

/**
 * Wraps a realm object whose members named in `keys` hold placeholders: the first trap that
 * needs such a member's value asks the host (`resolve`) and writes it in; writing or deleting
 * the member first drops it unasked. Every other trap, and reads of the other members, go
 * straight to the object, so keys, order, prototype and descriptors are a plain object's.
 * Everything it uses is captured here, before the code could replace it (Object.create is one
 * of the methods APPSYNC_JS lacks).
 */
const DEFER = `(function () {
  'use strict';
  const ProxyOf = Proxy;
  const create = Object.create;
  const R = Reflect;
  const get = R.get;
  const set = R.set;
  const own = R.getOwnPropertyDescriptor;
  const define = R.defineProperty;
  const remove = R.deleteProperty;
  return (target, keys, resolve) => {
    const pending = create(null);
    for (let i = 0; i < keys.length; i = i + 1) pending[keys[i]] = true;
    const isPending = (key) => typeof key === 'string' && key in pending;
    const settle = (key) => {
      if (!isPending(key)) return;
      delete pending[key];
      target[key] = resolve(key);
    };
    const proxy = new ProxyOf(target, {
      get(t, key, receiver) { settle(key); return get(t, key, receiver); },
      getOwnPropertyDescriptor(t, key) { settle(key); return own(t, key); },
      // Writing or deleting the member itself needs no value: the placeholder goes unread.
      set(t, key, value, receiver) { if (receiver === proxy && isPending(key)) delete pending[key]; return set(t, key, value, receiver); },
      defineProperty(t, key, descriptor) { settle(key); return define(t, key, descriptor); },
      deleteProperty(t, key) { if (isPending(key)) delete pending[key]; return remove(t, key); },
    });
    return proxy;
  };
})()`;

/** Runs a realm function on realm arguments as a script, so vm's time limit applies. */
const RUN_FUNCTION = '\u0000appsync.run.f';
const RUN_ARGUMENTS = '\u0000appsync.run.a';
const RUN = `globalThis[${JSON.stringify(RUN_FUNCTION)}](...globalThis[${JSON.stringify(RUN_ARGUMENTS)}])`;

/** Members every object inherits; a namespace object never hands them out (`util.constructor`). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Copies arguments from the realm to host data (JSON's), keeping an undefined argument undefined. */
function toHostArguments(args: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const text = args[i] === undefined ? undefined : JSON.stringify(args[i]);
    out.push(text === undefined ? undefined : JSON.parse(text));
  }
  return out;
}

export function createRealm(name: string, globals: Record<string, unknown>): Realm {
  // A prototype-less sandbox object: a global the code reads that the realm lacks is looked up
  // on it, and a host {} would hand out the host's Object as `constructor`.
  const context = vm.createContext(Object.create(null), { name, codeGeneration: { strings: false, wasm: false } });
  const copy = vm.runInContext(COPY, context) as <T>(value: T) => T;
  // A stand-in is only ever unwound through: code cannot catch it (the load-time check refuses
  // `try`), and the runtime takes the host original back. So it is an error of the realm made
  // without `new Error`, whose stack capture cost ~26 µs per runtime.earlyReturn under load
  // (every pipeline's authorize step returns early).
  const realmError = vm.runInContext(
    `(() => {
      const create = Object.create;
      const errorPrototype = Error.prototype;
      return (name, message) => { const e = create(errorPrototype); e.name = name; e.message = message; return e; };
    })()`,
    context,
  ) as (name: string, message: string) => object;
  const realmList = vm.runInContext('(...items) => items', context) as (...items: unknown[]) => unknown[];
  const realmStringify = vm.runInContext('JSON.stringify', context) as (value: unknown) => string | undefined;
  /** Host errors the code got a realm stand-in for, to give the runtime back the original. */
  const hostErrors = new WeakMap<object, unknown>();
  const toRealmError = (error: unknown): unknown => {
    const e = error as { name?: unknown; message?: unknown };
    const standIn = realmError(String(e?.name ?? 'Error'), String(e?.message ?? error));
    hostErrors.set(standIn, error);
    return standIn;
  };
  const invoke = (f: (...a: unknown[]) => unknown, args: unknown[]) => f(...toHostArguments(args));
  const adopt = (
    vm.runInContext(ADOPT, context) as (
      c: typeof copy,
      i: typeof invoke,
      t: typeof toRealmError,
    ) => (f: unknown) => unknown
  )(copy, invoke, toRealmError);
  const exposed = new WeakMap<object, unknown>();

  /**
   * What code in the realm may hold of a host value: data copied in, functions adopted, and
   * objects (util, the modules, console) behind a membrane over a prototype-less shadow that
   * hands out only the target's own members, each exposed in turn.
   */
  const expose = (value: unknown): unknown => {
    if (typeof value === 'function') return exposedOnce(value, () => adopt(value));
    if (value === null || typeof value !== 'object') return value;
    return exposedOnce(value, () => membrane(value));
  };
  const exposedOnce = (value: object, make: () => unknown) => {
    let found = exposed.get(value);
    if (found === undefined) {
      found = make();
      exposed.set(value, found);
    }
    return found;
  };
  const member = (target: object, prop: string | symbol): unknown => {
    if (typeof prop === 'symbol') return undefined;
    if (!Object.hasOwn(target, prop) && INHERITED.has(prop)) return undefined;
    try {
      // A member the target lacks: the target's own proxy says what (unsupported, or absent).
      return expose(Reflect.get(target, prop));
    } catch (error) {
      throw toRealmError(error);
    }
  };
  const membrane = (target: object) =>
    new Proxy(Object.create(null) as object, {
      get: (_shadow, prop) => member(target, prop),
      has: (_shadow, prop) => typeof prop === 'string' && Object.hasOwn(target, prop),
      ownKeys: () => Object.keys(target),
      getOwnPropertyDescriptor: (_shadow, prop) =>
        typeof prop === 'string' && Object.hasOwn(target, prop)
          ? { value: member(target, prop), writable: false, enumerable: true, configurable: true }
          : undefined,
      getPrototypeOf: () => null,
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      setPrototypeOf: () => false,
      preventExtensions: () => false,
    });

  const deferring = vm.runInContext(DEFER, context) as (
    target: unknown,
    keys: readonly string[],
    resolve: (key: string) => unknown,
  ) => unknown;
  const fromHostResult = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return copy(value);
    const members = value as Record<string, unknown>;
    const keys = Object.keys(members).filter((key) => members[key] instanceof Deferred);
    if (keys.length === 0) return copy(value);
    const placeholders = { ...members };
    for (const key of keys) placeholders[key] = null;
    // What the host hands back is copied in like any host value (a token is a string).
    return deferring(copy(placeholders), keys, (key) => copy((members[key] as Deferred<unknown>).value));
  };

  for (const [key, value] of Object.entries(globals)) context[key] = expose(value);
  const runScript = new vm.Script(RUN, { filename: 'appsync-runtime' });
  let restricted = false;
  return {
    context,
    fromHost: copy,
    fromHostResult,
    expose,
    toRealmError,
    hostError: (error) => (error !== null && typeof error === 'object' ? (hostErrors.get(error) ?? error) : error),
    stringify(value, timeoutMs) {
      return this.run(realmStringify, [value], timeoutMs) as string | undefined;
    },
    run(f, args, timeoutMs) {
      if (timeoutMs === undefined) return (f as (...a: unknown[]) => unknown)(...args);
      // Left out of Object.keys(globalThis): the code sees the globals AppSync gives it, no more.
      Object.defineProperty(context, RUN_FUNCTION, { value: f, enumerable: false, configurable: true });
      Object.defineProperty(context, RUN_ARGUMENTS, {
        value: realmList(...args),
        enumerable: false,
        configurable: true,
      });
      try {
        return runScript.runInContext(context, { timeout: timeoutMs });
      } finally {
        delete context[RUN_FUNCTION];
        delete context[RUN_ARGUMENTS];
      }
    },
    restrict() {
      if (restricted) return;
      restricted = true;
      const restrictFn = vm.runInContext(RESTRICT, context) as (denied: unknown) => void;
      restrictFn(copy(deniedInRealm()));
    },
  };
}
