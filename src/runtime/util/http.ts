/**
 * `util.http`: copying request headers, and custom response headers for the GraphQL operation.
 * https://docs.aws.amazon.com/appsync/latest/devguide/http-helpers-in-utils-http-js.html
 */
import { ResolverError } from '../errors';

/** "Copies the headers from the map, excluding the following restricted HTTP headers". */
const RESTRICTED = new Set([
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'keep-alive',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'content-length',
]);

/** "In addition to the list of restricted headers for copyHeaders(headers), header names cannot match any of the following". */
const NOT_SETTABLE = new Set([
  ...RESTRICTED,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
]);

/** "Header names can't start with the restricted prefixes x-amzn- or x-amz-." */
const RESTRICTED_PREFIXES = ['x-amzn-', 'x-amz-'];

/** "The size of custom response headers can't exceed 4 KB. This includes header names and values." */
export const RESPONSE_HEADERS_MAX_BYTES = 4096;

/** A header name HTTP accepts (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The custom headers of one GraphQL operation. "If you define a custom header with the same
 * name multiple times, the most recent definition appears in the response. All headers count
 * towards the header size limit regardless of naming."
 */
export class ResponseHeaders {
  private readonly values = new Map<string, { name: string; value: string }>();
  private bytes = 0;

  /** The headers to send, in the order they were first set. */
  entries(): [string, string][] {
    return [...this.values.values()].map(({ name, value }) => [name, value]);
  }

  /** Adds one header; a refusal comes back as the ResponseHeaderError AppSync adds to `errors`. */
  add(name: unknown, value: unknown): ResolverError | undefined {
    if (typeof name !== 'string' || name.trim() === '') return refusal('a response header needs a name');
    const lower = name.toLowerCase();
    if (NOT_SETTABLE.has(lower) || RESTRICTED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      return refusal(`the response header ${name} is restricted`);
    }
    if (!TOKEN.test(name)) return refusal(`${JSON.stringify(name)} is not a valid header name`);
    if (value === null || value === undefined) return refusal(`the response header ${name} has no value`);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (/[\r\n]/.test(text)) return refusal(`the value of the response header ${name} holds a line break`);
    // What HTTP lets a header value hold (RFC 9110 field-value: visible characters, spaces, tabs, obs-text).
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(text)) {
      return refusal(`the value of the response header ${name} holds a character HTTP headers cannot carry`);
    }
    const size = Buffer.byteLength(name) + Buffer.byteLength(text);
    if (this.bytes + size > RESPONSE_HEADERS_MAX_BYTES) {
      return refusal(`custom response headers are over ${RESPONSE_HEADERS_MAX_BYTES} bytes; ${name} was not added`);
    }
    this.bytes += size;
    this.values.set(lower, { name, value: text });
    return undefined;
  }
}

function refusal(message: string): ResolverError {
  return new ResolverError(message, 'ResponseHeaderError');
}

export function copyHeaders(headers: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (headers === null || typeof headers !== 'object') return out;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (!RESTRICTED.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** `util.http` for one invocation: response headers go to the operation's collection, refusals to its errors. */
export function createHttpUtil(
  current: () => { operation: { responseHeaders: ResponseHeaders }; appendedErrors: ResolverError[] },
) {
  const add = (name: unknown, value: unknown) => {
    const scope = current();
    const refused = scope.operation.responseHeaders.add(name, value);
    if (refused) scope.appendedErrors.push(refused);
  };
  return {
    copyHeaders,
    addResponseHeader(name: unknown, value: unknown): void {
      add(name, value);
    },
    addResponseHeaders(headers: unknown): void {
      if (headers === null || typeof headers !== 'object') {
        current().appendedErrors.push(refusal('util.http.addResponseHeaders expects a map of names to values'));
        return;
      }
      for (const [name, value] of Object.entries(headers as Record<string, unknown>)) add(name, value);
    },
  };
}
