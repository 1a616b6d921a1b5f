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

interface CallInProgress extends CallDescription {
  readonly arrived: number;
  readonly startedAt: bigint;
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

/**
 * Hooks the recording into `app`. `routes` maps each API route's URL (as Fastify knows it) to its
 * API and resource; other routes (explorer, health, metrics) are not API calls.
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
    const record: ApiCall = {
      time: new Date(call.arrived).toISOString(),
      requestId: request.id,
      stage: recording.stage,
      api: call.api,
      method: request.method,
      resource: call.resource,
      sourceIp: request.ip,
      status,
      ...(errorType ? { errorType } : {}),
      latencyMs,
      responseBytes: reply ? responseBytes(reply) : 0,
      ...(call.driverIds?.length ? { driverIdHashes: call.driverIds.map(recording.hashDriverId) } : {}),
      ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
    };
    recording.accessLog?.write(record);
    recording.metrics?.finished(record);
  };

  app.addHook('onRequest', async (request) => {
    const route = routes.get(request.routeOptions.url ?? '');
    if (!route) return;
    calls.set(request, { ...route, arrived: Date.now(), startedAt: process.hrtime.bigint() });
    recording.metrics?.started(route.api);
  });
  app.addHook('onResponse', async (request, reply) => finish(request, reply, reply.statusCode));
  // A client that hangs up before the answer (no onResponse follows): logged with nginx's 499,
  // so the call is neither lost nor counted a success, and the in-flight gauge comes back down.
  app.addHook('onRequestAbort', async (request) => {
    describeCall(request, { errorType: 'ClientClosedRequest' });
    finish(request, undefined, 499);
  });
}
