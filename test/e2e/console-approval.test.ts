import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Incident } from '#shared/domain/model.ts';
import { collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { apiClient, startTestStack } from '#test/support/local-stack.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
const NOTE = 'Buses to the terminal leave from door 3.';
/** A phone's width: every page must fit it without scrolling sideways. */

/**
 * Issue 17, approving with content, in Chromium at a phone's width: a comms lead sees the
 * Approvals badge, opens the held broadcast, reads its texts with the operator's free text
 * highlighted and its recipient counts, then approves it.
 */
describe('console: approving a free-text broadcast while reading it', () => {
  let stack: LocalStack;
  let browser: Browser;
  let broadcastId: string;
  let preview: Preview;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
    const operator = apiClient(stack, 'operator');
    const today = new Date().toISOString().slice(0, 10);
    const incident = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Ground handling strike at Oslo',
      severity: 'severe',
      window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
      scope: { airports: ['OSL'] },
    });
    const request = { templateId: 'strike-disruption', variables: { note: NOTE } };
    preview = (await operator<Preview>('POST', `/incidents/${incident.body.id}/preview`, request)).body;
    const created = await operator<{ id: string }>(
      'POST',
      `/incidents/${incident.body.id}/broadcasts`,
      request,
    );
    broadcastId = created.body.id;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const signIn = (page: Page, user: string) => signInToConsole(page, stack, user);

  /** No page may scroll sideways on a phone, and axe finds nothing. */
  async function checkPage(page: Page, screenshot: string): Promise<void> {
    await page.screenshot({ path: resolve(SCREENSHOTS, `${screenshot}.png`), fullPage: true });
    await expectFitsAPhone(page, screenshot);
  }

  it('a comms lead sees the badge, reads the held texts with the free text highlighted and the counts, and approves', async () => {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    await signIn(page, 'kalle.comms');

    // One item waits: the held broadcast (the demo templates are all approved).
    const approvals = page.getByRole('link', { name: 'Approvals 1 waiting' });
    await approvals.waitFor();
    await approvals.click();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    const held = page.getByRole('link', { name: /Ground handling strike at Oslo: initial/ });
    await held.waitFor();
    await checkPage(page, 'approval-01-queue');

    await held.click();
    const content = page.getByRole('region', { name: 'What it says and whom it reaches' });
    await content.waitFor();
    await content.getByText('Requested by olli.operator').waitFor();
    // The free text is highlighted wherever it lands: the status page's body, in all three languages.
    const marks = content.locator('mark', { hasText: NOTE });
    await marks.first().waitFor();
    expect(await marks.count()).toBe(3);
    expect(await content.locator('p[lang="fi"] mark').first().textContent()).toBe(NOTE);
    // Recipients as counted when the broadcast was requested, as the operator's preview counted them.
    expect(preview.recipients.sms).toBeGreaterThan(0);
    expect(await content.getByRole('definition').first().textContent()).toContain(
      `${preview.recipients.sms} passengers`,
    );
    // What it says comes before the button that releases it.
    const approve = page.getByRole('button', { name: 'Approve broadcast' });
    const [textAt, buttonAt] = await Promise.all([marks.first().boundingBox(), approve.boundingBox()]);
    expect(textAt?.y).toBeLessThan(buttonAt?.y ?? 0);
    await checkPage(page, 'approval-02-held-broadcast');

    await approve.click();
    await content.getByText(/approved by kalle\.comms at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    // The badge follows the approval at the next navigation: nothing waits any more.
    await page.getByRole('link', { name: 'Approvals', exact: true }).waitFor();
    await checkPage(page, 'approval-03-after');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the broadcast page says who approved it and when', async () => {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    page.setDefaultTimeout(15_000);
    await signIn(page, 'olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${broadcastId}`);

    await page.getByRole('term').filter({ hasText: 'Approved' }).waitFor();
    expect(await page.locator('dt:has-text("Approved") + dd').textContent()).toMatch(
      /\d{4}-\d{2}-\d{2} \d{2}:\d{2}.* by kalle\.comms/,
    );
    await page.close();
  }, 60_000);
});
