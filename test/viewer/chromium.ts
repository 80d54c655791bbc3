import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core; `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';
export const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;

/** Screenshots go out of the repository. */
export const SHOTS = join(tmpdir(), 'pinlab-viewer');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Opened {
  readonly page: Page;
  /** Script errors, console errors and warnings (CSP violations among them), requests elsewhere. */
  readonly problems: string[];
}

/** Open a page and wait for the viewer to draw, recording what goes wrong. */
export async function open(
  browser: Browser,
  url: string,
  allowed = 'file:',
  viewport = { width: 1400, height: 900 },
): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(allowed)) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('#app > *');
  return { page, problems };
}

/** A full-page screenshot in SHOTS; its path is printed for a reader of the test log. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`viewer screenshot: ${path}`);
  return path;
}

export const text = async (page: Page, selector: string): Promise<string> =>
  (await page.locator(selector).first().textContent()) ?? '';
