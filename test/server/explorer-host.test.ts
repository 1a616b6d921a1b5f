/**
 * The explorer hands the API key only to a page opened at a loopback name with the server's
 * port: under any other Host (a DNS-rebinding page's own hostname) it serves the page without
 * the key, saying so. The offline IAM key follows the same rule; the region to sign for goes to
 * every page, with aws4fetch's browser build. Requests go over a real socket, so the server's
 * port is the real one.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import type { GraphQLService } from '../../src/server/graphql-service';
import { isLoopbackAddress, isLoopbackHost } from '../../src/server/loopback';

const KEY = 'da2-explorerhosttestkeyexplor';
const IAM_KEY = { accessKeyId: 'AKIAEXPLORERHOSTTEST', secretAccessKey: 'explorer/host/test/secret/access/key/0000' };

describe('isLoopbackHost', () => {
  it.each([
    'localhost:4000',
    'LOCALHOST:4000',
    'scoredrive.localhost:4000',
    'a.b.localhost:4000',
    '127.0.0.1:4000',
    '127.1.2.3:4000',
    '[::1]:4000',
  ])('accepts %s at port 4000', (host) => {
    expect(isLoopbackHost(host, 4000)).toBe(true);
  });

  it.each([
    ['evil.example:4000', 'a site’s own name'],
    ['localhost.evil.example:4000', 'a name that starts like localhost'],
    ['127.0.0.1.evil.example:4000', 'a name that starts like 127.0.0.1'],
    ['localhost:4001', 'another port'],
    ['localhost', 'no port: 80'],
    ['192.168.1.5:4000', 'a LAN address'],
    ['0.0.0.0:4000', 'the wildcard address'],
    ['[::ffff:7f00:1]:4000', 'a mapped address (browsers send [::1] or 127.0.0.1)'],
    ['127.1:4000', 'a shorthand browsers never send'],
    ['localhost:4000:4000', 'garbage'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (host) => {
    expect(isLoopbackHost(host, 4000)).toBe(false);
  });

  it('accepts a bare name as port 80, and any port when the port is unknown (app.inject)', () => {
    expect(isLoopbackHost('localhost', 80)).toBe(true);
    expect(isLoopbackHost('localhost:80', undefined)).toBe(true);
    expect(isLoopbackHost('evil.example:80', undefined)).toBe(false);
    expect(isLoopbackHost(undefined, 80)).toBe(false);
  });
});

describe('isLoopbackAddress', () => {
  it('knows 127.0.0.0/8 and ::1, also as a mapped address, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['0.0.0.0', '::', '192.0.2.2', 'fd00::2', '::ffff:192.0.2.2']) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });
});

/** GET `path` from 127.0.0.1:`port` with a Host of our choosing, as a rebinding page's fetch would send it. */
const get = (port: number, host: string, path = '/') =>
  new Promise<{ body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ body, headers: response.headers }));
    });
    req.on('error', reject);
    req.end();
  });

/** The page's settings (explorer.ts's JSON data block). */
const configOf = (body: string) =>
  JSON.parse(/<script id="explorer-config" type="application\/json">(.*?)<\/script>/s.exec(body)?.[1] ?? 'null');

describe('GET / under different Hosts', () => {
  const app = buildApp({ graphql: {} as GraphQLService, apiKeys: [KEY], health: () => ({}) });
  let port: number;
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app.close());

  const page = (host: string) => get(port, host);

  it('carries the key at a loopback name with the server’s port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `dev.localhost:${port}`, `[::1]:${port}`]) {
      const { body } = await page(host);
      expect(body, host).toContain(KEY);
      expect(body, host).not.toContain('explorer-note');
    }
  });

  it('leaves the key out under any other Host, and says where to find it', async () => {
    for (const host of [`evil.example:${port}`, `localhost:${port + 1}`, 'localhost', `192.0.2.2:${port}`]) {
      const { body, headers } = await page(host);
      expect(body, host).not.toContain(KEY);
      expect(body, host).toContain('does not carry the API key');
      // Nothing keyed or not may be reused from a cache for another Host.
      expect(headers['cache-control']).toBe('no-store');
    }
  });

  it('sends a CSP with a fresh style nonce each time, the one the page hands GraphiQL', async () => {
    const first = await page(`localhost:${port}`);
    const second = await page(`localhost:${port}`);
    const nonceOf = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1];
    const nonce = nonceOf(first.headers['content-security-policy']);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(second.headers['content-security-policy'])).not.toBe(nonce);
    expect(first.body).toContain(`"styleNonce":"${nonce}"`);
    expect(first.headers['content-security-policy']).toContain("script-src 'self';");
    // No inline script: every <script> is either external or a JSON data block.
    for (const tag of first.body.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="|type="application\/json"/);
  });
});

