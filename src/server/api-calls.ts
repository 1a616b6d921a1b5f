/**
 * Records every API call (GraphQL and REST) once answered: a line in the access log and the
 * request metrics. Routes are named by resource; handlers add what only they know (the GraphQL
 * fields asked, the driverIds, the error type) with `describeCall`.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessLogWriter } from '../observability/access-log';
import type { ApiCall } from '../observability/api-call';
import type { DriverIdHasher } from '../observability/driver-id-hash';
import type { ServiceMetrics } from '../observability/metrics';
import type { ApiName } from '../sla/report-model';

export interface CallDescription {
  api: ApiName;
  resource: string;
  driverIds?: readonly string[];
  errorType?: string;
}

export interface ApiCallRecording {
  readonly stage: string;
  readonly hashDriverId: DriverIdHasher;
  readonly accessLog?: AccessLogWriter;
  readonly metrics?: ServiceMetrics;
}

/** What is known of a call while it runs; a plain class, so every call has the same shape. */
class CallInProgress implements CallDescription {
  driverIds?: readonly string[];
  errorType?: string;
  readonly arrived = Date.now();
  readonly startedAt = process.hrtime.bigint();

  constructor(
    public api: ApiName,
    public resource: string,
  ) {}
}

const calls = new WeakMap<FastifyRequest, CallInProgress>();

/** Adds to (or corrects) what is known about the call `request` makes. */
export function describeCall(request: FastifyRequest, details: Partial<CallDescription>): void {
  const call = calls.get(request);
  if (call) Object.assign(call, details);
}

/** `Forbidden` for 403, `ServiceUnavailable` for 503: a REST error's type when the answer names none. */
function statusErrorType(status: number): string {
  return (STATUS_CODES[status] ?? `Http${status}`).replace(/[^A-Za-z]/g, '');
}

function responseBytes(reply: FastifyReply): number {
  const length = Number(reply.getHeader('content-length'));
  return Number.isFinite(length) ? length : 0;
}

type Hook<T> = T | T[] | undefined;
const hooks = <T>(existing: Hook<T>, added: T): T[] =>
  existing === undefined ? [added] : Array.isArray(existing) ? [...existing, added] : [existing, added];

/**
 * Hooks the recording into `app`'s API routes, which must be added after this call. `routes`
 * maps each API route's URL (as Fastify knows it) to its API and resource; other routes
 * (explorer, health, metrics) are not API calls. The hooks are attached to those routes alone
 * (onRoute), so other requests pay nothing and no request looks its route up.
 */
export function recordApiCalls(
  app: FastifyInstance,
  recording: ApiCallRecording,
  routes: ReadonlyMap<string, { api: ApiName; resource: string }>,
): void {
  const finish = (request: FastifyRequest, reply: FastifyReply | undefined, status: number) => {
    const call = calls.get(request);
    if (!call) return;
    calls.delete(request);
    const latencyMs = Math.round(Number(process.hrtime.bigint() - call.startedAt) / 10_000) / 100;
    const named = reply?.getHeader('x-amzn-errortype');
    const errorType =
      call.errorType ?? (status >= 400 ? String(named ?? statusErrorType(status)).split(':')[0] : undefined);
    // Undefined fields are left out of the JSON line.
    const record: ApiCall = {
      time: new Date(call.arrived).toISOString(),
      requestId: request.id,
      stage: recording.stage,
      api: call.api,
      method: request.method,
      resource: call.resource,
      sourceIp: request.ip,
      status,
      errorType,
      latencyMs,
      responseBytes: reply ? responseBytes(reply) : 0,
      driverIdHashes: call.driverIds?.length ? call.driverIds.map(recording.hashDriverId) : undefined,
      userAgent: request.headers['user-agent'],
    };
    recording.accessLog?.write(record);
    recording.metrics?.finished(record);
  };

  app.addHook('onRoute', (options) => {
    const route = routes.get(options.url);
    if (!route) return;
    // Callback-style hooks: async ones cost a promise per hook per request.
    options.onRequest = hooks(options.onRequest, (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      calls.set(request, new CallInProgress(route.api, route.resource));
      recording.metrics?.started(route.api);
      done();
    });
    options.onResponse = hooks(options.onResponse, (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      finish(request, reply, reply.statusCode);
      done();
    });
    // A client that hangs up before the answer (no onResponse follows): logged with nginx's 499,
    // so the call is neither lost nor counted a success, and the in-flight gauge comes back down.
    options.onRequestAbort = hooks(options.onRequestAbort, (request: FastifyRequest, done: () => void) => {
      describeCall(request, { errorType: 'ClientClosedRequest' });
      finish(request, undefined, 499);
      done();
    });
  });
}
