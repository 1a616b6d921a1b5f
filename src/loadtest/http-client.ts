/**
 * Requests over kept-alive connections (an undici Pool per origin), each with a deadline: an
 * answer (status and whole body), a timeout, or a network failure; never a rejection.
 */
import { Pool } from 'undici';
import type { PreparedRequest } from './target';

export type Reply =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly message: string };

export interface HttpClient {
  send(request: PreparedRequest, timeoutMs: number): Promise<Reply>;
  close(): Promise<void>;
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** A client for `origin` with at most `connections` sockets (opened as needed, kept alive). */
export function createHttpClient(origin: string, connections: number): HttpClient {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    async send(request, timeoutMs) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        const response = await pool.request({
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
        });
        const body = await response.body.text();
        return { kind: 'answer', status: response.statusCode, body };
      } catch (error) {
        return timedOut ? { kind: 'timeout' } : { kind: 'network', message: describe(error) };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await pool.destroy();
    },
  };
}