describe('GET / on a stage with AWS_IAM (prod’s modes)', () => {
  const app = buildApp({
    graphql: {} as GraphQLService,
    apiKeys: [KEY],
    health: () => ({}),
    auth: { modes: ['AWS_IAM', 'OPENID_CONNECT'], verifiers: {} },
    explorerIam: { region: 'eu-west-3', key: IAM_KEY },
  });
  let port: number;
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app.close());

  it('offers IAM, the default first, with the key and the region at a loopback name', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const { body } = await get(port, host);
      const config = configOf(body);
      expect(config.explorerModes, host).toEqual(['AWS_IAM', 'OPENID_CONNECT']);
      expect(config.iam, host).toEqual({ service: 'appsync', region: 'eu-west-3', key: IAM_KEY });
      expect(body, host).toContain('<script src="/explorer/aws4fetch.js"></script>');
      // No API key on prod's GraphQL API: none in the page, and no note asking for one.
      expect(body, host).not.toContain(KEY);
      expect(body, host).not.toContain('explorer-note');
    }
  });

  it('leaves the IAM key out under any other Host, still offering IAM (with a pasted key)', async () => {
    for (const host of [`evil.example:${port}`, `localhost:${port + 1}`, `192.0.2.2:${port}`]) {
      const { body } = await get(port, host);
      expect(body, host).not.toContain(IAM_KEY.secretAccessKey);
      expect(body, host).not.toContain(IAM_KEY.accessKeyId);
      const config = configOf(body);
      expect(config.explorerModes, host).toEqual(['AWS_IAM', 'OPENID_CONNECT']);
      expect(config.iam, host).toEqual({ service: 'appsync', region: 'eu-west-3', key: null });
      expect(body, host).toContain('id="iam-paste" hidden');
    }
  });

  it('serves aws4fetch’s browser build from node_modules, under the explorer’s CSP (script-src self)', async () => {
    const { body, headers } = await get(port, `localhost:${port}`, '/explorer/aws4fetch.js');
    expect(headers['content-type']).toMatch(/^text\/javascript/);
    expect(body).toContain('class AwsV4Signer');
    // The UMD wrapper: a classic script defines the global the page's script signs with.
    expect(body).toContain('global.aws4fetch');
    const page = await get(port, `localhost:${port}`);
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
  });

  it('offers no IAM without a region to sign for, nor on a stage without AWS_IAM', async () => {
    const unsigned = buildApp({
      graphql: {} as GraphQLService,
      apiKeys: [KEY],
      health: () => ({}),
      auth: { modes: ['AWS_IAM', 'OPENID_CONNECT'], verifiers: {} },
    });
    const dev = buildApp({
      graphql: {} as GraphQLService,
      apiKeys: [KEY],
      health: () => ({}),
      explorerIam: { region: 'eu-west-3', key: IAM_KEY },
    });
    try {
      const withoutRegion = (await unsigned.inject({ url: '/', headers: { host: 'localhost' } })).body;
      expect(configOf(withoutRegion).explorerModes).toEqual(['OPENID_CONNECT']);
      expect(withoutRegion).not.toContain('aws4fetch.js');
      const apiKeyOnly = (await dev.inject({ url: '/', headers: { host: 'localhost' } })).body;
      expect(configOf(apiKeyOnly)).toMatchObject({ explorerModes: ['API_KEY'], iam: null });
      expect(apiKeyOnly).not.toContain(IAM_KEY.secretAccessKey);
    } finally {
      await unsigned.close();
      await dev.close();
    }
  });
});
