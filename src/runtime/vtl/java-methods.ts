/**
 * The Java methods mapping templates call on values. API Gateway runs templates with Apache
 * Velocity on the JVM, where `$s.matches(…)`, `$list.isEmpty()` and `$map.containsKey(…)` are
 * java.lang.String, java.util.List and java.util.Map methods. velocityjs evaluates templates on
 * JavaScript values, which lack these methods, so each is supplied here as a velocityjs custom
 * method handler with Java's behaviour (whole-string `matches`, Java replacement syntax in
 * `replaceAll`, `length()` as a method).
 */
import { matches } from '../util/strings';

interface MethodCall {
  property: string;
  params: unknown[];
  context: unknown;
}

export interface MethodHandler {
  uid: string;
  match(call: MethodCall): boolean;
  resolve(call: MethodCall): unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: template arguments are whatever the template passes
type Method<T> = (self: T, ...args: any[]) => unknown;

/** Java's trim() removes characters up to U+0020 from both ends, and nothing else. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start += 1;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end -= 1;
  return s.slice(start, end);
}

const javaRegex = (pattern: string, flags = 'gu') => new RegExp(pattern, flags);

/** Java's replacement string: `$1` and `${name}` refer to groups, `\` escapes the next character. */
function javaReplacement(replacement: string): string {
  return replacement.replace(
    /\\(.)|\$(\d+|\{\w+\})|\$/g,
    (_whole, escaped: string | undefined, group: string | undefined) => {
      if (escaped !== undefined) return escaped === '$' ? '$$' : escaped;
      if (group !== undefined) return group.startsWith('{') ? `$<${group.slice(1, -1)}>` : `$${group}`;
      throw new TypeError(`illegal group reference in replacement "${replacement}"`);
    },
  );
}

const STRING_METHODS: Record<string, Method<string>> = {
  matches: (s, pattern: string) => matches(pattern, s),
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  equals: (s, other) => s === other,
  equalsIgnoreCase: (s, other) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  contains: (s, part: string) => s.includes(String(part)),
  startsWith: (s, prefix: string) => s.startsWith(prefix),
  endsWith: (s, suffix: string) => s.endsWith(suffix),
  indexOf: (s, part: string) => s.indexOf(part),
  lastIndexOf: (s, part: string) => s.lastIndexOf(part),
  charAt: (s, index: number) => {
    if (index < 0 || index >= s.length) throw new RangeError(`String index out of range: ${index}`);
    return s.charAt(index);
  },
  substring: (s, begin: number, end?: number) => {
    const stop = end ?? s.length;
    if (begin < 0 || stop > s.length || begin > stop)
      throw new RangeError(`begin ${begin}, end ${stop}, length ${s.length}`);
    return s.substring(begin, stop);
  },
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  concat: (s, other: string) => s + other,
  replace: (s, target: string, replacement: string) => s.split(String(target)).join(String(replacement)),
  replaceAll: (s, pattern: string, replacement: string) => s.replace(javaRegex(pattern), javaReplacement(replacement)),
  replaceFirst: (s, pattern: string, replacement: string) =>
    s.replace(javaRegex(pattern, 'u'), javaReplacement(replacement)),
  // Java drops trailing empty strings when no limit is given.
  split: (s, pattern: string) => {
    const parts = s.split(javaRegex(pattern));
    while (parts.length > 1 && parts.at(-1) === '') parts.pop();
    return parts;
  },
  toString: (s: string) => s,
};

/** How Java prints a value: maps as `{k=v, …}`, lists as `[a, b]` (AbstractMap/AbstractCollection.toString). */
export function javaToString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaToString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  toString: (list: unknown[]) => javaToString(list),
  size: (list) => list.length,
  isEmpty: (list) => list.length === 0,
  get: (list, index: number) => {
    if (index < 0 || index >= list.length)
      throw new RangeError(`Index ${index} out of bounds for length ${list.length}`);
    return list[index];
  },
  contains: (list, value) => list.includes(value),
  indexOf: (list, value) => list.indexOf(value),
};

const MAP_METHODS: Record<string, Method<Record<string, unknown>>> = {
  toString: (map: Record<string, unknown>) => javaToString(map),
  size: (map) => Object.keys(map).length,
  isEmpty: (map) => Object.keys(map).length === 0,
  // undefined, not null: Velocity prints a reference that yields null as its own text.
  get: (map, key: string) => (Object.hasOwn(map, key) ? map[key] : undefined),
  containsKey: (map, key: string) => Object.hasOwn(map, key),
  keySet: (map) => Object.keys(map),
  values: (map) => Object.values(map),
};

function handlers<T>(
  kind: string,
  test: (value: unknown) => value is T,
  methods: Record<string, Method<T>>,
): MethodHandler {
  return {
    uid: `java-${kind}`,
    match: (call) => test(call.context) && Object.hasOwn(methods, call.property),
    resolve: (call) => methods[call.property](call.context as T, ...call.params),
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value !== 'function';

/** velocityjs `customMethodHandlers` giving strings, lists and maps their Java methods. */
export const JAVA_METHOD_HANDLERS: MethodHandler[] = [
  handlers('string', (v): v is string => typeof v === 'string', STRING_METHODS),
  handlers('list', Array.isArray, LIST_METHODS),
  handlers('map', isPlainObject, MAP_METHODS),
];
