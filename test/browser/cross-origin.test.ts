/**
 * A browser app on another origin calling the offline API with fetch, in Debian's Chromium: the
 * GraphQL endpoint answers it as AppSync does (preflight, any origin, error headers readable:
 * src/server/wire/graphql-http.ts), and the REST facade, which deploys no CORS, refuses it as
 * API Gateway would.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { CHROMIUM, watchPageProblems } from '../helpers/browser';
import { startTestService, TEST_API_KEY } from '../helpers/service';

/** What the page's fetch saw: status, body, and the response headers script may read. */
interface Seen {
  status?: number;
  body?: unknown;
  requestId?: string | null;
  errorType?: string | null;
  failed?: string;
}

describe.runIf(existsSync(CHROMIUM))('a page on another origin', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let api: string;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let driverId: string;

  beforeAll(async () => {
    ({ service, stop } = await startTestService({ accessLog: false }));
    driverId = (await service.exampleDriverId()) as string;
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
    // The app's own origin: another port is another origin.
    site = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>insurer app</title>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
    page = await browser.newPage();
    problems = await watchPageProblems(page);
    await page.goto(siteUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await stop();
  });

  /** Runs fetch in the page and reports what script could see of the answer. */
  const pageFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
    page.evaluate(
      async ([target, options]) => {
        try {
          const response = await fetch(target, options);
          return {
            status: response.status,
            body: await response.json(),
            requestId: response.headers.get('x-amzn-requestid'),
            errorType: response.headers.get('x-amzn-errortype'),
          } as Seen;
        } catch (error) {
          return { failed: String(error) } as Seen;
        }
      },
      [url, init] as const,
    );

  const query = () => `{ score(driverId: "${driverId}") { driverId band } }`;

  it('posts a query with an API key and reads the answer and its request id', async () => {
    const seen = await pageFetch(`${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ query: query() }),
    });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ data: { score: { driverId, band: expect.stringMatching(/^[A-E]$/) } } });
    expect(seen.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a query as a GET, as urql does by default', async () => {
    const seen = await pageFetch(`${api}/graphql?query=${encodeURIComponent(query())}`, {
      method: 'GET',
      headers: { 'x-api-key': TEST_API_KEY },
    });
    expect(seen.status).toBe(200);
    expect((seen.body as { data: { score: { driverId: string } } }).data.score.driverId).toBe(driverId);
  });

  it('reads a wrong key’s 401 and its x-amzn-ErrorType, as Amplify JS needs to', async () => {
    const seen = await pageFetch(`${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-wrongwrongwrongwrongwrong' },
      body: JSON.stringify({ query: query() }),
    });
    expect(seen.status).toBe(401);
    expect(seen.errorType).toBe('UnauthorizedException');
    expect(seen.body).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    });
  });

  it('is refused a request header outside the list AWS’s clients send', async () => {
    const seen = await pageFetch(`${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY, 'x-custom-header': '1' },
      body: JSON.stringify({ query: query() }),
    });
    expect(seen.failed).toMatch(/Failed to fetch/);
  });

  it('cannot call the REST facade, which deploys no CORS', async () => {
    const seen = await pageFetch(`${api}/drivers/${encodeURIComponent(driverId)}/score`, {
      method: 'GET',
      headers: { 'x-api-key': TEST_API_KEY },
    });
    expect(seen.failed).toMatch(/Failed to fetch/);
    // The browser's own CORS messages name the refused calls; nothing else went wrong.
    expect(problems.filter((problem) => !/CORS policy|Failed to load resource/.test(problem))).toEqual([]);
  });
});
