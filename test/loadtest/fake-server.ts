/** A small node:http server for the bench's tests: scripted answers, and a record of what it received. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The driverId asked for: GraphQL variables or the REST path. */
  readonly driverId?: string;
}

export interface Answer {
  readonly status?: number;
  /** An object is sent as JSON. */
  readonly body?: unknown;
  readonly delayMs?: number;
  /** Never answer (the client's timeout must fire). */
  readonly hang?: boolean;
}

export interface FakeServer {
  readonly url: string;
  readonly received: Received[];
  /** Most requests being handled at once. */
  readonly maxConcurrent: () => number;
  /** Total time requests spent being handled, in ms (concurrency × time). */
  readonly busyMs: () => number;
  close(): Promise<void>;
}

function driverIdOf(url: string, body: string): string | undefined {
  const rest = /^\/(?:[^?]*\/)?drivers\/([^/]+)\/score/.exec(url);
  if (rest) return decodeURIComponent(rest[1]);
  try {
    return (JSON.parse(body) as { variables?: { driverId?: string } }).variables?.driverId;
  } catch {
    return undefined;
  }
}

/** A GraphQL answer with a right score for `driverId`. */
export function goodScore(driverId: string, score = 77) {
  return {
    driverId,
    period: '2026-10',
    score,
    band: score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 55 ? 'C' : score >= 40 ? 'D' : 'E',
    factors: { acceleration: 70, braking: 80, cornering: 75, speeding: 79, nightDriving: 82 },
    kmDriven: 812.5,
    trips: 61,
    modelVersion: '2.3.1',
    updatedAt: '2026-11-01T02:13:00.000Z',
  };
}

export async function startFakeServer(
  answer: (request: Received, index: number) => Answer | Promise<Answer> = (request) => ({
    body: { data: { score: goodScore(request.driverId as string) } },
  }),
): Promise<FakeServer> {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  let concurrent = 0;
  let max = 0;
  let busy = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const start = performance.now();
      concurrent += 1;
      max = Math.max(max, concurrent);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const request: Received = {
        at: start,
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        driverId: driverIdOf(url, body),
      };
      received.push(request);
      const reply = await answer(request, received.length - 1);
      if (reply.hang) {
        hanging.add(res);
        res.on('close', () => {
          concurrent -= 1;
          hanging.delete(res);
        });
        return;
      }
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(payload);
      concurrent -= 1;
      busy += performance.now() - start;
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    maxConcurrent: () => max,
    busyMs: () => busy,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Output of benchCommand, captured. */
export function captureIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (text: string) => out.push(text),
      err: (text: string) => err.push(text),
      progress: null,
      env,
      handleSignals: false,
    },
    out: () => out.join('\n'),
    err: () => err.join('\n'),
  };
}
