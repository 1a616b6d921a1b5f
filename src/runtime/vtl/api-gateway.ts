/**
 * API Gateway mapping templates, offline: the variables API Gateway gives a template (`$input`,
 * `$util`, `$context`, `$stageVariables`) and rendering with velocityjs plus Java's string, list
 * and map methods. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
import { JSONPath } from 'jsonpath-plus';
import { Compile, parse } from 'velocityjs';
import { base64Decode, base64Encode, urlDecode, urlEncode } from '../util/strings';
import { JAVA_METHOD_HANDLERS } from './java-methods';

/** The request as the method received it. */
export interface MethodRequest {
  readonly httpMethod: string;
  /** The resource path template, e.g. `/drivers/{driverId}/score`. */
  readonly resourcePath: string;
  /** The path as requested. */
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly queryParameters: Readonly<Record<string, string>>;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sourceIp: string;
  readonly apiKey?: string;
  readonly requestId: string;
  /** When API Gateway received the request. */
  readonly receivedAt: Date;
}

export interface TemplateVariables {
  readonly request: MethodRequest;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  /** The payload `$input` reads: the method request's body in a request template, the integration's answer in a response template. */
  readonly payload: string;
}

/** What `#set($context.responseOverride.…)` left behind after a response template ran. */
export interface ResponseOverride {
  status?: number;
  header: Record<string, string>;
}

export interface RenderedTemplate {
  readonly output: string;
  readonly responseOverride: ResponseOverride;
}

/**
 * `$util.escapeJavaScript`: as Apache Commons Lang's StringEscapeUtils.escapeJavaScript, which
 * API Gateway's wording follows ("JavaScript string rules"; single quotes become `\'`, which AWS
 * notes is not valid JSON). Quotes, backslash and slash are escaped; control characters and every
 * UTF-16 unit above U+007F become `\uXXXX`.
 */
export function escapeJavaScript(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    const ch = value[i];
    if (c > 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (c < 0x20) out += CONTROL_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (ch === '"' || ch === "'" || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
const CONTROL_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/** `$input.path(x)`: the JSONPath `x` evaluated on the payload (an object, list or scalar). */
function jsonPath(payload: string, path: string): unknown {
  let json: unknown;
  try {
    json = payload === '' ? {} : JSON.parse(payload);
  } catch {
    return path === '$' ? payload : undefined;
  }
  const found = JSONPath({ path, json: json as object, wrap: false });
  return found === undefined ? undefined : found;
}

/** `$input.params(x)` looks in the path, then the query string, then the headers (API Gateway's order). */
function findParam(request: MethodRequest, name: string): string {
  if (Object.hasOwn(request.pathParameters, name)) return request.pathParameters[name];
  if (Object.hasOwn(request.queryParameters, name)) return request.queryParameters[name];
  const header = Object.keys(request.headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return header === undefined ? '' : request.headers[header];
}

/** `06/Feb/2019:07:12:42 +0000`, the CLF format of `$context.requestTime`. */
function clfTime(date: Date): string {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function variables(vars: TemplateVariables, override: ResponseOverride) {
  const { request } = vars;
  const input = {
    body: vars.payload,
    path: (path: string) => jsonPath(vars.payload, path),
    json: (path: string) => {
      const value = jsonPath(vars.payload, path);
      return value === undefined ? 'null' : JSON.stringify(value);
    },
    params: (name?: string) =>
      name === undefined
        ? {
            path: { ...request.pathParameters },
            querystring: { ...request.queryParameters },
            header: { ...request.headers },
          }
        : findParam(request, name),
  };
  const util = {
    escapeJavaScript: (value: unknown) => escapeJavaScript(String(value ?? '')),
    parseJson: (value: string) => JSON.parse(value),
    urlEncode: (value: string) => urlEncode(String(value)),
    urlDecode: (value: string) => urlDecode(String(value)),
    base64Encode: (value: string) => base64Encode(String(value)),
    base64Decode: (value: string) => base64Decode(String(value)),
  };
  const context = {
    requestId: request.requestId,
    extendedRequestId: request.requestId,
    requestTime: clfTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    httpMethod: request.httpMethod,
    resourcePath: request.resourcePath,
    path: `/${vars.stage}${request.path}`,
    stage: vars.stage,
    identity: { sourceIp: request.sourceIp, apiKey: request.apiKey ?? '', userAgent: findParam(request, 'user-agent') },
    responseOverride: override,
  };
  return { input, util, context, stageVariables: { ...vars.stageVariables } };
}

const compiled = new Map<string, Compile>();

/** Renders a mapping template the way API Gateway does; templates are parsed once and reused. */
export function renderMappingTemplate(template: string, vars: TemplateVariables): RenderedTemplate {
  let program = compiled.get(template);
  if (!program) {
    program = new Compile(parse(template), { customMethodHandlers: JAVA_METHOD_HANDLERS });
    compiled.set(template, program);
  }
  const responseOverride: ResponseOverride = { header: {} };
  const output = program.render(variables(vars, responseOverride));
  return { output, responseOverride };
}
