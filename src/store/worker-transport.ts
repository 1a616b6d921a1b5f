/**
 * An AWS SDK v3 request handler that delivers DynamoDB HTTP requests to the embedded store's
 * worker over its message port instead of loopback TCP. Everything above the transport (the
 * SDK's serialisation, signing, retries, error parsing) runs unchanged.
 *
 * Why not the loopback port: measured on the 2-core bench machine, socket writes and HTTP
 * parsing on both sides cost about a fifth of the CPU of each GraphQL request.
 */
import type { Worker } from 'node:worker_threads';
import { type HttpHandler, HttpResponse } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/types';

export interface WorkerRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WorkerReply {
  id: number;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Decodes the SDK's body bytes. Not Buffer.from(body): the SDK's JSON bodies are Uint8Arrays
 * that override valueOf(), which Buffer.from calls, and the SDK warns about that use.
 */
function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0' };
/** What every call to a store whose worker stopped answers (store-errors.ts tells it apart). */
export const STORE_NOT_RUNNING = 'the embedded store is not running';
const STORE_STOPPED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
  message: STORE_NOT_RUNNING,
});

/** A store step's answer from the worker (dynalite-worker.js: a table import's steps, a count). */
interface StoreStepReply {
  id: number;
  step?: unknown;
  stepError?: { name: string; code?: string; message: string };
}

/** A store step the store refused (TableExists, NoImport, no such table) or could not do (a LevelDB error). */
export class StoreStepError extends Error {
  override readonly name = 'StoreStepError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class WorkerRequestHandler implements HttpHandler {
  private nextId = 1;
  /** Whoever waits for the message with this id; undefined when the store stopped first. */
  private readonly pending = new Map<number, (message: WorkerReply | StoreStepReply | undefined) => void>();
  private stopped = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: Partial<WorkerReply>) => {
      if (typeof message.id !== 'number') return;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message as WorkerReply);
    });
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const query = new URLSearchParams(request.query as Record<string, string>).toString();
    const body = request.body === undefined || request.body === null ? '' : request.body;
    const reply = await this.exchange({
      method: request.method,
      url: query ? `${request.path}?${query}` : request.path,
      headers: request.headers,
      body: typeof body === 'string' ? body : utf8(body as Uint8Array),
    });
    return {
      response: new HttpResponse({
        statusCode: reply.statusCode,
        headers: reply.headers,
        body: Buffer.from(reply.body),
      }),
    };
  }

  /** One HTTP exchange with the store over the message port (also used without the SDK: dynamodb-api.ts). */
  async exchange(request: WorkerRequest): Promise<WorkerReply> {
    const stopped: WorkerReply = { id: 0, statusCode: 503, headers: JSON_HEADERS, body: STORE_STOPPED_BODY };
    if (this.stopped) return stopped;
    const reply = (await this.post(request)) as WorkerReply | undefined;
    return reply ?? stopped;
  }

  /** A step outside the DynamoDB API (a table import's begin, write, commit; count); its answer. */
  async storeStep(step: { op: 'begin' | 'write' | 'commit' | 'count' } & Record<string, unknown>): Promise<unknown> {
    const reply = this.stopped ? undefined : ((await this.post({ step })) as StoreStepReply | undefined);
    if (!reply) throw new StoreStepError(STORE_NOT_RUNNING);
    if (reply.stepError) throw new StoreStepError(reply.stepError.message, reply.stepError.code);
    return reply.step;
  }

  private post(message: object): Promise<WorkerReply | StoreStepReply | undefined> {
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      try {
        this.worker.postMessage({ id, ...message });
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  /** The worker stopped: fail what is waiting and, from now on, answer at once (a dead port never replies). */
  destroy(): void {
    this.stopped = true;
    for (const [id, resolve] of this.pending) {
      this.pending.delete(id);
      resolve(undefined);
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}
