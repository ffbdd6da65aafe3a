import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { maskPhone } from '#shared/domain/masking.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { axeViolations, collectPageErrors } from '#test/support/browser.ts';
import { signInToConsole } from '#test/support/console-page.ts';
import { consoleTest, messagesFromNow } from '#test/support/console-stack.ts';
import { csvObjects } from '#test/support/csv.ts';
import { apiClient, eventually, type SandboxMessage } from '#test/support/local-stack.ts';

/**
 * Issue 17, evidence export in the console: a comms lead downloads an incident's evidence CSV
 * from its page in Chromium, and every SMS row matches what the Twilio sandbox received.
 */
describe('console: downloading the evidence CSV', () => {
  let stack: LocalStack;
  let browser: Browser;
  let incidentId: string;
  let texted: () => Promise<SandboxMessage[]>;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    const operator = apiClient(stack, 'operator');
    const today = new Date().toISOString().slice(0, 10);
    const incident = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Strike at Copenhagen',
      severity: 'severe',
      window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
      scope: { airports: ['CPH'] },
    });
    incidentId = incident.body.id;
    texted = await messagesFromNow(stack.sandboxes.twilio);
    const { body } = await operator<{ id: string }>('POST', `/incidents/${incidentId}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });
    await eventually(async () => {
      const { body: broadcast } = await operator<Broadcast>('GET', `/broadcasts/${body.id}`);
      const sms = broadcast.counts.sms;
      return sms && sms.recipients > 0 && sms.delivered === sms.recipients ? broadcast : undefined;
    }, 60_000);
  }, 180_000);

  async function signedIn(role: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, stack.users.find((candidate) => candidate.role === role)?.user ?? '');
    await page.goto(`${stack.apiUrl}/console/#/incidents/${incidentId}`);
    await page.getByRole('heading', { name: 'Strike at Copenhagen' }).waitFor();
    return { page, errors };
  }

  it('saves the CSV from the incident page, every SMS row as the Twilio sandbox received it', async () => {
    const { page, errors } = await signedIn('comms_lead');
    const evidence = page.getByRole('region', { name: 'Evidence' });
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      evidence.getByRole('button', { name: 'Download evidence (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`evidence-${incidentId}.csv`);
    const rows = csvObjects(await readFile((await download.path()) ?? '', 'utf8'));
    const messages = await texted();
    expect(messages.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(messages.length);
    for (const message of messages) {
      expect(rows.find((row) => row.providerMessageId === message.id)).toMatchObject({
        channel: 'sms',
        recipient: `'${maskPhone(String(message.request.body.To))}`,
        text: String(message.request.body.Body),
        status: 'delivered',
      });
    }
    await expect(evidence.getByRole('button', { name: 'Download evidence (CSV)' }).isEnabled()).resolves.toBe(
      true,
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers no download to a viewer, whom the API would refuse', async () => {
    const { page, errors } = await signedIn('viewer');
    await expect(page.getByRole('button', { name: 'Download evidence (CSV)' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
