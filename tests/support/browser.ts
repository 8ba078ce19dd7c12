import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { LocalService } from './local-service';

/** Debian's Chromium (playwright gives it a fresh, empty profile each launch) (installed by .ci/run), driven by playwright-core; never a downloaded build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** How long a browser step (a click, a navigation, a heading to appear) may take before failing. */
export const STEP_TIMEOUT_MS = 10_000;

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Throws, never skips: a browser tier that silently does nothing is worse than a red one. */
export function requireChromium(): void {
  if (!hasChromium()) throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/run, or apt-get install chromium (or set CHROMIUM_PATH)`);
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
    requireChromium();
    [suite.service, suite.browser] = await Promise.all([LocalService.start(env), launchChromium()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.service?.dispose();
  });
  return suite;
}

/** The service as its emails name it (BASE_URL is http://localhost:<port> locally). */
export function publicUrl(service: LocalService, path = '/'): string {
  return `${service.baseUrl.replace('127.0.0.1', 'localhost')}${path}`;
}

/** A fresh context (own cookies and storage) and page, with short step time-outs. */
export async function openPage(browser: Browser, options: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  return { context, page: await context.newPage() };
}

/** The texts of the page's level-1 headings, right now (no waiting). */
export function headings(page: Page): Promise<string[]> {
  return page.getByRole('heading', { level: 1 }).allTextContents();
}

/** Waits until the page's one level-1 heading reads `text`; on failure shows what it read. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await expect.poll(() => headings(page), { timeout: STEP_TIMEOUT_MS, message: `the page's h1 (at ${page.url()})` }).toEqual([text]);
}

/** The first link in the text part of the newest email to `address` that matches `pattern`; waits for it. */
export async function linkIn(service: LocalService, address: string, pattern: RegExp): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const text = (await service.emailsTo(address)).at(-1)?.body.text ?? '';
        link = pattern.exec(text)?.[0];
        return link;
      },
      { timeout: STEP_TIMEOUT_MS, message: `a link matching ${pattern} in the newest email to ${address}` },
    )
    .toBeDefined();
  return link!;
}

export const VERIFY_LINK = /http:\/\/\S+\/verify\?token=[A-Za-z0-9._-]+/;
export const REVIEW_LINK = /http:\/\/\S+\/sponsorships\/review\?token=[A-Za-z0-9._-]+/;

/**
 * Loads pages in `page` without running their scripts, as a browser with JavaScript off would,
 * while the context keeps JavaScript on so that axe can be injected later (axe cannot run in a
 * `javaScriptEnabled: false` context). Call the returned `allowScripts` before auditing: the
 * page's own scripts stay unrun, only scripts evaluated from then on (axe) run. The DevTools
 * session stays attached until then, since its emulation settings end with it.
 */
export async function blockScripts(page: Page): Promise<{ allowScripts(): Promise<void> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setScriptExecutionDisabled', { value: true });
  return {
    async allowScripts() {
      await session.send('Emulation.setScriptExecutionDisabled', { value: false });
      await session.detach();
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2.1 A/AA violations on the page, one readable line per rule: id, impact, help, targets. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help} → ${violation.nodes
        .map((node) => node.target.map((part) => (Array.isArray(part) ? part.join(' >> ') : part)).join(' '))
        .join(' | ')}`,
  );
}

/** Where screenshots go: SCREENSHOT_DIR (relative to the repo root) or test-results/screenshots. */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';
  const absolute = isAbsolute(dir) ? dir : resolve(root, dir);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

/** A full-page PNG named `name` (e.g. `signup.png`) in {@link screenshotDir}; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir(), name);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
