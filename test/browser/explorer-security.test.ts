/**
 * The explorer's defences in a real browser (Debian's Chromium): under its Content-Security-
 * Policy GraphiQL loads, runs a query, opens its dialogs and docs with no violation; no other
 * page can frame it; and a page reached under a hostname that is not loopback (DNS rebinding,
 * simulated with Chromium's resolver rules mapping rebind.test to 127.0.0.1) carries no key,
 * says so, and works once the key is pasted.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { CHROMIUM, watchPageProblems } from '../helpers/browser';
import { startTestService, TEST_API_KEY } from '../helpers/service';

/** A locator, not waitForFunction: Playwright evaluates a string predicate with eval, which the CSP refuses. */
const resultShown = (page: Page) => page.locator('.result-window', { hasText: '"band"' }).waitFor();

describe.runIf(existsSync(CHROMIUM))('the explorer’s defences', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let port: number;
  let browser: Browser;
  beforeAll(async () => {
    ({ service, stop } = await startTestService());
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    port = (service.app.server.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        // A hostname of an attacker's site whose DNS now answers 127.0.0.1.
        '--host-resolver-rules=MAP rebind.test 127.0.0.1',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stop();
  });

  it('runs under its CSP, dialogs and docs included, with no violation or console error', async () => {
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    const response = await page.goto(`http://127.0.0.1:${port}/`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await page.waitForSelector('.graphiql-execute-button');
    await page.click('.graphiql-execute-button');
    await resultShown(page);
    // The settings dialog inserts a <style> element (its scroll lock): admitted by the nonce.
    await page.click('[aria-label="Open settings dialog"]');
    await page.waitForSelector('[role="dialog"]');
    await page.keyboard.press('Escape');
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer');
    await page.waitForTimeout(200);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('cannot be framed by another page', async () => {
    const page = await browser.newPage();
    await page.setContent(`<iframe src="http://127.0.0.1:${port}/"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // Chromium puts its error page in a refused frame.
    expect(frame?.url()).toMatch(/^chrome-error:/);
    await page.close();
  });

  it('under a hostname that is not loopback, carries no key, says so, and works once the key is pasted', async () => {
    const page = await browser.newPage();
    const problems = await watchPageProblems(page);
    const response = await page.goto(`http://rebind.test:${port}/`);
    expect(await response?.text()).not.toContain(TEST_API_KEY);
    expect(await page.textContent('#explorer-note')).toContain('does not carry the API key');
    await page.waitForSelector('.graphiql-execute-button');
    // The headers editor is open, for the key to be pasted into.
    const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
    await page.waitForSelector(headers);
    await page.evaluate(
      `document.querySelector(${JSON.stringify(headers)}).CodeMirror.setValue(${JSON.stringify(
        JSON.stringify({ 'x-api-key': TEST_API_KEY }),
      )})`,
    );
    await page.click('.graphiql-execute-button');
    await resultShown(page);
    // Only GraphiQL's schema fetches, sent before the key was there, failed.
    expect(new Set(problems)).toEqual(
      new Set([
        `console: Failed to load resource: the server responded with a status of 401 (Unauthorized) http://rebind.test:${port}/graphql`,
      ]),
    );
    await page.close();
  });
});
