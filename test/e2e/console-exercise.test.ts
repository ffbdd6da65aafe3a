/**
 * Issue 19, item 5, in the console (headless Chromium, a 390 px wide phone screen): an operator
 * opens an exercise from the new-incident form, and the console marks it in words wherever it
 * shows the incident or its broadcasts: the incidents list, its page, a broadcast's page and the
 * comms lead's approvals. axe finds nothing and no page scrolls sideways.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { EXERCISE_LABEL } from '#shared/domain/exercise.ts';
import type { Incident } from '#shared/domain/model.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest } from '#test/support/console-stack.ts';
import { apiClient } from '#test/support/local-stack.ts';

const TITLE = 'Rehearsal: strike of AY ground staff';
/** A few page loads and axe runs on a loaded 2-core machine. */
const FLOW_MS = 120_000;

describe('console: an exercise is marked wherever it is shown', () => {
  let stack: LocalStack;
  let browser: Browser;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
  }, 180_000);

  async function signedIn(user: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, user);
    return { page, errors };
  }

  /** The mark in words: the badge's text, never a colour alone. */
  const badge = (page: Page) => page.locator('.badge-exercise', { hasText: EXERCISE_LABEL });
  const notice = (page: Page) =>
    page.getByRole('note').filter({ hasText: 'Only the staff test numbers are texted' });

  it(
    'opens an exercise from the form and marks it in the list, on its page and on its broadcast',
    async () => {
      const { page, errors } = await signedIn('olli.operator');

      await page.goto(`${stack.apiUrl}/console/#/incidents/new`);
      await page.getByLabel(/^Title in English/).fill(TITLE);
      await page.getByLabel(/^Carriers/).fill('AY');
      await page.getByRole('checkbox', { name: /^Exercise:/ }).check();
      await expectFitsAPhone(page, 'new incident form');
      await page.getByRole('button', { name: 'Open incident' }).click();

      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await badge(page).waitFor();
      await notice(page).waitFor();
      await expectFitsAPhone(page, 'exercise incident page');
      const incidentId = /#\/incidents\/([^/]+)$/.exec(page.url())?.[1] ?? '';
      const stored = await apiClient(stack, 'operator')<Incident>('GET', `/incidents/${incidentId}`);
      expect(stored.body.exercise).toBe(true);

      await page.goto(`${stack.apiUrl}/console/#/incidents`);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: TITLE }) });
      await expect.poll(() => row.textContent()).toContain(EXERCISE_LABEL);
      await expectFitsAPhone(page, 'incidents list');

      const broadcast = await apiClient(stack, 'operator')<{ id: string }>(
        'POST',
        `/incidents/${incidentId}/broadcasts`,
        { templateId: 'strike-disruption', channels: ['status'] },
      );
      await page.goto(`${stack.apiUrl}/console/#/broadcasts/${broadcast.body.id}`);
      await notice(page).waitFor();
      await expectFitsAPhone(page, 'exercise broadcast page');
      expect(errors).toEqual([]);
    },
    FLOW_MS,
  );

  it(
    "marks a held exercise broadcast in the comms lead's approvals, and not a real one",
    async () => {
      const operator = apiClient(stack, 'operator');
      const today = new Date().toISOString().slice(0, 10);
      const open = async (title: string, exercise: boolean) => {
        const incident = await operator<Incident>('POST', '/incidents', {
          type: 'strike',
          title,
          severity: 'severe',
          window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
          scope: { airports: ['OSL'] },
          ...(exercise ? { exercise: true } : {}),
        });
        // Free text waits for a comms lead.
        await operator('POST', `/incidents/${incident.body.id}/broadcasts`, {
          templateId: 'strike-disruption',
          channels: ['status'],
          variables: { note: 'Buses leave from door 3.' },
        });
      };
      await open('Drill at Oslo', true);
      await open('Strike at Oslo', false);
      const { page, errors } = await signedIn('kalle.comms');

      await page.goto(`${stack.apiUrl}/console/#/approvals`);
      const item = (title: string) =>
        page
          .getByRole('listitem')
          .filter({ has: page.getByRole('link', { name: new RegExp(`^${title}:`) }) });
      await item('Drill at Oslo').waitFor();
      expect(await item('Drill at Oslo').textContent()).toContain(EXERCISE_LABEL);
      expect(await item('Strike at Oslo').textContent()).not.toContain(EXERCISE_LABEL);
      await expectFitsAPhone(page, 'approvals');
      expect(errors).toEqual([]);
    },
    FLOW_MS,
  );
});
