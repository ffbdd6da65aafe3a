import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest, uniqueTitle } from '#test/support/console-stack.ts';
import { apiClient, eventually } from '#test/support/local-stack.ts';

/** A phone held upright: the console must fit it without scrolling sideways. */
/** A time as the console shows it: 24-hour, with the zone (UTC unless HERALD_TIME_ZONE says otherwise). */
const SHOWN_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;
const TITLE = uniqueTitle('Ground handling strike at Oslo Airport');

/**
 * The console and status-site details of issue 17, point 6, in Chromium at 390 px: every page
 * fits the screen, times read 24-hour with their zone, cancel and resolve ask in an in-page
 * dialog, a broadcast variable is never cut and its limit is refused visibly, a new template
 * can be submitted again after a 422, "approved by … at" has its time, the audit log shows
 * incidents opened and resolved, and the status site answers wrong addresses with pages.
 */
describe('console details in Chromium at 390 px', () => {
  let stack: LocalStack;
  let browser: Browser;
  let incidentId: string;
  let completedId: string;
  let pendingId: string;

  const today = new Date().toISOString().slice(0, 10);
  const openIncident = async (title: string, airport: string) => {
    const created = await apiClient(stack, 'operator')<{ id: string }>('POST', '/incidents', {
      type: 'strike',
      title,
      severity: 'severe',
      window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` },
      scope: { airports: [airport] },
    });
    return created.body.id;
  };

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    const operator = apiClient(stack, 'operator');
    incidentId = await openIncident(TITLE, 'OSL');
    const completed = await operator<{ id: string }>('POST', `/incidents/${incidentId}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms', 'status'],
    });
    completedId = completed.body.id;
    await eventually(async () => {
      const { body } = await operator<{ status: string }>('GET', `/broadcasts/${completedId}`);
      return body.status === 'completed' ? body : undefined;
    });
    // Free text waits for a comms lead: a broadcast that is neither sent nor ended, to cancel.
    const pending = await operator<{ id: string }>('POST', `/incidents/${incidentId}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['status'],
      variables: { note: 'Buses replace the cancelled flights.' },
    });
    pendingId = pending.body.id;
  });

  async function phonePage(user?: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    // window.confirm and the like would open here: the console must never use them.
    page.on('dialog', (dialog) => {
      throw new Error(`a browser dialog opened: ${dialog.type()} "${dialog.message()}"`);
    });
    const errors = collectPageErrors(page);
    if (user) await signInToConsole(page, stack, user);
    else await page.goto(`${stack.apiUrl}/console/`);
    return { page, errors };
  }

  it('every page fits 390 px without scrolling sideways, with axe at 0', async () => {
    const visits: { user?: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
      { path: '', ready: (page) => page.getByLabel('API key').waitFor() },
      {
        user: 'olli.operator',
        path: '#/incidents',
        ready: (page) => page.getByRole('link', { name: TITLE }).waitFor(),
      },
      {
        user: 'olli.operator',
        path: '#/incidents/new',
        ready: (page) => page.getByRole('button', { name: 'Open incident' }).waitFor(),
      },
      {
        user: 'olli.operator',
        path: `#/incidents/${incidentId}`,
        ready: async (page) => {
          await page.getByRole('cell', { name: 'completed' }).waitFor();
          await page.getByLabel('Approved template').selectOption('strike-disruption');
          await page.getByRole('button', { name: 'Preview' }).click();
          await page.locator('section.preview').waitFor();
          await page.locator('summary', { hasText: 'Affected flights' }).click();
        },
      },
      {
        user: 'olli.operator',
        path: `#/broadcasts/${completedId}`,
        ready: (page) => page.getByText(/^Completed at/).waitFor(),
      },
      {
        user: 'olli.operator',
        path: '#/templates',
        ready: (page) => page.getByRole('link', { name: 'Strike disrupts flights' }).waitFor(),
      },
      {
        user: 'cecilia.comms',
        path: '#/templates/strike-disruption',
        ready: (page) => page.getByRole('heading', { level: 2, name: /Edit/ }).waitFor(),
      },
      {
        user: 'cecilia.comms',
        path: '#/templates/new',
        ready: (page) => page.getByLabel('Id (lower-case letters, digits and -)').waitFor(),
      },
      {
        user: 'cecilia.comms',
        path: `#/broadcasts/${pendingId}`,
        ready: (page) => page.getByText(/Waiting for a comms lead/).waitFor(),
      },
      {
        user: 'aada.admin',
        path: '#/audit',
        ready: (page) => page.getByRole('cell', { name: 'incident.created' }).first().waitFor(),
      },
    ];
    for (const { user, path, ready } of visits) {
      const { page, errors } = await phonePage(user);
      await page.goto(`${stack.apiUrl}/console/${path}`);
      await ready(page);
      await expectFitsAPhone(page);
      expect(errors).toEqual([]);
      await page.close();
    }
    // Every section each role's navigation offers (approvals, passenger lookup, audit…) fits too.
    for (const user of ['olli.operator', 'cecilia.comms', 'aada.admin']) {
      const { page, errors } = await phonePage(user);
      const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all();
      for (const href of await Promise.all(links.map((link) => link.getAttribute('href')))) {
        await page.goto(`${stack.apiUrl}/console/${href}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        await expectFitsAPhone(page);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 360_000);

  it('shows times 24-hour with the zone, and says which zone', async () => {
    const { page, errors } = await phonePage('olli.operator');
    expect(await page.getByText('Times in UTC').count()).toBe(1);
    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${completedId}`);
    const summary = await page.getByText(/^Completed at/).textContent();
    expect(summary).toMatch(new RegExp(`^Completed at ${SHOWN_TIME.source}:`));
    await page.goto(`${stack.apiUrl}/console/#/incidents/${incidentId}`);
    const opened = page.locator('dt', { hasText: 'Opened' }).locator('xpath=following-sibling::dd[1]');
    expect(await opened.textContent()).toMatch(new RegExp(`^${SHOWN_TIME.source} by olli.operator$`));
    expect(await page.locator('main').textContent()).not.toMatch(/\b(AM|PM)\b/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks before cancelling in an in-page dialog that takes the focus and gives it back', async () => {
    const { page, errors } = await phonePage('olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${pendingId}`);
    const cancel = page.getByRole('button', { name: 'Cancel broadcast' });
    await cancel.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this broadcast?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Nothing more is sent; what was sent stays sent.');
    expect(await page.locator(':focus').textContent()).toBe('Keep sending');
    await expectFitsAPhone(page);

    // Escape keeps it, and the focus is back on the button that asked.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator(':focus').textContent()).toBe('Cancel broadcast');
    const operator = apiClient(stack, 'operator');
    expect((await operator<{ status: string }>('GET', `/broadcasts/${pendingId}`)).body.status).toBe(
      'pending_approval',
    );

    await cancel.click();
    await dialog.getByRole('button', { name: 'Cancel broadcast' }).click();
    await page.getByText(/^Cancelled at/).waitFor();
    expect((await operator<{ status: string }>('GET', `/broadcasts/${pendingId}`)).body.status).toBe(
      'cancelled',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks before resolving an incident in the same dialog', async () => {
    const id = await openIncident('Strike at Copenhagen Airport', 'CPH');
    const { page, errors } = await phonePage('olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/incidents/${id}`);
    await page.getByRole('button', { name: 'Resolve incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve this incident?' });
    await dialog.waitFor();
    expect(await page.locator(':focus').textContent()).toBe('Keep it open');
    await dialog.getByRole('button', { name: 'Keep it open' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator(':focus').textContent()).toBe('Resolve incident');

    await page.getByRole('button', { name: 'Resolve incident' }).click();
    await dialog.getByRole('button', { name: 'Resolve incident' }).click();
    await page.locator('dt', { hasText: 'Resolved' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never cuts a variable as it is typed: it counts against the limit, and the preview refuses what is over it', async () => {
    const { page, errors } = await phonePage('olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/incidents/${incidentId}`);
    await page.getByLabel('Approved template').selectOption('strike-disruption');
    const note = page.locator('#var-note');
    await note.fill('Buses replace flights.');
    expect(await page.getByText('22/200 characters').count()).toBe(1);
    expect(await note.getAttribute('aria-invalid')).toBe('false');

    const tooLong = 'Buses replace the cancelled flights. '.repeat(6).trim(); // 221 characters
    await note.fill(tooLong);
    expect(await note.inputValue()).toBe(tooLong);
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('221/200 characters: 21 too many, the template allows 200.').count()).toBe(1);
    await page.getByRole('button', { name: 'Preview' }).click();
    const problem = page.getByRole('alert');
    await expect(problem.textContent()).resolves.toContain(
      "variables.note: 221 characters; template 'strike-disruption' was approved for at most 200.",
    );
    expect(await page.locator('section.preview').count()).toBe(0);
    await expectFitsAPhone(page);
    expect(errors.filter((error) => !error.includes('status of 422'))).toEqual([]);
    await page.close();
  });

  it('submits a new template again after a 422 on "Save and submit", without a 409', async () => {
    const { page, errors } = await phonePage('cecilia.comms');
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.request().method() !== 'GET' && new URL(response.url()).pathname.startsWith('/templates'))
        statuses.push(response.status());
    });
    await page.goto(`${stack.apiUrl}/console/#/templates/new`);
    await page.getByLabel('Id (lower-case letters, digits and -)').fill('gate-change');
    await page.getByLabel('Name').fill('Gate change');
    for (const language of ['Finnish', 'Swedish', 'English']) {
      await page.getByRole('tab', { name: language }).click();
      for (const field of await page.locator('#language-panel textarea').all())
        await field.fill('Flights at {{incident.airports}} leave from another gate.');
    }
    // A personal variable in a public field: the submit's 422 lands on that field.
    const social = page.getByLabel('X and Facebook post').first();
    await social.fill('Hi {{customer.firstName}}, your gate changed.');
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('content.en.social');
    expect(statuses).toEqual([201, 422]);
    // The draft the first save made is this page's template now.
    await page.locator('.versions li').first().getByText('draft', { exact: true }).waitFor();

    await social.fill('Gates changed at {{incident.airports}}.');
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.getByRole('status').filter({ hasText: 'submitted it for review' }).waitFor();
    expect(statuses).toEqual([201, 422, 201, 200]);
    expect(page.url()).toMatch(/#\/templates\/gate-change$/);
    await page.getByText('Waiting for another comms lead to review').waitFor();
    expect(errors.filter((error) => !error.includes('status of 422'))).toEqual([]);
    await page.close();
  });

  it('says when a template version was approved', async () => {
    const { page, errors } = await phonePage('olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/templates/strike-disruption`);
    const version = page.locator('.versions li').first();
    await version.getByText(/approved by/).waitFor();
    expect(await version.textContent()).toMatch(
      new RegExp(`approved by kalle\\.comms at ${SHOWN_TIME.source}`),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows incidents opened and resolved, by hand or by a resolution broadcast, in the audit log', async () => {
    const operator = apiClient(stack, 'operator');
    const id = await openIncident('Strike at Riga Airport', 'RIX');
    const resolution = await operator<{ id: string }>('POST', `/incidents/${id}/broadcasts`, {
      templateId: 'strike-disruption',
      kind: 'resolution',
      channels: ['status'],
    });
    const admin = apiClient(stack, 'admin');
    const byBroadcast = await eventually(async () => {
      const { body } = await admin<{ items: { action: string; actor: string; resource: { id: string } }[] }>(
        'GET',
        '/audit',
      );
      return body.items.find((entry) => entry.action === 'incident.resolved' && entry.resource.id === id);
    });
    expect(byBroadcast).toMatchObject({
      actor: 'olli.operator',
      details: { broadcastId: resolution.body.id },
    });

    const { page, errors } = await phonePage('aada.admin');
    await page.goto(`${stack.apiUrl}/console/#/audit`);
    await page.getByRole('cell', { name: 'incident.resolved' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'incident.created' }).count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('cell', { name: 'incident.resolved' }).count()).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers /status/en and /status/ with the page, and an unknown status page with its own HTML 404', async () => {
    for (const [path, location] of [
      ['/status/en', '/status'],
      ['/status/', '/status'],
      ['/status/fi/', '/status/fi'],
    ]) {
      const response = await fetch(`${stack.apiUrl}${path}`, { redirect: 'manual' });
      expect([path, response.status, response.headers.get('location')]).toEqual([path, 301, location]);
    }
    const missing = await fetch(`${stack.apiUrl}/status/de`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await missing.text()).toContain('Page not found');

    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    const response = await page.goto(`${stack.apiUrl}/status/en`);
    expect(page.url()).toBe(`${stack.apiUrl}/status`);
    expect(response?.status()).toBe(200);
    await page.goto(`${stack.apiUrl}/status/de`);
    await page.getByRole('link', { name: 'Liikennehäiriöt' }).waitFor();
    await expectFitsAPhone(page);
    await page.close();
  });
});
