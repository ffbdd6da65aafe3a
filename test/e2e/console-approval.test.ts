import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { PendingApprovals } from '#shared/api/approvals.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Incident } from '#shared/domain/model.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest, uniqueTitle } from '#test/support/console-stack.ts';
import { apiClient } from '#test/support/local-stack.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
const NOTE = 'Buses to the terminal leave from door 3.';
const TITLE = uniqueTitle('Ground handling strike at Stockholm');
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

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    await mkdir(SCREENSHOTS, { recursive: true });
    const operator = apiClient(stack, 'operator');
    const today = new Date().toISOString().slice(0, 10);
    const incident = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: TITLE,
      severity: 'severe',
      window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
      scope: { airports: ['ARN'] },
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

    // The held broadcast waits, with whatever other flows on this stack left waiting.
    const { body: queue } = await apiClient(stack, 'comms_lead')<PendingApprovals>('GET', '/approvals');
    const waiting = queue.broadcasts.length + queue.templates.length;
    expect(queue.broadcasts.map((held) => held.id)).toContain(broadcastId);
    const approvals = page.getByRole('link', { name: `Approvals ${waiting} waiting`, exact: true });
    await approvals.waitFor();
    await approvals.click();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    const held = page.getByRole('link', { name: `${TITLE}: initial` });
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
    // The badge follows the approval at the next navigation: one item fewer waits.
    const after = waiting === 1 ? 'Approvals' : `Approvals ${waiting - 1} waiting`;
    await page.getByRole('link', { name: after, exact: true }).waitFor();
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
