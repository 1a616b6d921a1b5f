/**
 * An in-memory dynalite (the patched one node_modules holds) on a loopback port, called with raw
 * DynamoDB JSON, as a client that skips the SDK's own checks would send it: for tests of
 * dynalite's validations, whose words the SDK would otherwise pre-empt.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);

export interface RawDynalite {
  call(target: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startRawDynalite(): Promise<RawDynalite> {
  const server: {
    listen(port: number, host: string, cb: () => void): void;
    close(cb: () => void): void;
    address(): unknown;
  } = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call(target, body) {
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
          'x-amz-date': '20261201T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        },
        body: JSON.stringify(body),
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
