/**
 * AppSync's HTTP data source offline: sends the request object a resolver or function returns
 * to the data source's endpoint and hands the answer to the response handler as AppSync does.
 *
 * What AWS documents, and what this file does with it:
 *
 * - resolver-reference-http-js «Request»: the request object is
 *   `{ method: 'PUT' | 'POST' | 'GET' | 'DELETE' | 'PATCH', params?: { query?, headers?, body? },
 *   resourcePath: string }`. Any other method is refused; extra fields (the tutorial's
 *   `version: '2018-05-29'`) are ignored.
 * - «ResourcePath»: "Along with the endpoint in the HTTP data source, the resource path forms the
 *   URL" (`PUT <endpoint>/v1/users`). The endpoint has no path (HttpDataSourceSpec), so a path
 *   that does not start with `/` could only glue itself onto the host name: refused.
 * - «Params fields», headers: "Both the key and the value must be strings"; the supported
 *   `Content-Type`s are listed (SUPPORTED_CONTENT_TYPES); "You can't set the following HTTP
 *   headers: HOST, CONNECTION, USER-AGENT, EXPECTATION, TRANSFER_ENCODING, CONTENT_LENGTH".
 *   The page does not say what AppSync does with one anyway; offline refuses it, naming it, so
 *   nothing works here that may not work there.
 * - «Params fields», query: "Both the key and the value must be a string" (`?type=json`).
 * - «Params fields», body: "always a UTF-8 encoded string unless the content type specifies
 *   the charset". AWS's own type (`@aws-appsync/utils` HTTPRequest) takes `string | object`, and
 *   tutorial-http-resolvers-js «Configuring resolvers» sends `body: ctx.args.userInput`: an
 *   object is sent as its JSON text.
 * - tutorial-http-resolvers-js «Configuring resolvers»: the response handler reads
 *   `const { statusCode, body } = ctx.result`, `JSON.parse(body)` on a 200 and
 *   `util.appendError(body, statusCode)` otherwise: a non-2xx answer is a result, not an error.
 *   `ctx.error` (resolver-context-reference-js: `{ message, type }`) is for a call that got no
 *   answer. `@aws-appsync/utils` HTTPResult: `{ statusCode: number; headers?: Record<string,
 *   string>; body: string }`.
 * - AppSync quotas (general/latest/gr/appsync.html «Service quotas»): "Request execution time:
 *   30 Seconds" and "Resolvers, functions, and handlers response size: 5 Megabytes". A call
 *   is given at most the whole request's time, and a body at most 5,000,000 bytes (the lower
 *   reading of "5 Megabytes": refusing a little early never lets through what AWS refuses).
 *
 * Not documented, and chosen here: the `ctx.error` of a failed call (HTTP_ERROR_TYPE and a
 * message naming the failure but never the address: the caller may not learn where an
 * endpoint lives; the cause goes to `onFailure`, the server's log); query strings encoded as
 * `encodeURIComponent` does (a space is `%20`); response header names in lower case, repeated
 * ones joined with `, `; redirects not followed (the 3xx is the result).
 */
import { Agent, type Dispatcher } from 'undici';
import { httpEndpointProblem } from '../../contract/data-sources';
import { UnsupportedError } from '../errors';
import type { DataSource } from '../resolver-runtime';
import type { DataSourceResult } from './dynamodb';

/** The methods of resolver-reference-http-js «Method». */
const METHODS = ['PUT', 'POST', 'GET', 'DELETE', 'PATCH'] as const;
type Method = (typeof METHODS)[number];

/** resolver-reference-http-js «Params fields»: "Currently supported Content-Type headers". */
export const SUPPORTED_CONTENT_TYPES = [
  'text/*',
  'application/xml',
  'application/json',
  'application/soap+xml',
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
  'application/vnd.api+json',
  'application/x-ndjson',
] as const;

/**
 * "You can't set the following HTTP headers: HOST, CONNECTION, USER-AGENT, EXPECTATION,
 * TRANSFER_ENCODING, CONTENT_LENGTH", compared in lower case with `_` read as `-`; EXPECTATION
 * is taken to mean the `Expect` header as well as itself.
 */
const RESTRICTED_HEADERS = new Set([
  'host',
  'connection',
  'user-agent',
  'expect',
  'expectation',
  'transfer-encoding',
  'content-length',
]);

/** Hop-by-hop headers AppSync does not list but the HTTP client here cannot send. */
const UNSENDABLE_HEADERS = new Set(['keep-alive', 'upgrade']);

