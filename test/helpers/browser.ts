/** What the browser tests share: where Debian's Chromium is, and what a page reports going wrong. */
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** What the page reports: CSP violations (the DOM event), console errors, uncaught exceptions. */
export async function watchPageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    const { url } = message.location();
    // The browser's own favicon request is not the page's.
    if (message.type() === 'error' && !url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()} ${url}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`csp: ${text}`));
  // A string: it runs in the page, before the page's own scripts (and outside its CSP).
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => reportViolation(e.violatedDirective + ' ' + e.blockedURI))",
  );
  return problems;
}
