import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Broadcast, BroadcastKind, Incident, Language } from '#shared/domain/model.ts';
import { DEMO_LANGUAGES as LANGUAGES, WORDING, wordingOf } from '#test/support/demo-wording.ts';
import {
  apiClient,
  eventually,
  type SandboxMessage,
  sandboxMessages,
  startTestStack,
} from '#test/support/local-stack.ts';

const NOTE = {
  en: 'Buses replace the airport train.',
  fi: 'Bussit korvaavat lentokenttäjunan.',
};

describe('initial → update → resolution on one incident: each kind’s own wording everywhere', () => {
  let stack: LocalStack;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    stack = await startTestStack();
    // A version written before kinds had wordings of their own: one text set, no resolution.
    const { DynamoTemplateStore } = await import('#shared/adapters/dynamodb/template-store.ts');
    const [strike] = demoTemplates(new Date().toISOString());
    if (!strike) throw new Error('no demo template');
    const { updateContent: _update, resolutionContent: _resolution, ...oneTextSet } = strike;
    await new DynamoTemplateStore().put({ ...oneTextSet, id: 'legacy-strike', name: 'Legacy strike' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function site(path: string): Promise<string> {
    return (await fetch(`${stack.apiUrl}${path}`)).text();
  }

  /** Sends a broadcast of `kind` (released by a comms lead when it carries free text) and waits until it ends. */
  async function broadcast(incidentId: string, kind: BroadcastKind, request: Record<string, unknown> = {}) {
    const operator = apiClient(stack, 'operator');
    const accepted = await operator<{ id: string; status: string }>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      {
        templateId: 'strike-disruption',
        kind,
        ...request,
      },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    if (accepted.body.status === 'pending_approval') {
      const approved = await apiClient(stack, 'comms_lead')(
        'POST',
        `/broadcasts/${accepted.body.id}/approve`,
      );
      expect(approved.status).toBe(200);
    }
    const finished = await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${accepted.body.id}`);
      return ['completed', 'partial', 'failed'].includes(body.status) ? body : undefined;
    }, 60_000);
    expect(finished.status).toBe('completed');
    return finished.id;
  }

  /** What the sandboxes received since `seen`: the SMS of one broadcast, and the new X and Facebook posts. */
  async function received(broadcastId: string, seen: Set<string>) {
    const fresh = (messages: SandboxMessage[]) => messages.filter((message) => !seen.has(message.id));
    const sms = (await sandboxMessages(stack.sandboxes.twilio)).filter((message) =>
      String(message.request.body.StatusCallback).includes(broadcastId),
    );
    const tweets = fresh(await sandboxMessages(stack.sandboxes.x));
    const posts = fresh(await sandboxMessages(stack.sandboxes.facebook));
    for (const message of [...tweets, ...posts]) seen.add(message.id);
    return {
      sms: sms.map((message) => String(message.request.body.Body)),
      tweets: tweets.map((message) => String(message.request.body.text)),
      posts: posts.map((message) => String(message.request.body.message)),
    };
  }

  function expectWording(texts: string[], field: 'sms' | 'post', kind: BroadcastKind, languages: Language[]) {
    expect(texts.length).toBeGreaterThan(0);
    const found = texts.map((text) => wordingOf(text, field));
    for (const [index, wording] of found.entries()) expect(wording?.kind, texts[index]).toBe(kind);
    expect([...new Set(found.map((wording) => wording?.language))].sort()).toEqual([...languages].sort());
  }

  /** The heading of the incident's card and its latest update, as each language's page shows them. */
  async function card(incidentId: string, language: Language) {
    const html = await site(language === 'en' ? '/status' : `/status/${language}`);
    const article = html.slice(html.indexOf(`id="incident-${incidentId}"`));
    return {
      heading: new RegExp(`<h3 id="incident-${incidentId}-title">([^<]*)</h3>`).exec(html)?.[1],
      latest: /<div class="update">[\s\S]*?<\/div>/.exec(article)?.[0] ?? '',
    };
  }

  it('texts, posts and publishes the kind’s wording, with the operator’s text in each language', async () => {
    const operator = apiClient(stack, 'operator');
    const created = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Ground handling strike at Oslo',
      titleByLanguage: { fi: 'Maahuolinnan lakko Oslossa' },
      severity: 'severe',
      window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` },
      scope: { airports: ['OSL'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.titleByLanguage).toEqual({ fi: 'Maahuolinnan lakko Oslossa' });
    const id = created.body.id;
    const seen = new Set<string>();
    // The SMS go to the languages the airport's passengers speak; the public posts to every language.
    const audience = await operator<Preview>('POST', `/incidents/${id}/preview`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });
    const smsLanguages = LANGUAGES.filter((language) => audience.body.recipients.byLanguage[language] > 0);
    expect(smsLanguages.length).toBeGreaterThan(1);

    // 1. initial: the disruption wording on every channel.
    const initial = await broadcast(id, 'initial');
    let out = await received(initial, seen);
    expectWording(out.sms, 'sms', 'initial', smsLanguages);
    expectWording(out.tweets, 'post', 'initial', LANGUAGES);
    expectWording(out.posts, 'post', 'initial', LANGUAGES);
    for (const language of LANGUAGES)
      expect((await card(id, language)).heading).toBe(WORDING.initial[language].status);

    // 2. update with free text in English and Finnish (Swedish left empty: the English shows).
    const variables = { variables: { note: NOTE.en }, variablesByLanguage: { fi: { note: NOTE.fi } } };
    const preview = await operator<Preview>('POST', `/incidents/${id}/preview`, {
      templateId: 'strike-disruption',
      kind: 'update',
      ...variables,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.warnings).toContain(
      'vars.note has no Swedish text: the Swedish messages show the English.',
    );
    expect(preview.body.duplicatePosts).toEqual([]);
    const update = await broadcast(id, 'update', variables);
    out = await received(update, seen);
    expectWording(out.sms, 'sms', 'update', smsLanguages);
    expectWording(out.tweets, 'post', 'update', LANGUAGES);
    expectWording(out.posts, 'post', 'update', LANGUAGES);
    for (const language of LANGUAGES) {
      const { heading, latest } = await card(id, language);
      expect(heading, language).toBe(WORDING.update[language].status);
      expect(latest, language).toContain(language === 'fi' ? NOTE.fi : NOTE.en);
    }

    // The same update again would repeat every post: the preview says so before X refuses it.
    const again = await operator<Preview>('POST', `/incidents/${id}/preview`, {
      templateId: 'strike-disruption',
      kind: 'update',
      channels: ['x', 'facebook'],
      ...variables,
    });
    expect(again.body.duplicatePosts.map(({ channel, language }) => `${channel}:${language}`).sort()).toEqual(
      ['facebook:en', 'facebook:fi', 'facebook:sv', 'x:en', 'x:fi', 'x:sv'],
    );
    expect(again.body.warnings).toContainEqual(expect.stringContaining('X refuses a duplicate (error 187)'));
    // An initial sent again would repeat nothing the incident posted last, so it needs no offer.
    const initialAgain = await operator<Preview>('POST', `/incidents/${id}/preview`, {
      templateId: 'strike-disruption',
      kind: 'initial',
      channels: ['x'],
    });
    expect(initialAgain.body.duplicatePosts).toEqual([]);

    // A version with one text set cannot resolve: it would send the disruption wording again.
    const refused = await operator<{ errors: { path: string; message: string }[] }>(
      'POST',
      `/incidents/${id}/broadcasts`,
      { templateId: 'legacy-strike', kind: 'resolution' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'kind', message: expect.stringContaining('no resolution wording') },
    ]);

    // 3. resolution: the all-clear on every channel, never the disruption text.
    const resolution = await broadcast(id, 'resolution');
    out = await received(resolution, seen);
    expectWording(out.sms, 'sms', 'resolution', smsLanguages);
    expectWording(out.tweets, 'post', 'resolution', LANGUAGES);
    expectWording(out.posts, 'post', 'resolution', LANGUAGES);
    for (const text of out.sms)
      for (const language of LANGUAGES) expect(text).not.toContain(WORDING.initial[language].sms);
    for (const language of LANGUAGES) {
      const { heading, latest } = await card(id, language);
      expect(heading, language).toBe(WORDING.resolution[language].status);
      expect(latest, language).toContain(WORDING.resolution[language].status);
      expect(latest, language).not.toContain(WORDING.initial[language].status);
    }
    expect((await operator<Incident>('GET', `/incidents/${id}`)).body.status).toBe('resolved');
  });
});
