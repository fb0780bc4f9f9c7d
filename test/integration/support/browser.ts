/**
 * A real browser for the console tests: Debian's (or any) Chromium driven by playwright-core, which
 * ships no browser of its own. `SLUICE_CHROMIUM` names the executable, `/usr/bin/chromium` by
 * default (`.ci/run` installs it when missing; the README says how elsewhere).
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ENV = 'SLUICE_CHROMIUM';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The viewport every console page opens with, so screenshots are comparable. */
export const CONSOLE_VIEWPORT = { width: 1280, height: 1500 } as const;

/**
 * Launches headless Chromium (`--no-sandbox`: CI containers run as root, where Chromium's sandbox refuses to start).
 *
 * @throws Error naming the path and how to install Chromium when there is none
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env[CHROMIUM_ENV] ?? DEFAULT_CHROMIUM;
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium) or set ${CHROMIUM_ENV} to its path`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/** A page and the errors it raised: uncaught exceptions, `console.error` lines (a CSP violation is one) and refused requests. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens `url` in a fresh context (no state shared with another test) and collects the page's errors. */
export async function openWatchedPage(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: CONSOLE_VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused request is reported below with its URL; the console's own line for it names none.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console error: ${message.text()}`);
  });
  page.on('response', async (response) => {
    if (response.status() >= 400)
      errors.push(`${response.request().method()} ${response.url()} answered ${response.status()}: ${await response.text().catch(() => '')}`);
  });
  await page.goto(url);
  return { page, errors };
}
