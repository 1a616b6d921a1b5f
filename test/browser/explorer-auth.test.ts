/**
 * The explorer's auth chooser in a real browser (Debian's Chromium): on the test stage (API
 * key, IAM, OIDC) the page offers the API key and OIDC, gets a token from the offline
 * authorization server with one choice, and sends it as Authorization with no x-api-key; the
 * last answer's x-amzn-RequestId is shown; no CSP violation. On the default stage (offline: API
 * key only), the API key is all it offers.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, watchPageProblems } from '../helpers/browser';
import { startTestService } from '../helpers/service';

async function listen(stage?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const started = await startTestService({ accessLog: false, ...(stage ? { stage } : {}) });
  await started.service.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = started.service.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, stop: started.stop };
}

describe.runIf(existsSync(CHROMIUM))('the explorer’s auth chooser', () => {
  let browser: Browser;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    for (const stop of stops) await stop();
  });

  it('on the test stage, sends an OIDC token in place of the API key and shows the request id', async () => {
    const { url, stop } = await listen('test');
    stops.push(stop);
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-execute-button');

    expect(await page.textContent('#explorer-stage')).toBe('test');
    expect(await page.textContent('#explorer-modes')).toBe('API_KEY, AWS_IAM, OPENID_CONNECT');
    const offered = await page
      .locator('#auth-mode option')
      .evaluateAll((options) => options.map((option) => [option.getAttribute('value'), option.textContent]));
    expect(offered).toEqual([
      ['API_KEY', 'API key'],
      ['OPENID_CONNECT', 'OIDC (client credentials)'],
    ]);

    const tokenAnswered = page.waitForResponse((response) => response.url().endsWith('/oauth2/token'));
    await page.selectOption('#auth-mode', 'OPENID_CONNECT');
    expect((await tokenAnswered).status()).toBe(200);
    await page.locator('#auth-status', { hasText: 'token obtained' }).waitFor();

    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') && !response.request().postData()?.includes('IntrospectionQuery'),
    );
    await page.click('.graphiql-execute-button');
    const response = await answered;
    expect(response.status()).toBe(200);
    const sent = await response.request().allHeaders();
    expect(sent.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sent['x-api-key']).toBeUndefined();
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.score.driverId).toBeTruthy();
    await page.locator('.result-window', { hasText: '"band"' }).waitFor();

    const requestId = await response.headerValue('x-amzn-RequestId');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('#request-id', { hasText: requestId as string }).waitFor();
    expect(await page.textContent('#request-id')).toBe(requestId);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('carries the OIDC client’s secret at a loopback address only', async () => {
    const started = await startTestService({ accessLog: false, stage: 'test' });
    stops.push(started.stop);
    const client = started.service.auth.oauth?.clients[0];
    expect(client).toBeDefined();
    const page = (host: string) => started.service.app.inject({ method: 'GET', url: '/', headers: { host } });
    // inject's socket has no local port: the loopback rule then takes any port (loopback.ts).
    const loopback = await page('127.0.0.1');
    const elsewhere = await page('rebinding.example');
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).not.toContain(client?.clientSecret);
    expect(elsewhere.body).toContain('"oidcClient":null');
    expect(loopback.body).toContain(`"clientSecret":${JSON.stringify(client?.clientSecret)}`);
  });

  it('on the default stage, offers the API key only and sends it', async () => {
    const { url, stop } = await listen();
    stops.push(stop);
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-execute-button');

    expect(await page.textContent('#explorer-stage')).toBe('offline');
    expect(await page.textContent('#explorer-modes')).toBe('API_KEY');
    const offered = await page
      .locator('#auth-mode option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(offered).toEqual(['API_KEY']);

    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') && !response.request().postData()?.includes('IntrospectionQuery'),
    );
    await page.click('.graphiql-execute-button');
    const response = await answered;
    const sent = await response.request().allHeaders();
    expect(sent['x-api-key']).toBeTruthy();
    expect(sent.authorization).toBeUndefined();
    await page
      .locator('#request-id', { hasText: (await response.headerValue('x-amzn-RequestId')) as string })
      .waitFor();

    expect(problems).toEqual([]);
    await page.close();
  });
});
