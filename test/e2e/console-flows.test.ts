import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { axeViolations, collectPageErrors } from '#test/support/browser.ts';
import { signInToConsole } from '#test/support/console-page.ts';
import { consoleTest, messagesFromNow, uniqueTitle } from '#test/support/console-stack.ts';
import { apiClient } from '#test/support/local-stack.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The console's POST of a new broadcast (not its preview). */
const isBroadcastCreation = (request: Request) =>
  request.method() === 'POST' && /\/incidents\/[^/]+\/broadcasts$/.test(new URL(request.url()).pathname);

/** "yyyy-mm-ddThh:mm" in the browser's (and this process's) local time, for datetime-local inputs. */
function localInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The operations console in headless Chromium against the whole local stack: the operator's
 * flow from a new incident to a completed broadcast, and the comms leads' four-eyes flow from an
 * edited template to its approval by the other lead. Screenshots go to test/e2e/screenshots/.
 */
describe('operations console in Chromium', () => {
  let stack: LocalStack;
  let browser: Browser;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  /** The browser logs every 4xx fetch; the ones a test provokes on purpose are not errors of the page. */
  const unexpected = (errors: string[], ...statuses: number[]) =>
    errors.filter((error) => !statuses.some((status) => error.includes(`status of ${status}`)));

  const signIn = (page: Page, user: string) => signInToConsole(page, stack, user);

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    return { page, errors: collectPageErrors(page) };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('serves the built console at /console/ beside the API and the status site', async () => {
    const redirect = await fetch(`${stack.apiUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const index = await fetch(`${stack.apiUrl}/console/`);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('<div id="app">');
    expect((await fetch(`${stack.apiUrl}/status`)).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/console/../package.json`)).status).toBe(404);
  });

  it('refuses a wrong key with the problem detail', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${stack.apiUrl}/console/`);
    await page.getByLabel('API key').fill('hk_not_a_real_key_0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Unauthorized (401)');
    await shot(page, '01-sign-in-refused');
    expect(await axeViolations(page)).toEqual([]);
    expect(unexpected(errors, 401)).toEqual([]);
    await page.close();
  });

  it('operator: opens an incident, previews, confirms the send and watches it complete', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'olli.operator');
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Open an incident' }).click();

    // A window that ends before it starts: the API's 422 is shown field by field.
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    const end = new Date(start.getTime() + (24 * 60 - 1) * 60_000);
    // Not at Oslo: console-wording posts the strike's words there on X, which refuses a repeat.
    const title = uniqueTitle('Ground handling strike at Tallinn Airport');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Severity').selectOption('severe');
    await page.getByLabel('Starts').fill(localInput(end));
    await page.getByLabel('Ends (not included)').fill(localInput(start));
    await page.getByLabel('Find an airport').fill('Tallinn');
    await page.getByRole('button', { name: /Add TLL/ }).click();
    await page.getByRole('button', { name: 'Open incident' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The window must end after it starts.',
    );
    await shot(page, '02-incident-form-error');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Starts').fill(localInput(start));
    await page.getByLabel('Ends (not included)').fill(localInput(end));
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('No broadcasts yet.').waitFor();

    await page.getByLabel('Approved template').selectOption('strike-disruption');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('section.preview');
    await preview.waitFor();
    const smsRecipients = Number(await preview.locator('.stat').first().textContent());
    expect(smsRecipients).toBeGreaterThan(0);
    expect(await preview.textContent()).toMatch(/SMS · fi.*GSM-7, 1 segment/);
    expect(await preview.textContent()).toMatch(/X · en\s*\d+\/280 weighted/);
    await shot(page, '03-preview');
    expect(await axeViolations(page)).toEqual([]);

    const sendLabel = `Send to ${smsRecipients} recipients`;
    await page.getByRole('button', { name: `${sendLabel}…` }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this broadcast?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`An SMS goes to ${smsRecipients} recipients`);
    await shot(page, '04-confirm');
    const created = page.waitForRequest(isBroadcastCreation);
    const texted = await messagesFromNow(stack.sandboxes.twilio);
    await dialog.getByRole('button', { name: sendLabel }).click();
    const firstKey = (await created).headers()['idempotency-key'];
    expect(firstKey).toMatch(UUID);

    await page.getByRole('heading', { level: 1, name: /Broadcast: initial/ }).waitFor();
    await page.getByText(/^Completed at/).waitFor({ timeout: 30_000 });
    const smsRow = page.getByRole('row', { name: /^SMS/ });
    expect(await smsRow.textContent()).toContain(`${smsRecipients}/${smsRecipients}`);
    await shot(page, '05-broadcast-completed');
    expect(await axeViolations(page)).toEqual([]);
    expect(await texted()).toHaveLength(smsRecipients);

    // The incident lists its broadcast; a resolution closes it.
    await page.getByRole('link', { name: 'Send an update or resolution' }).click();
    await page.getByRole('heading', { level: 2, name: 'Broadcasts' }).waitFor();
    await page.getByRole('cell', { name: 'completed' }).waitFor();
    expect(await page.getByLabel('Kind').inputValue()).toBe('update');
    await page.getByLabel('Kind').selectOption('resolution');
    // The same words again would be refused by X as a duplicate: the all-clear goes by SMS and status only.
    await page.getByRole('checkbox', { name: 'X', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'Facebook' }).uncheck();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('section.preview').waitFor();
    await page.getByRole('button', { name: /^Send to .*…$/ }).click();
    const resolution = page.waitForRequest(isBroadcastCreation);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Send to/ })
      .click();
    // Another submission, another key: a key names one request, not the form.
    expect((await resolution).headers()['idempotency-key']).toMatch(UUID);
    expect((await resolution).headers()['idempotency-key']).not.toBe(firstKey);
    await page.getByText(/^Completed at/).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: '← Incident' }).click();
    await page.getByText('resolved', { exact: true }).first().waitFor({ timeout: 15_000 });
    await shot(page, '06-incident-resolved');
    expect(unexpected(errors, 422)).toEqual([]);
    await page.close();
  }, 120_000);

  it('comms leads: one edits and submits (422 shown per field), the other approves; a free-text broadcast is approved', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'cecilia.comms');
    expect(await page.getByRole('link', { name: 'Open an incident' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    await page
      .getByRole('link', { name: /strike/i })
      .first()
      .click();
    await page.getByRole('heading', { level: 2, name: /Edit/ }).waitFor();

    // A personal variable in a public field: the submit's 422 lands on that field.
    await page.getByRole('tab', { name: 'English' }).click();
    const social = page.getByLabel('X and Facebook post');
    const original = await social.inputValue();
    await social.fill(`${original} Hi {{customer.firstName}}!`);
    expect(await page.getByRole('region', { name: 'Live preview, English' }).textContent()).toContain(
      'Hi Aino!',
    );
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('content.en.social');
    expect(await social.getAttribute('aria-invalid')).toBe('true');
    await shot(page, '07-template-422');
    expect(await axeViolations(page)).toEqual([]);

    await social.fill(`${original} Sorry for the trouble.`);
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.getByRole('status').filter({ hasText: 'submitted it for review' }).waitFor();
    await page.getByText('Waiting for another comms lead to review').waitFor();
    expect(await page.getByRole('button', { name: /^Approve v/ }).count()).toBe(0);
    await shot(page, '08-template-submitted');

    // An operator's broadcast with free text waits for a comms lead.
    const operator = apiClient(stack, 'operator');
    const today = new Date().toISOString().slice(0, 10);
    const storm = uniqueTitle('Storm over Copenhagen');
    const incident = await operator<{ id: string }>('POST', '/incidents', {
      type: 'weather',
      title: storm,
      severity: 'moderate',
      window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` },
      scope: { airports: ['CPH'] },
    });
    const pending = await operator<{ id: string; status: string }>(
      'POST',
      `/incidents/${incident.body.id}/broadcasts`,
      {
        templateId: 'strike-disruption',
        channels: ['status'],
        variables: { note: 'Buses replace flights.' },
      },
    );
    expect(pending.body.status).toBe('pending_approval');

    // The other comms lead reviews both.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'kalle.comms');
    await page.getByRole('link', { name: 'Approvals' }).click();
    // Both queues have loaded (the incident list behind the page named the storm too).
    await page.getByRole('link', { name: `${storm}: initial` }).waitFor();
    await page.getByRole('link', { name: /Strike disrupts flights v\d/ }).waitFor();
    await shot(page, '09-approvals');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Strike disrupts flights v\d/ }).click();
    await page.getByRole('button', { name: /^Approve v\d+$/ }).click();
    await page.locator('.versions li').first().getByText('approved', { exact: true }).waitFor();
    expect(await page.locator('.versions li').first().textContent()).toContain('approved by kalle.comms');
    await shot(page, '10-template-approved');

    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('link', { name: `${storm}: initial` }).click();
    await page.getByRole('button', { name: 'Approve broadcast' }).click();
    await page.getByText(/^Completed at/).waitFor({ timeout: 30_000 });
    await shot(page, '11-free-text-broadcast-approved');
    expect(unexpected(errors, 422)).toEqual([]);
    await page.close();
  }, 120_000);

  it('admin: sees the audit log with the approvals in it', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'aada.admin');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'template.approved' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'broadcast.approved' }).count()).toBeGreaterThan(0);
    await shot(page, '12-audit-log');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
