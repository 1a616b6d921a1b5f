/**
 * The HTTP server's defences: slow senders are cut off, and GraphQL documents are parsed once.
 */

import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import type { GraphQLService } from '../../src/server/graphql-service';
import type { Service } from '../../src/server/service';
import { graphql, startTestService } from '../helpers/service';

describe('request timeouts', () => {
  it('drops a client that never finishes its headers (slowloris) with 408', async () => {
    const app = buildApp({
      graphql: {} as GraphQLService,
      apiKeys: ['k'],
      health: () => ({}),
      headersTimeout: 300,
      requestTimeout: 300,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\n'));
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk;
        });
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        setTimeout(() => reject(new Error('the server kept the connection open')), 5000).unref();
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await app.close();
    }
  });
});

describe('parsed-document cache', () => {
  let service: Service;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ service, stop } = await startTestService());
  });
  afterAll(async () => stop());

  it('parses and validates a repeated query once', async () => {
    const stats = () => service.graphql.documentCacheStats();
    const before = stats();
    const query = '{ score(driverId: "CACHEPROBE01") { period } }';
    await graphql(service, query);
    await graphql(service, query);
    await graphql(service, query);
    const after = stats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(2);
  });
});
