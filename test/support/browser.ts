/**
 * Headless Chromium for tests, driven by playwright-core (which downloads no browser of its own),
 * plus the checks every page gets: console errors and axe-core. The browser is the machine's
 * Chromium when it has one, else the build shipped inside the npm package `@sparticuz/chromium`,
 * so the tests need no system package.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's path; `HERALD_CHROMIUM` points elsewhere (another distribution, a local build). */
const SYSTEM_CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, self-contained browser: no background traffic to hosts it cannot reach. */
const QUIET_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const LAMBDA_ONLY_ARGS = ['--single-process', '--disable-web-security', '--allow-running-insecure-content'];

/**
 * Where the browser comes from and how it starts. The packaged build is unpacked into the temp
 * directory on first use (about 2 s, then reused); vitest's global setup
 * (test/support/chromium-setup.ts) does that once before the workers start, so two of them
 * never unpack it at the same time.
 */
export async function chromiumLaunchOptions(): Promise<{ executablePath: string; args: string[] }> {
  if (existsSync(SYSTEM_CHROMIUM)) {
    // No sandbox: CI runs as root.
    return {
      executablePath: SYSTEM_CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET_ARGS],
    };
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  // Its args are made for Lambda. Not kept: one process for everything (here the browser then
  // dies with the first page a test closes), and switching off the same-origin policy and the
  // mixed-content block (the pages under test get a browser that behaves as a traveller's does).
  const args = packaged.args.filter((arg) => !LAMBDA_ONLY_ARGS.includes(arg));
  return { executablePath: await packaged.executablePath(), args: [...args, ...QUIET_ARGS] };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(await chromiumLaunchOptions());
}

/** Collects the page's console errors and uncaught exceptions from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return errors;
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (every rule but the experimental ones) in the page and returns its violations,
 * reduced to what a failing assertion should show.
 */
export async function axeViolations(
  page: Page,
): Promise<{ id: string; impact: string | null | undefined; help: string; targets: string[] }[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run(),
  );
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}
