/**
 * The explorer's "Trace resolvers" switch in a real browser (Debian's Chromium): on, the query
 * goes with x-scoredrive-trace: 1 and the panel lists the field's steps and timings, under the
 * page's CSP with no violation; off, the header is not sent and the result has no trace.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, watchPageProblems } from '../helpers/browser';
import { startTestService } from '../helpers/service';

/** The trace header of each POST /graphql the page sends, but GraphiQL's schema fetch. */
function traceHeaders(page: Page): (string | undefined)[] {
  const sent: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/graphql') || request.postData()?.includes('IntrospectionQuery')) return;
    sent.push(request.headers()['x-scoredrive-trace']);
  });
  return sent;
}

describe.runIf(existsSync(CHROMIUM))('the explorer’s resolver trace', () => {
  let stop: () => Promise<void>;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    const started = await startTestService();
    stop = started.stop;
    await started.service.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(started.service.app.server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stop();
  });

  it('shows the steps and timings of the last answer while the switch is on, and sends nothing extra when off', async () => {
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    const sent = traceHeaders(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-execute-button');
    expect(await page.isHidden('#trace-panel')).toBe(true);

    await page.check('#trace-toggle');
    await page.click('.graphiql-execute-button');
    const panel = page.locator('#trace-panel');
    await panel.locator('h3', { hasText: 'Query.score' }).waitFor();
    expect(await panel.textContent()).toMatch(/\d+\.\d{3} ms/);
    expect(await panel.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.locator('.result-window', { hasText: '"scoredriveTrace"' }).waitFor();

    await page.uncheck('#trace-toggle');
    expect(await page.isHidden('#trace-panel')).toBe(true);
    const answered = page.waitForResponse((response) => response.url().endsWith('/graphql'));
    await page.click('.graphiql-execute-button');
    await answered;
    await page.locator('.result-window', { hasText: '"band"', hasNotText: 'scoredriveTrace' }).waitFor();

    expect(sent).toEqual(['1', undefined]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
