/**
 * IAM requests: what a server receives carries a valid Signature Version 4 for the right
 * service and region, as recomputed independently with @smithy/signature-v4 from the bytes and
 * headers that arrived.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchCommand } from '../../src/cli/bench';
import { createHttpClient } from '../../src/loadtest/http-client';
import { createSigV4Signer, regionFromHostname } from '../../src/loadtest/sigv4';
import { createTarget } from '../../src/loadtest/target';
import { tempDir } from '../helpers/service';
import { captureIo, type FakeServer, goodScore, type Received, startFakeServer } from './fake-server';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNED_AT = new Date('2026-11-27T10:15:00Z');

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.unstubAllEnvs();
});

/** The Authorization header the request should carry, recomputed from what arrived. */
async function expectedAuthorization(
  request: Received,
  url: string,
  region: string,
  service: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS,
): Promise<string> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const { hostname, port, protocol } = new URL(url);
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol,
      hostname,
      port: Number(port),
      path: request.url,
      query: {},
      headers: Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])])),
      body: request.body || undefined,
    },
    { signingDate },
  );
  return String(signed.headers.authorization);
}

describe('regionFromHostname', () => {
  it('reads the region of AppSync and API Gateway endpoints', () => {
    expect(regionFromHostname('abcdefghijklmnopqrstuvwxyz.appsync-api.eu-south-1.amazonaws.com')).toBe('eu-south-1');
    expect(regionFromHostname('a1b2c3d4e5.execute-api.us-east-1.amazonaws.com')).toBe('us-east-1');
    expect(regionFromHostname('x.execute-api.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionFromHostname('api.scoredrive.example.com')).toBeUndefined();
    expect(regionFromHostname('localhost')).toBeUndefined();
  });
});

describe('SigV4 signing', () => {
  it('sends a POST /graphql a server verifies as signed for appsync in the region, at the signing time', async () => {
    server = await startFakeServer();
    const target = createTarget(server.url, 'graphql');
    const sign = createSigV4Signer(target.url, {
      credentials: CREDENTIALS,
      region: 'eu-south-1',
      service: 'appsync',
      now: () => SIGNED_AT,
    });
    const client = createHttpClient(target.origin, 1);
    const reply = await client.send(await sign(target.request('RSSMRA80A01H501U')), 5000);
    await client.close();

    expect(reply).toMatchObject({ kind: 'answer', status: 200 });
    const [received] = server.received;
    expect(received.headers['x-amz-date']).toBe('20261127T101500Z');
    expect(received.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261127\/eu-south-1\/appsync\/aws4_request, SignedHeaders=[^,]*\bhost\b[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(received.headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
    // The signature covers the payload through this header: it must be the hash of what arrived.
    expect(received.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(received.body).digest('hex'));
    expect(received.headers.authorization).toBe(
      await expectedAuthorization(received, server.url, 'eu-south-1', 'appsync'),
    );
    // The same request under another secret would not verify.
    expect(received.headers.authorization).not.toBe(
      await expectedAuthorization(received, server.url, 'eu-south-1', 'appsync', {
        ...CREDENTIALS,
        secretAccessKey: 'other',
      }),
    );
  });

  it('signs every request of a run with the standard credential chain (here the environment), session token included', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', 'session-token-example');
    server = await startFakeServer((request) => ({ body: goodScore(request.driverId as string) }));
    const { io } = captureIo({ AWS_REGION: 'eu-south-1' });
    const { dir, remove } = await tempDir('scoredrive-bench-iam-');
    try {
      await writeFile(`${dir}/ids.txt`, 'RSSMRA80A01H501U\nBNCLRA85B41F205X\n');
      const code = await benchCommand(
        {
          url: `${server.url}/prod`,
          api: 'rest',
          iam: true,
          dataDir: dir,
          rate: '20/s',
          duration: '500ms',
          warmup: '0',
          timeout: '2s',
          ids: `${dir}/ids.txt`,
          unknownShare: '0',
          slo: ['errors<=0'],
          out: `${dir}/result.json`,
        },
        io,
      );
      expect(code).toBe(0);
    } finally {
      await remove();
    }

    expect(server.received).toHaveLength(10);
    for (const request of server.received) {
      expect(request.url).toMatch(/^\/prod\/drivers\/[A-Z0-9]+\/score$/);
      expect(request.headers['x-amz-security-token']).toBe('session-token-example');
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers.authorization).toMatch(/\/eu-south-1\/execute-api\/aws4_request/);
      expect(request.headers.authorization).toBe(
        await expectedAuthorization(request, server.url, 'eu-south-1', 'execute-api', {
          ...CREDENTIALS,
          sessionToken: 'session-token-example',
        }),
      );
    }
  });
});
