import type { Browser } from 'playwright-core';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Broadcast, BroadcastKind, Incident } from '#shared/domain/model.ts';
import type { StatusDocument } from '#shared/status-site/status-document.ts';
import { axeViolations, collectPageErrors, launchBrowser } from '#test/support/browser.ts';
import { validateCap } from '#test/support/cap-schema.ts';
import {
  apiClient,
  eventually,
  type SandboxMessage,
  sandboxMessages,
  startTestStack,
} from '#test/support/local-stack.ts';

const parser = new Parser();

/** Which language a public post is in, from the words each version of the template uses. */
function languageOf(text: string): 'fi' | 'sv' | 'en' {
  if (/lakko/i.test(text)) return 'fi';
  if (/strejk/i.test(text)) return 'sv';
  if (/strike/i.test(text)) return 'en';
  throw new Error(`No language recognised in '${text}'`);
}

describe('an incident through initial → update → resolution on the public site and feeds', () => {
  let stack: LocalStack;
  let browser: Browser;
  const today = new Date().toISOString().slice(0, 10);
  const window = { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` };

  beforeAll(async () => {
    // The demo template has an update's and a resolution's wording of its own: X refuses a post
    // that repeats an earlier one word for word.
    stack = await startTestStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function site(path: string): Promise<{ status: number; contentType: string; body: string }> {
    const response = await fetch(`${stack.apiUrl}${path}`);
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  }

  /** status.json is written last: once it shows a change, every other file has it too. */
  async function statusJson(): Promise<StatusDocument> {
    const response = await site('/status.json');
    expect(response.status).toBe(200);
    return JSON.parse(response.body) as StatusDocument;
  }

  async function broadcast(incidentId: string, kind: BroadcastKind, channels: string[]) {
    const operator = apiClient(stack, 'operator');
    const accepted = await operator<{ id: string }>('POST', `/incidents/${incidentId}/broadcasts`, {
      templateId: 'strike-disruption',
      kind,
      channels,
    });
    expect(accepted.status).toBe(202);
    const finished = await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${accepted.body.id}`);
      return ['completed', 'partial', 'failed'].includes(body.status) ? body : undefined;
    });
    expect(finished.status).toBe('completed');
    return finished.id;
  }

  /** Every CAP alert the index lists, fetched, schema-checked, and keyed by identifier. */
  async function capAlerts(): Promise<Map<string, string>> {
    const index = await site('/cap.atom');
    expect(index.contentType).toMatch(/^application\/atom\+xml/);
    const feed = await parser.parseString(index.body);
    const alerts = new Map<string, string>();
    for (const item of feed.items) {
      const cap = await site(new URL(item.link ?? '').pathname);
      expect(cap.status).toBe(200);
      expect(cap.contentType).toMatch(/^application\/cap\+xml/);
      expect(validateCap(cap.body), item.link).toEqual({ valid: true, errors: '' });
      alerts.set(/<identifier>([^<]+)<\/identifier>/.exec(cap.body)?.[1] ?? '', cap.body);
    }
    return alerts;
  }

  const tag = (xml: string | undefined, name: string) =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml ?? '')?.[1];

  /** Atom and RSS both list exactly these entries (by id) for the incident, newest first. */
  async function expectFeedEntries(ids: string[]) {
    const atom = await site('/feed.atom');
    const rss = await site('/feed.rss');
    expect(atom.contentType).toMatch(/^application\/atom\+xml/);
    expect(rss.contentType).toMatch(/^application\/rss\+xml/);
    const atomIds = (await parser.parseString(atom.body)).items.map((item) => item.id);
    const rssIds = (await parser.parseString(rss.body)).items.map((item) => item.guid);
    const wanted = ids.map((id) => `urn:uuid:${id}`).reverse();
    expect(atomIds.filter((id) => wanted.includes(id ?? ''))).toEqual(wanted);
    expect(rssIds.filter((id) => wanted.includes(id ?? ''))).toEqual(wanted);
  }

  it('has the whole site before any broadcast', async () => {
    for (const path of [
      '/status',
      '/status/fi',
      '/status/sv',
      '/status.json',
      '/feed.atom',
      '/feed.rss',
      '/cap.atom',
    ]) {
      expect((await site(path)).status, path).toBe(200);
    }
  });

  // Three broadcasts, each waited for: 12 s in a quiet CI run, over the default 30 s at load 11.
  it('publishes every output at each step and keeps the public thread', async () => {
    const operator = apiClient(stack, 'operator');
    const created = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Ground handling strike at Oslo Airport',
      severity: 'severe',
      window,
      scope: { airports: ['OSL'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const channels = ['x', 'facebook', 'status'];

    // 1. initial: an Alert, top-level posts.
    const initial = await broadcast(id, 'initial', channels);
    let document = await statusJson();
    expect(
      document.current.find((incident) => incident.id === id)?.updates.map((u) => [u.id, u.kind]),
    ).toEqual([[initial, 'initial']]);
    expect(document.current.find((incident) => incident.id === id)?.airports[0]).toMatchObject({
      code: 'OSL',
      timeZone: 'Europe/Oslo',
    });
    const page = await site('/status');
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.body).toContain('Strike: flights disrupted at OSL');
    // The status worker draws the open disruption's map into the page (docs/maps.md).
    expect(page.body).toMatch(new RegExp(`<svg class="map" [^>]*aria-labelledby="incident-${id}-map-title`));
    expect((await site('/status/fi')).body).toContain('Lakko: lentoja häiriintyy (OSL)');
    await expectFeedEntries([initial]);
    let alerts = await capAlerts();
    expect(tag(alerts.get(initial), 'msgType')).toBe('Alert');
    expect(tag(alerts.get(initial), 'references')).toBeUndefined();
    const initialSent = tag(alerts.get(initial), 'sent');
    expect(initialSent).toMatch(/\+00:00$/);

    const tweets = await sandboxMessages(stack.sandboxes.x);
    const posts = await sandboxMessages(stack.sandboxes.facebook);
    expect(tweets).toHaveLength(3);
    expect(posts).toHaveLength(3);
    for (const tweet of tweets) expect(tweet.request.body.reply).toBeUndefined();
    for (const post of posts) expect(post.request.path).toMatch(/\/feed$/);
    const tweetRoots = new Map(
      tweets.map((tweet) => [languageOf(String(tweet.request.body.text)), tweet.id]),
    );
    const postRoots = new Map(posts.map((post) => [languageOf(String(post.request.body.message)), post.id]));
    expect([...tweetRoots.keys()].sort()).toEqual(['en', 'fi', 'sv']);

    // 2. update: an Update referencing the Alert; replies to (X) and comments on (Facebook) the first posts.
    const update = await broadcast(id, 'update', channels);
    document = await statusJson();
    expect(document.current.find((incident) => incident.id === id)?.updates.map((u) => u.kind)).toEqual([
      'initial',
      'update',
    ]);
    expect((await site('/status/sv')).body).toContain('Strejken fortsätter vid OSL');
    await expectFeedEntries([initial, update]);
    alerts = await capAlerts();
    expect(tag(alerts.get(update), 'msgType')).toBe('Update');
    expect(tag(alerts.get(update), 'references')).toBe(`herald.example,${initial},${initialSent}`);

    const isNew = (seen: SandboxMessage[]) => (message: SandboxMessage) =>
      !seen.some((old) => old.id === message.id);
    const replies = (await sandboxMessages(stack.sandboxes.x)).filter(isNew(tweets));
    expect(replies).toHaveLength(3);
    for (const reply of replies) {
      const language = languageOf(String(reply.request.body.text));
      expect(reply.request.body.reply, language).toEqual({ in_reply_to_tweet_id: tweetRoots.get(language) });
    }
    const comments = (await sandboxMessages(stack.sandboxes.facebook)).filter(isNew(posts));
    expect(comments).toHaveLength(3);
    for (const comment of comments) {
      const language = languageOf(String(comment.request.body.message));
      expect(comment.request.path, language).toBe(`/v21.0/${postRoots.get(language)}/comments`);
    }

    // The page a traveller opens mid-crisis: in a browser, accessible, in every language.
    const browserPage = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(browserPage);
    await browserPage.goto(`${stack.apiUrl}/status`);
    expect(await browserPage.locator(`#incident-${id}`).textContent()).toContain('Strike continues at OSL');
    expect(await axeViolations(browserPage)).toEqual([]);
    await browserPage.getByRole('link', { name: 'Suomi' }).click();
    await browserPage.waitForURL(`${stack.apiUrl}/status/fi`);
    expect(await browserPage.locator(`#incident-${id}`).textContent()).toContain('Lakko jatkuu (OSL)');
    expect(errors).toEqual([]);
    await browserPage.close();

    // 3. resolution: the incident closes, a Cancel references both earlier alerts, the thread goes on.
    const tweetsBefore = await sandboxMessages(stack.sandboxes.x);
    const resolution = await broadcast(id, 'resolution', channels);
    const resolved = await operator<Incident>('GET', `/incidents/${id}`);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    document = await statusJson();
    expect(document.current.map((incident) => incident.id)).not.toContain(id);
    expect(document.recent.find((incident) => incident.id === id)?.updates.map((u) => u.kind)).toEqual([
      'initial',
      'update',
      'resolution',
    ]);
    await expectFeedEntries([initial, update, resolution]);
    alerts = await capAlerts();
    expect(tag(alerts.get(resolution), 'msgType')).toBe('Cancel');
    expect(
      tag(alerts.get(resolution), 'references')
        ?.split(' ')
        .map((ref) => ref.split(',')[1]),
    ).toEqual([initial, update]);
    const finalReplies = (await sandboxMessages(stack.sandboxes.x)).filter(isNew(tweetsBefore));
    expect(
      finalReplies
        .map((reply) => (reply.request.body.reply as { in_reply_to_tweet_id: string }).in_reply_to_tweet_id)
        .sort(),
    ).toEqual([...tweetRoots.values()].sort());
    const html = (await site('/status')).body;
    expect(html.indexOf(`id="incident-${id}"`)).toBeGreaterThan(html.indexOf('id="recent"'));

    // Resolving by hand afterwards changes nothing: the first resolvedAt stays, no second Cancel.
    const again = await operator<Incident>('POST', `/incidents/${id}/resolve`);
    expect(again.status).toBe(200);
    expect(again.body.resolvedAt).toBe(resolved.body.resolvedAt);
    const before = document.generatedAt;
    document = await eventually(async () => {
      const next = await statusJson();
      return next.generatedAt > before ? next : undefined;
    });
    expect(document.recent.find((incident) => incident.id === id)?.updates).toHaveLength(3);
  }, 90_000);

  it('resolves by hand: a Cancel with a fixed notice in every language, on the site and in the feeds', async () => {
    const operator = apiClient(stack, 'operator');
    const created = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Strike at Tallinn',
      severity: 'moderate',
      window,
      scope: { airports: ['TLL'] },
    });
    const id = created.body.id;
    const initial = await broadcast(id, 'initial', ['status']);

    expect((await apiClient(stack, 'viewer')('POST', `/incidents/${id}/resolve`)).status).toBe(403);
    expect((await operator('POST', '/incidents/no-such-incident/resolve')).status).toBe(404);
    const resolved = await operator<Incident>('POST', `/incidents/${id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id, status: 'resolved', resolvedAt: expect.any(String) });

    const entry = await eventually(async () =>
      (await statusJson()).recent.find((incident) => incident.id === id && incident.updates.length === 2),
    );
    const last = entry.updates[1];
    expect(last).toMatchObject({ kind: 'resolution', publishedAt: resolved.body.resolvedAt });
    expect(last?.texts.fi?.title).toBe('Päättynyt');
    await expectFeedEntries([initial, last?.id ?? '']);
    const alerts = await capAlerts();
    expect(tag(alerts.get(last?.id ?? ''), 'msgType')).toBe('Cancel');
    expect(tag(alerts.get(last?.id ?? ''), 'references')?.split(',')[1]).toBe(initial);
    expect(
      await operator('POST', `/incidents/${id}/broadcasts`, { templateId: 'strike-disruption' }),
    ).toMatchObject({
      status: 409,
    });
  });
});
