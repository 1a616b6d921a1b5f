/**
 * The browser tests run only where Debian's Chromium is installed; on a laptop without it they
 * are skipped. In CI they must run: .ci/run installs Chromium, and this test fails if it did not,
 * so a broken install cannot turn the headless-browser checks into silent skips.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe.runIf(process.env.CI === 'true')('in CI', () => {
  it('has Chromium for the browser tests', () => {
    expect(existsSync('/usr/bin/chromium'), '/usr/bin/chromium is missing: install the chromium package').toBe(true);
  });
});
