import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { LocalService } from './local-service';

/** Debian's Chromium (playwright gives it a fresh, empty profile each launch) (installed by .ci/run), driven by playwright-core; never a downloaded build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * For a browser test file: one local service and one Chromium, started before its tests and
 * stopped after. Fails loudly (never skips) when Chromium is missing.
 */
export function useServiceAndBrowser(env: Record<string, string> = {}): { service: LocalService; browser: Browser } {
  const suite = {} as { service: LocalService; browser: Browser };
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/run, or apt-get install chromium`);
    [suite.service, suite.browser] = await Promise.all([LocalService.start(env), launchChromium()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.service?.dispose();
  });
  return suite;
}
