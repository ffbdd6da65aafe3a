/** The status site as a traveller's phone shows it: headless Chromium, axe-core, no script. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteFiles } from '#shared/status-site/site-files.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { axeViolations, collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const statusDoc = statusDocument(statusFixture(), '2026-11-23T08:00:00.000Z');

describe('the status page in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const files = new Map(
      siteFiles(statusDoc, { siteUrl: 'https://status.airline.example' }).map((f) => [f.key, f]),
    );
    server = createServer((request, response) => {
      const file = files.get(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1)));
      if (!file) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': file.contentType }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders at phone width, switches language through its links, logs no errors and passes axe-core', async () => {
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
    await context.close();
  });
});