/** AppSync's request execution time (quotas page), the longest a call can take. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
/** AppSync's 5 MB response size (quotas page), read as 5,000,000 bytes. */
export const DEFAULT_MAX_RESPONSE_BYTES = 5_000_000;

/** `ctx.error.type` of a call that got no usable answer (AWS documents none; see the file comment). */
export const HTTP_ERROR_TYPE = 'HttpRequestException';

export interface HttpDataSourceOptions {
  /** The longest a call may take, connecting to the last byte of the body. @default 30_000 */
  readonly timeoutMs?: number;
  /** The largest response body taken; a larger one is a `ctx.error`. @default 5_000_000 */
  readonly maxResponseBytes?: number;
  /** Where connections come from (tests pass one); by default an Agent of its own, ended by close(). */
  readonly dispatcher?: Dispatcher;
  /** Told the cause of each failed call, which may carry the endpoint's address: for a log, not a caller. */
  readonly onFailure?: (cause: unknown) => void;
}

/** The HTTP request a request object describes, checked. */
interface HttpCall {
  readonly method: Method;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** The response handler's `ctx.result` (`@aws-appsync/utils` HTTPResult). */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Why a call got no answer the handler may read; `message` is what the caller sees. */
class CallFailed extends Error {}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_HEADER_VALUE = /[\r\n\0]/;
/** Characters a URL path may carry as they are (RFC 3986 pchar, `/`, `%` of an escape, `?` of a query). */
const PATH_UNSAFE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%?]/gu;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A request object AppSync would not send: a TypeError, which the runtime reports as a
 * `MappingTemplate` error (resolver-steps.ts). Fields are named in AppSync's path notation, as
 * in the troubleshooting page's "Value for field '$[operation]' not found."
 */
const invalid = (message: string) => new TypeError(message);

function checkMethod(value: unknown): Method {
  if (value === undefined || value === null) throw invalid("Value for field '$[method]' not found.");
  if (typeof value !== 'string' || !(METHODS as readonly string[]).includes(value)) {
    throw invalid(`Value for field '$[method]' must be one of ${METHODS.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as Method;
}

function checkResourcePath(value: unknown): string {
  if (value === undefined || value === null) throw invalid("Value for field '$[resourcePath]' not found.");
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw invalid(
      `Value for field '$[resourcePath]' must be a string starting with '/', got ${JSON.stringify(value)}.`,
    );
  }
  // Percent-encoded as UTF-8 where the path has a character a URL cannot carry (a space, é);
  // escapes already there are kept. A lone surrogate has no UTF-8 form.
  try {
    return value.replace(PATH_UNSAFE, (character) => encodeURIComponent(character));
  } catch {
    throw invalid("Value for field '$[resourcePath]' is not valid Unicode.");
  }
}

/** A map whose keys and values must all be strings ("Both the key and the value must be strings"). */
function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(`Value for field '${field}' must be an object of strings.`);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      throw invalid(
        `Value for field '${field}[${key}]' must be a string, got ${JSON.stringify(entry) ?? 'undefined'}.`,
      );
    }
  }
  return value as Record<string, string>;
}

function checkHeaders(value: unknown): Record<string, string> {
  const headers = stringMap(value, '$[params][headers]');
  for (const [name, headerValue] of Object.entries(headers)) {
    const normalised = name.toLowerCase().replaceAll('_', '-');
    if (!TOKEN.test(name)) throw invalid(`Header name ${JSON.stringify(name)} is not a valid HTTP header name.`);
    if (BAD_HEADER_VALUE.test(headerValue)) {
      throw invalid(`Value for field '$[params][headers][${name}]' may not contain line breaks or NUL.`);
    }
    if (RESTRICTED_HEADERS.has(normalised)) throw invalid(`AppSync does not let a resolver set the ${name} header.`);
    if (UNSENDABLE_HEADERS.has(normalised)) throw new UnsupportedError(`the HTTP request header ${name}`);
    if (normalised === 'content-type') checkContentType(headerValue);
  }
  return headers;
}

/** The media type of a Content-Type value, lower case, without parameters. */
const mediaType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** The `charset` parameter of a Content-Type value, lower case, or undefined. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return match?.[1]?.toLowerCase();
}

function checkContentType(value: string): void {
  const type = mediaType(value);
  if (type.startsWith('text/') || (SUPPORTED_CONTENT_TYPES as readonly string[]).includes(type)) return;
  throw invalid(
    `Content-Type ${JSON.stringify(value)} is not supported by AppSync's HTTP resolver (supported: ${SUPPORTED_CONTENT_TYPES.join(', ')}).`,
  );
}

/** Node's name for the charsets a body can be written in here. */
function bodyEncoding(charset: string | undefined): BufferEncoding {
  switch (charset) {
    case undefined:
    case 'utf-8':
    case 'utf8':
      return 'utf8';
    case 'iso-8859-1':
    case 'latin1':
    case 'us-ascii':
    case 'ascii':
      return 'latin1';
    case 'utf-16le':
      return 'utf16le';
    default:
      throw new UnsupportedError(`an HTTP request body in charset ${charset}`);
  }
}

function checkBody(value: unknown, contentType: string | undefined): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : undefined;
  if (text === undefined) {
    throw invalid(`Value for field '$[params][body]' must be a string or an object, got ${JSON.stringify(value)}.`);
  }
  return Buffer.from(text, bodyEncoding(charsetOf(contentType)));
}

