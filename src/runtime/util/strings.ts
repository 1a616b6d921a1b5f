/** `util` string helpers: encoding, escaping, matching, and `util.str`. */
import { LRUCache } from 'lru-cache';

/**
 * `util.matches(pattern, value)`: AppSync documents it as Java's Pattern. It is evaluated as
 * a whole-string match, as Java's `String.matches` (and VTL's `$util.matches`) do. Java
 * syntax that JavaScript lacks (possessive quantifiers, `\A`, `\Z`) is rejected by RegExp
 * and surfaces as an error rather than a silent mismatch.
 */
export function matches(pattern: string, value: string): boolean {
  return compiled(pattern).test(value);
}

/**
 * Compiled patterns, bounded by bytes: a resolver may build its pattern from a caller's input,
 * so every request could bring a new one. A compiled RegExp is estimated at 20 bytes per
 * pattern character plus 1 KiB; 4 MiB in all.
 */
const patternCache = new LRUCache<string, RegExp>({
  maxSize: 4 * 1024 * 1024,
  sizeCalculation: (_regex, pattern) => 1024 + pattern.length * 20,
});
function compiled(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, regex);
  }
  return regex;
}

/** application/x-www-form-urlencoded, as Java's URLEncoder (spaces become `+`). */
export function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function urlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

export function base64Encode(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

export function base64Decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Escapes a string for a JavaScript string literal (quotes, backslashes, control characters). */
export function escapeJavaScript(value: string): string {
  return JSON.stringify(value).slice(1, -1).replace(/'/g, "\\'");
}

const NORMALIZATION_FORMS = new Set(['nfc', 'nfd', 'nfkc', 'nfkd']);

export const strUtil = {
  normalize(value: string, form: string): string {
    const lower = String(form).toLowerCase();
    if (!NORMALIZATION_FORMS.has(lower)) {
      throw new TypeError(`util.str.normalize: unknown normalization form ${form} (nfc, nfd, nfkc or nfkd)`);
    }
    return value.normalize(lower.toUpperCase() as 'NFC');
  },
};
