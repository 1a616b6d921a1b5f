/**
 * The GraphiQL explorer in a real browser (Debian's Chromium, driven by playwright-core):
 * it loads with no network but this server, has the key pre-filled, and runs the example query.
 * .ci/run installs Chromium; on a machine without it this file has nothing to run.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { CHROMIUM } from '../helpers/browser';
import { startTestService, TEST_API_KEY } from '../helpers/service';

describe.runIf(existsSync(CHROMIUM))('the explorer at /', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    ({ service, stop } = await startTestService());
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => stop());

  it('runs the pre-filled query with the pre-filled key and shows the score', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const offsite: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(url)) offsite.push(request.url());
      });
      // Under the page's CSP: a violation, or anything else going wrong, shows as a console error.
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      await page.waitForSelector('.graphiql-execute-button');
      expect(await page.textContent('.graphiql-editor-tool')).toContain(TEST_API_KEY);
      await page.click('.graphiql-execute-button');
      // A locator: waitForFunction evaluates its string with eval, which the page's CSP refuses.
      await page.locator('.result-window', { hasText: '"band"' }).waitFor();
      const result = (await page.textContent('.result-window')) ?? '';
      expect(result).toMatch(/"score": \d+/);
      expect(offsite).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