/** The query string of `query`, keys in the order given. */
function queryString(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** Checks a request object against resolver-reference-http-js and makes the HTTP request of it. */
export function httpCall(request: Record<string, unknown>): HttpCall {
  const method = checkMethod(request.method);
  const resourcePath = checkResourcePath(request.resourcePath);
  if (request.params !== undefined && request.params !== null && !isObject(request.params)) {
    throw invalid("Value for field '$[params]' must be an object.");
  }
  const params = (request.params ?? {}) as Record<string, unknown>;
  const headers = checkHeaders(params.headers);
  const query = queryString(stringMap(params.query, '$[params][query]'));
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const body = checkBody(params.body, contentType);
  const path = query ? `${resourcePath}${resourcePath.includes('?') ? '&' : '?'}${query}` : resourcePath;
  return { method, path, headers, ...(body ? { body } : {}) };
}

/** Response headers as one string each (`@aws-appsync/utils` HTTPResult's Record<string, string>). */
function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body as text, in the charset its Content-Type names (UTF-8 when none, or one unknown). */
function decodeBody(bytes: Buffer, contentType: string | undefined): string {
  try {
    return new TextDecoder(charsetOf(contentType) ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** What the caller is told of a call that failed: the kind of failure, never the address. */
function failureMessage(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (error instanceof CallFailed) return error.message;
  if (timedOut) return `The HTTP endpoint did not answer within ${timeoutMs} ms.`;
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'The HTTP endpoint refused the connection.';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'The connection to the HTTP endpoint timed out.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return "The HTTP endpoint's host name could not be resolved.";
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'The HTTP endpoint closed the connection before answering.';
    default:
      return typeof code === 'string' && code.startsWith('ERR_TLS')
        ? 'The TLS handshake with the HTTP endpoint failed.'
        : 'The request to the HTTP endpoint failed.';
  }
}

export class HttpDataSource implements DataSource {
  readonly kind = 'HTTP';
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly dispatcher: Dispatcher;
  /** Only a dispatcher made here is closed here. */
  private readonly ownDispatcher: Agent | undefined;

  /** `endpoint` is `http(s)://host[:port]`, as AppSync's HttpConfig takes it (src/contract/data-sources.ts). */
  constructor(
    endpoint: string,
    private readonly options: HttpDataSourceOptions = {},
  ) {
    const problem = httpEndpointProblem(endpoint);
    if (problem) throw new Error(`HTTP data source endpoint ${problem}`);
    this.origin = new URL(endpoint).origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.ownDispatcher = options.dispatcher ? undefined : new Agent({ connect: { timeout: this.timeoutMs } });
    this.dispatcher = options.dispatcher ?? (this.ownDispatcher as Agent);
  }

  async invoke(request: Record<string, unknown>): Promise<DataSourceResult> {
    // Outside the try: an invalid request object is the resolver's error, not the endpoint's.
    const call = httpCall(request);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: controller.signal,
      });
      const bytes = await this.readBody(response);
      const headers = flatHeaders(response.headers);
      const result: HttpResult = {
        statusCode: response.statusCode,
        headers,
        body: decodeBody(bytes, headers['content-type']),
      };
      return { result };
    } catch (error) {
      this.options.onFailure?.(error);
      return {
        result: null,
        error: { type: HTTP_ERROR_TYPE, message: failureMessage(error, timedOut, this.timeoutMs) },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The whole body, or CallFailed past maxResponseBytes (read no further than that). */
  private async readBody(response: Dispatcher.ResponseData): Promise<Buffer> {
    const tooLarge = () =>
      new CallFailed(`The HTTP endpoint's response is larger than ${this.maxResponseBytes} bytes, AppSync's limit.`);
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      response.body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > this.maxResponseBytes) {
        response.body.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Ends the connections this data source opened (none to end when given a dispatcher). */
  async close(): Promise<void> {
    await this.ownDispatcher?.close();
  }
}
