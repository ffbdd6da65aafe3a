/** The status site as a traveller's phone shows it: headless Chromium, axe-core, no script. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { axeViolations, collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';
import { type ServedSite, serveStatusSite } from '#test/support/status-site-server.ts';

const statusDoc = statusDocument(statusFixture(), '2026-11-23T08:00:00.000Z');

describe('the status page in headless Chromium', () => {
  let browser: Browser;
  let site: ServedSite;
  let origin: string;

  beforeAll(async () => {
    site = await serveStatusSite(statusDoc);
    origin = site.origin;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  // Three pages through axe, each with a disruption's map: longer than the default on a busy machine.
  it('renders at phone width, switches language through its links, logs no errors and passes axe-core', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const errors = collectPageErrors(page);

    await page.goto(`${origin}/status`);
    expect(await page.locator('h1').textContent()).toBe('Travel disruptions');
    expect(await page.locator(`#incident-${IDS.strike}`).textContent()).toContain('Severity: Severe');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(tmpdir(), 'herald-status-mobile.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Suomi' }).click();
    await page.waitForURL(`${origin}/status/fi`);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.locator('h1').textContent()).toBe('Liikennehäiriöt');
    expect(await page.getByRole('link', { name: 'Suomi' }).getAttribute('aria-current')).toBe('page');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Svenska' }).click();
    await page.waitForURL(`${origin}/status/sv`);
    expect(await page.locator('h1').textContent()).toBe('Trafikstörningar');
    expect(await axeViolations(page)).toEqual([]);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('is readable with JavaScript switched off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${origin}/status/sv`);

    expect(await page.locator(`#incident-${IDS.strike}`).isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).toContain('Strejken fortsätter');
    expect(await page.getByRole('img', { name: 'Karta över störningen' }).isVisible()).toBe(true);
    await context.close();
  });
});
