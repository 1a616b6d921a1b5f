/**
 * A dynalite (the patched one node_modules holds; in memory, or on disk with `path`) on a loopback
 * port, called with raw DynamoDB JSON, as a client that skips the SDK's own checks would send it:
 * for tests of dynalite's validations, whose words the SDK would otherwise pre-empt. `endpoint`
 * is there for an SDK client too.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);

export interface RawDynalite {
  readonly endpoint: string;
  call(target: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** `call` with the body as written, for bodies JSON.stringify cannot make (100,000 levels deep). */
  callText(target: string, text: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startRawDynalite(options: { path?: string } = {}): Promise<RawDynalite> {
  const server: {
    listen(port: number, host: string, cb: () => void): void;
    close(cb: () => void): void;
    address(): unknown;
  } = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callText = async (target: string, text: string) => {
    const answer = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        'x-amz-date': '20261201T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: text,
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };
  return {
    endpoint,
    call: (target, body) => callText(target, JSON.stringify(body)),
    callText,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
