/**
 * The built-in methods APPSYNC_JS does not implement, as @aws-appsync/eslint-plugin@2.0.2
 * lists them (`lib/rules/no-disallowed-methods.js`, DENIED_METHODS, verbatim). The plugin
 * names each by the TypeScript interface declaring it: `Array.keys` is `Array.prototype.keys`,
 * `ObjectConstructor.freeze` is `Object.freeze`. The load-time check refuses the calls it can
 * see without types (on the global `Object`, `Array`, `String`, or on a literal receiver);
 * the sandbox can refuse the rest at run time from the same list.
 */

export const DENIED_METHODS = [
  'Array.copyWithin',
  'Array.entries',
  'Array.from',
  'Array.group',
  'Array.groupToMap',
  'Array.keys',
  'Array.of',
  'Array.toLocaleString',
  'Array.toString',
  'Array.values',
  'ObjectConstructor.create',
  'ObjectConstructor.defineProperties',
  'ObjectConstructor.defineProperty',
  'ObjectConstructor.freeze',
  'ObjectConstructor.getOwnPropertyDescriptor',
  'ObjectConstructor.getOwnPropertyDescriptors',
  'ObjectConstructor.getOwnPropertyNames',
  'ObjectConstructor.getOwnPropertySymbols',
  'ObjectConstructor.getPrototypeOf',
  'ObjectConstructor.hasOwnProperty',
  'ObjectConstructor.is',
  'ObjectConstructor.isExtensible',
  'ObjectConstructor.isFrozen',
  'ObjectConstructor.isPrototypeOf',
  'ObjectConstructor.isSealed',
  'ObjectConstructor.preventExtensions',
  'ObjectConstructor.propertyIsEnumerable',
  'ObjectConstructor.seal',
  'ObjectConstructor.setPrototypeOf',
  'ObjectConstructor.toLocaleString',
  'ObjectConstructor.toString',
  'ObjectConstructor.valueOf',
  'String.charCodeAt',
  'String.fromCharCode',
  'String.fromCodePoint',
  'String.localeCompare',
  'String.matchAll',
  'String.padEnd',
  'String.padStart',
  'String.raw',
  'String.repeat',
  'String.search',
  'String.toLocaleLowerCase',
  'String.toLocaleUpperCase',
  'String.valueOf',
  'Date.setDate',
  'Date.setFullYear',
  'Date.setHours',
  'Date.setMilliseconds',
  'Date.setMinutes',
  'Date.setMonth',
  'Date.setSeconds',
  'Date.setTime',
  'Date.setUTCDate',
  'Date.setUTCFullYear',
  'Date.setUTCHours',
  'Date.setUTCMilliseconds',
  'Date.setUTCMinutes',
  'Date.setUTCMonth',
  'Date.setUTCSeconds',
  'Date.setYear',
  'Date.toGMTString',
  'Date.toLocaleDateString',
  'Date.toLocaleString',
  'Date.toLocaleTimeString',
] as const;

export type DeniedMethodName = (typeof DENIED_METHODS)[number];

/** A denied method placed on the object that carries it at run time. */
export interface DeniedMethod {
  /** The plugin's name for it, e.g. `ObjectConstructor.freeze`. */
  readonly name: DeniedMethodName;
  /** The global it belongs to. */
  readonly global: 'Array' | 'Date' | 'Object' | 'String';
  /** `constructor` for a static method (`Object.freeze`), `prototype` for an instance method (`[].keys()`). */
  readonly on: 'constructor' | 'prototype';
  readonly method: string;
  /**
   * True for the `ObjectConstructor` entries `Object` inherits from `Object.prototype`
   * (`toString`, `hasOwnProperty`, …): TypeScript resolves `Object.toString` to interface
   * `Object`, so the plugin's entry never matches, and every object has them.
   */
  readonly inherited: boolean;
}

/** The members every object has through `Object.prototype`. */
export const OBJECT_PROTOTYPE_MEMBERS: ReadonlySet<string> = new Set([
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/** Statics the plugin files under the instance interface (TypeScript declares them on `ArrayConstructor`/`StringConstructor`). */
const STATICS = new Set<string>([
  'Array.from',
  'Array.of',
  'String.fromCharCode',
  'String.fromCodePoint',
  'String.raw',
]);

/**
 * Denied entries AppSync's "Supported runtime features" page lists as supported: `String.raw()`
 * is under "String" there. The page's word wins (the plugin's entry can never match anyway:
 * TypeScript declares `raw` on `StringConstructor`), so it is neither refused at load nor
 * meant to be removed at run time.
 * https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 */
export const SUPPORTED_BY_THE_PAGE: ReadonlySet<DeniedMethodName> = new Set<DeniedMethodName>(['String.raw']);

/** Every denied method that APPSYNC_JS does not have, by where it lives. */
export const DENIED: readonly DeniedMethod[] = DENIED_METHODS.filter((name) => !SUPPORTED_BY_THE_PAGE.has(name)).map(
  (name) => {
    const [type, method] = name.split('.') as [string, string];
    const global = type === 'ObjectConstructor' ? 'Object' : (type as DeniedMethod['global']);
    const on = type === 'ObjectConstructor' || STATICS.has(name) ? 'constructor' : 'prototype';
    return {
      name,
      global,
      on,
      method,
      inherited: type === 'ObjectConstructor' && OBJECT_PROTOTYPE_MEMBERS.has(method),
    };
  },
);
