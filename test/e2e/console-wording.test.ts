import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastKind, Language } from '#shared/domain/model.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest, messagesFromNow } from '#test/support/console-stack.ts';
import { DEMO_LANGUAGES, WORDING, wordingOf } from '#test/support/demo-wording.ts';
import { apiClient, eventually, type SandboxMessage } from '#test/support/local-stack.ts';

/** A phone held upright: every page must fit it without scrolling sideways. */
const NOTE = { en: 'Buses replace the airport train.', fi: 'Bussit korvaavat lentokenttäjunan.' };

/**
 * Wording per kind through the console in Chromium at 390 px: an operator opens an incident with
 * a Finnish title, sends the first message, is offered the update wording when an initial would
 * repeat it, sends an update with free text in English and Finnish, then the resolution; the
 * sandboxes and the status page in fi, sv and en carry each kind's own words.
 */
describe('wording per kind in the console', () => {
  let stack: LocalStack;
  let browser: Browser;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
  });

  /** Previews the composer's request, then sends it behind its confirmation; returns the broadcast's id. */
  async function previewAndSend(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('section.preview').waitFor();
    await page.getByRole('button', { name: /^Send to .*…$/ }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Send to/ })
      .click();
    await page.getByRole('heading', { level: 1, name: /^Broadcast/ }).waitFor();
    return new URL(page.url()).hash.split('/').at(-1) ?? '';
  }

  async function completed(broadcastId: string) {
    const operator = apiClient(stack, 'operator');
    await eventually(async () => {
      const { body } = await operator<{ status: string }>('GET', `/broadcasts/${broadcastId}`);
      return body.status === 'completed' ? body : undefined;
    }, 60_000);
  }

  async function backToIncident(page: Page) {
    await page.getByRole('link', { name: '← Incident' }).click();
    await page.getByRole('heading', { level: 2, name: 'Broadcasts' }).waitFor();
  }

  /** The kinds whose words the X posts and the SMS of each language carry, counting from this call on. */
  async function sentKindsFromNow(): Promise<() => Promise<{ tweets: string[]; sms: string[] }>> {
    const [posted, texted] = await Promise.all([
      messagesFromNow(stack.sandboxes.x),
      messagesFromNow(stack.sandboxes.twilio),
    ]);
    const kinds = async (messages: () => Promise<SandboxMessage[]>, field: 'post' | 'sms', key: string) =>
      (await messages()).map((message) => {
        const found = wordingOf(String(message.request.body[key]), field);
        return `${found?.kind}:${found?.language}`;
      });
    return async () => ({
      tweets: await kinds(posted, 'post', 'text'),
      sms: [...new Set(await kinds(texted, 'sms', 'Body'))],
    });
  }
  const each = (kind: BroadcastKind) => DEMO_LANGUAGES.map((language) => `${kind}:${language}`);

  it('sends initial → update → resolution, each in its own wording, with free text per language', async () => {
    const sentKinds = await sentKindsFromNow();
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, 'olli.operator');

    // An incident with its title in English and Finnish, at Oslo (the airport WORDING names),
    // where no other flow posts on X: X refuses a post it has seen, and the flows share its sandbox.
    await page.getByRole('link', { name: 'Open an incident' }).click();
    await page.getByLabel('Title').fill('Ground handling strike at Oslo');
    await page.getByLabel('Finnish').fill('Maahuolinnan lakko Oslossa');
    await page.getByLabel('Severity').selectOption('severe');
    await page.getByLabel('Find an airport').fill('Oslo');
    await page.getByRole('button', { name: /Add OSL/ }).click();
    await expectFitsAPhone(page, 'new incident');
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ground handling strike at Oslo' }).waitFor();
    const incidentId = new URL(page.url()).hash.split('/').at(-1) ?? '';
    const incident = await apiClient(stack, 'operator')<{ titleByLanguage?: object }>(
      'GET',
      `/incidents/${incidentId}`,
    );
    expect(incident.body.titleByLanguage).toEqual({ fi: 'Maahuolinnan lakko Oslossa' });

    // 1. The first message.
    await page.getByLabel('Approved template').selectOption('strike-disruption');
    expect(await page.getByLabel('Kind').inputValue()).toBe('initial');
    await completed(await previewAndSend(page));
    expect((await sentKinds()).tweets.sort()).toEqual(each('initial').sort());

    // An initial again would repeat every post: the preview warns and offers the update wording.
    await backToIncident(page);
    await page.getByLabel('Kind').selectOption('initial');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('section.preview');
    // Waited for by its text: the first message's preview (no warning) may still show until this one comes.
    await preview.getByText('X refuses a duplicate (error 187)').first().waitFor();
    await expectFitsAPhone(page, 'preview with a duplicate warning');
    await page.getByRole('button', { name: 'Use the update wording instead' }).click();
    expect(await page.getByLabel('Kind').inputValue()).toBe('update');

    // 2. An update with free text in English and Finnish; the Swedish left empty shows the English.
    await page.locator('#var-note').fill(NOTE.en);
    await page.locator('#var-note-fi').fill(NOTE.fi);
    await page.getByRole('button', { name: 'Preview' }).click();
    await preview.waitFor();
    expect(await preview.textContent()).toContain(
      'vars.note has no Swedish text: the Swedish messages show the English.',
    );
    expect(await preview.textContent()).toContain(NOTE.fi);
    await expectFitsAPhone(page, 'update preview');
    const update = await previewAndSend(page);
    // Free text waits for a comms lead who did not ask for it.
    expect((await apiClient(stack, 'comms_lead')('POST', `/broadcasts/${update}/approve`)).status).toBe(200);
    await completed(update);
    await backToIncident(page);

    // 3. The resolution.
    await page.getByLabel('Kind').selectOption('resolution');
    await completed(await previewAndSend(page));
    await page.getByRole('link', { name: '← Incident' }).click();
    await page.getByText('resolved', { exact: true }).first().waitFor({ timeout: 15_000 });
    await expectFitsAPhone(page, 'resolved incident');
    expect(errors).toEqual([]);
    await page.close();

    const sent = await sentKinds();
    expect(sent.tweets.sort()).toEqual([...each('initial'), ...each('update'), ...each('resolution')].sort());
    for (const kind of ['initial', 'update', 'resolution'] as const)
      expect(sent.sms.filter((found) => found.startsWith(`${kind}:`)).length, kind).toBeGreaterThan(0);
    expect(sent.sms.some((found) => found.startsWith('undefined'))).toBe(false);

    // The status page in each language: headed by the resolution, the update with that language's note.
    for (const language of DEMO_LANGUAGES) {
      const status = await browser.newPage({ viewport: PHONE_SCREEN });
      await status.goto(`${stack.apiUrl}${language === 'en' ? '/status' : `/status/${language}`}`);
      const card = status.locator(`#incident-${incidentId}`);
      expect(await card.locator('h3').textContent(), language).toBe(WORDING.resolution[language].status);
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(language === 'fi' ? NOTE.fi : NOTE.en);
      await expectFitsAPhone(status, `status page (${language as Language})`);
      await status.close();
    }
  }, 300_000);

  it('comms lead: edits a version’s resolution wording beside the others, and submit names its field', async () => {
    const page = await browser.newPage({ viewport: PHONE_SCREEN });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, 'cecilia.comms');
    // Not the strike template the other flows send: the refused submit leaves its draft the latest version.
    await page.goto(`${stack.apiUrl}/console/#/templates/ash-cloud-closure`);

    await page.getByLabel('Wording for').selectOption('resolution');
    const sms = page.getByLabel(/^SMS/);
    expect(await sms.inputValue()).toContain('services are back to normal');
    await expectFitsAPhone(page, 'template editor, resolution wording');

    // A personal variable in the public resolution post: the 422 lands on that wording's field.
    await page.getByLabel('X and Facebook post').fill('Over, {{customer.firstName}}!');
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('resolutionContent.en.social');
    expect(await page.getByLabel('X and Facebook post').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Wording for').selectOption('initial');
    expect(await page.getByLabel('X and Facebook post').getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByLabel('X and Facebook post').inputValue()).toContain(
      'Volcanic ash has closed airspace',
    );
    expect(errors.filter((error) => !error.includes('status of 422'))).toEqual([]);
    await page.close();
  }, 120_000);
});
