/**
 * The status page's maps as a traveller's phone shows them: a European ash cloud over 50
 * airports beside the Nordic strike, in headless Chromium with axe-core. The screenshot is saved
 * with the test run, beside the console's (test/e2e/screenshots/).
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { axeViolations, collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { ASH_CLOUD_AIRPORTS, ASH_CLOUD_ID, europeanAshCloud } from '#test/support/map-fixtures.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';
import { type ServedSite, serveStatusSite } from '#test/support/status-site-server.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '../e2e/screenshots');
const PHONE = { width: 390, height: 844 };

describe('the status page maps in headless Chromium', () => {
  let browser: Browser;
  let site: ServedSite;

  beforeAll(async () => {
    site = await serveStatusSite(
      statusDocument([...statusFixture(), europeanAshCloud()], '2026-11-23T08:00:00.000Z'),
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  // A full-page screenshot and axe over 50 airport markers: longer than the default on a busy machine.
  it('draws each current disruption’s map within the phone’s width, named for screen readers', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 1 });
    const errors = collectPageErrors(page);

    await page.goto(`${site.origin}/status`);

    const mapOf = (id: string) =>
      page.locator(`#incident-${id}`).getByRole('img', { name: 'Map of the disruption' });
    expect(await page.getByRole('img', { name: 'Map of the disruption' }).count()).toBe(2);
    const ashMap = mapOf(ASH_CLOUD_ID);
    const box = await ashMap.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    expect(await ashMap.locator('circle').count()).toBe(ASH_CLOUD_AIRPORTS.length);
    expect(await mapOf(IDS.strike).isVisible()).toBe(true);
    expect(await page.locator(`#incident-${IDS.ash} svg`).count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'status-page-map.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
