/**
 * Issue 17, Lookup, in the console (headless Chromium, a 390 px wide phone screen): an operator
 * searches a passenger whose SMS could not be delivered and reads Twilio's code and the reason,
 * and the broadcast page lists the failure with it. axe finds nothing and no page scrolls
 * sideways.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
import type { Incident } from '#shared/domain/model.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest } from '#test/support/console-stack.ts';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { apiClient, eventually } from '#test/support/local-stack.ts';
import {
  broadcastWithUnreachablePassenger,
  lookupOnceUndelivered,
  registerUndeliverable,
  type UnreachablePassenger,
} from '#test/support/unreachable-passenger.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
const REASON = 'Unreachable handset: the phone was off or out of coverage';
/** The broadcast page's failed messages come 25 at a time (failed-deliveries.tsx). */
const FAILED_PAGE_SIZE = 25;

describe('console: passenger lookup and failure reasons', () => {
  let stack: LocalStack;
  let browser: Browser;
  let scene: UnreachablePassenger;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    scene = await broadcastWithUnreachablePassenger(stack);
    await lookupOnceUndelivered(stack, scene.broadcastId, `customerId=${scene.passenger.customerId}`);
  }, 180_000);
  // The flows after this file share the stack's Twilio sandbox: they reach every number again.
  afterAll(() => registerUndeliverable(stack, []));

  async function signedInOperator(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, stack.users.find((user) => user.role === 'operator')?.user ?? '');
    return { page, errors };
  }

  it('searches a passenger by booking reference and by phone, and reads why their SMS failed', async () => {
    const { passenger, bookingRef, broadcastId } = scene;
    const { page, errors } = await signedInOperator();

    await page.getByRole('link', { name: 'Passengers' }).click();
    await page.getByLabel('Search by').selectOption('bookingRef');
    await page.getByLabel('Booking reference').fill(bookingRef);
    await page.getByRole('button', { name: 'Search' }).click();
    const messages = page.getByRole('list', { name: 'Messages, newest incident first' });
    const failed = messages
      .getByRole('listitem')
      .filter({ has: page.locator(`a[href="#/broadcasts/${broadcastId}"]`) })
      .filter({ hasText: passenger.customerId });
    await failed.getByText(REASON).waitFor();

    const text = await failed.textContent();
    expect(text).toContain('Strike at Helsinki Airport');
    expect(text).toContain('undelivered');
    expect(text).toContain(`30003 ${REASON}`);
    await expect(page.getByRole('region', { name: 'Passengers found' }).textContent()).resolves.toContain(
      passenger.customerId,
    );
    expect(await page.content()).not.toContain(passenger.phone);
    await expectFitsAPhone(page);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'console-passenger-lookup.png'), fullPage: true });

    await page.getByLabel('Search by').selectOption('phone');
    await page.getByLabel('Phone number').fill(passenger.phone);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/#\/passengers\/phone\//);
    await messages.getByText(REASON).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('lists the broadcast’s failed messages with code and reason, and links each to its passenger', async () => {
    const { passenger, broadcastId } = scene;
    const { page, errors } = await signedInOperator();

    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${broadcastId}`);
    const failed = page.getByRole('region', { name: 'Failed messages with their reasons' });
    await failed.getByText(REASON).waitFor();

    await expect(failed.getByRole('cell').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['SMS', 'undelivered', '30003', REASON]),
    );
    await expectFitsAPhone(page);
    await failed.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`#/passengers/customerId/${passenger.customerId}$`));
    await page.getByRole('list', { name: 'Messages, newest incident first' }).getByText(REASON).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('pages through many failed messages with Load more, each once', async () => {
    const window = demoWindow();
    const phones = expectedDemoPhones('HEL', window.start, window.end);
    expect(phones.length).toBeGreaterThan(FAILED_PAGE_SIZE);
    await registerUndeliverable(stack, phones);
    const operator = apiClient(stack, 'operator');
    const incident = await operator<Incident>('POST', '/incidents', {
      type: 'weather',
      title: 'Snow at Helsinki Airport',
      severity: 'moderate',
      window,
      scope: { airports: ['HEL'] },
    });
    const { body: accepted } = await operator<{ id: string }>(
      'POST',
      `/incidents/${incident.body.id}/broadcasts`,
      { templateId: 'strike-disruption', channels: ['sms'] },
    );
    await eventually(async () => {
      const { body } = await operator<BroadcastDetail>('GET', `/broadcasts/${accepted.id}`);
      return body.countsFinal && body.counts.sms?.failed === phones.length ? body : undefined;
    }, 120_000);
    const { page, errors } = await signedInOperator();

    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${accepted.id}`);
    const rows = page.getByRole('region', { name: 'Failed messages with their reasons' }).locator('tbody tr');
    await rows.nth(FAILED_PAGE_SIZE - 1).waitFor();
    expect(await rows.count()).toBe(FAILED_PAGE_SIZE);
    while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
      const shown = await rows.count();
      await page.getByRole('button', { name: 'Load more' }).click();
      await rows.nth(shown).waitFor();
    }

    // Each linked to its passenger: the customer ids, unlike the masked numbers, are unique.
    const recipients = await rows
      .locator('td:nth-child(2) a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(recipients).toHaveLength(phones.length);
    expect(new Set(recipients).size).toBe(phones.length);
    expect(await rows.filter({ hasText: REASON }).count()).toBe(phones.length);
    await expectFitsAPhone(page);
    expect(errors).toEqual([]);
  }, 240_000);
});
