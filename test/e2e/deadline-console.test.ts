/**
 * Issue 19, the deadline clock in the console (headless Chromium, a 390 px wide phone screen):
 * the incident page and a broadcast's page count down to the notification deadline in words,
 * second by second, and a preview whose last SMS falls after it shows the ETA and the warning
 * with the numbers. axe finds nothing and no page scrolls sideways.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Incident } from '#shared/domain/model.ts';
import { collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { demoWindow } from '#test/support/demo-audience.ts';
import { apiClient, startTestStack } from '#test/support/local-stack.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
/** Enough passengers at HEL that the airline's 3 minutes at 1 SMS/s cannot reach them all. */
const DEMO_CUSTOMERS = 400;

describe('console: the notification deadline', () => {
  let stack: LocalStack;
  let browser: Browser;
  let operator: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    // The local stack's own rate (one long code) and a 3-minute airline default.
    process.env.HERALD_SMS_MPS = '1';
    process.env.HERALD_NOTIFICATION_DEADLINE_MINUTES = '3';
    // One after the other: DynamoDB Local's JVM must start within 30 s on a busy 2-core machine.
    stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS) });
    browser = await launchBrowser();
    operator = apiClient(stack, 'operator');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const strike = async (airport: string) =>
    (
      await operator<Incident>('POST', '/incidents', {
        type: 'strike',
        title: `Ground handling strike at ${airport}`,
        severity: 'severe',
        window: demoWindow(),
        scope: { airports: [airport] },
      })
    ).body;

  async function signedInOperator(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, stack.users.find((user) => user.role === 'operator')?.user ?? '');
    return { page, errors };
  }

  async function expectTicking(page: Page): Promise<string> {
    const timer = page.getByRole('timer');
    await expect.poll(() => timer.textContent()).toMatch(/^(\d+ min )?\d+ s left$/);
    const before = await timer.textContent();
    await expect.poll(() => timer.textContent(), { timeout: 5_000 }).not.toBe(before);
    return (await page.locator('.countdown').textContent()) ?? '';
  }

  it('counts down on the incident page, and a late preview shows the ETA and the warning with the numbers', async () => {
    const incident = await strike('HEL');
    const { page, errors } = await signedInOperator();

    await page.goto(`${stack.apiUrl}/console/#/incidents/${incident.id}`);
    const countdown = await expectTicking(page);
    expect(countdown).toMatch(/^Notification deadline \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: /);

    await page.getByLabel('Approved template').selectOption('strike-disruption');
    for (const channel of ['X', 'Facebook', 'Status page'])
      await page.getByRole('checkbox', { name: channel, exact: true }).uncheck();
    await page.getByRole('button', { name: 'Preview' }).click();
    const eta = page.locator('.eta');
    await eta.waitFor();
    expect(await eta.textContent()).toMatch(
      /Last SMS.*\(in [\d.]+ min at 1 SMS\/s, [\d,]+ segments\)Deadline.*: [\d,]+ of [\d,]+ texted after it; [\d.]+ SMS\/s would make itDeparting within 2 h\d+ passengers/,
    );
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Warnings' }).textContent())
      .toMatch(/passengers would be texted after it\. [\d.]+ SMS\/s would reach them all in time\./);
    await expectFitsAPhone(page);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'console-deadline-preview.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("counts down on a broadcast's page to its incident's deadline", async () => {
    const incident = await strike('OSL');
    const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.id}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['status'],
    });
    expect(accepted.status).toBe(202);
    const { page, errors } = await signedInOperator();

    await page.goto(`${stack.apiUrl}/console/#/broadcasts/${accepted.body.id}`);
    await expectTicking(page);

    await expectFitsAPhone(page);
    expect(errors).toEqual([]);
  });
});
