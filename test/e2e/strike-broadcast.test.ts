import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import type { CreateIncidentInput } from '#shared/use-cases/create-incident.ts';
import { affectedDemoCustomers, demoStrike, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { apiClient, eventually, sandboxMessages, startTestStack } from '#test/support/local-stack.ts';

/** Time for a broadcast whose every function starts cold (a few seconds each on a loaded 2-core machine). */
const COLD_STARTS_MS = 120_000;

describe('a strike broadcast through the local stack', () => {
  let stack: LocalStack;
  const today = new Date().toISOString().slice(0, 10);
  const window = { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` };
  const incidentBody = (overrides: Partial<CreateIncidentInput> = {}) => demoStrike({ window, ...overrides });

  // As in AWS: the bundles cdk synth builds, each function in instances of its own. The first run
  // after a change builds the bundles (about a minute), kept outside the repository, where no
  // node_modules can stand in for a dependency a bundle lacks.
  beforeAll(async () => {
    stack = await startTestStack({ HERALD_LAMBDA_RUNTIME: 'faithful', HERALD_LAMBDA_CODE: 'bundle' });
  }, 600_000);
  afterAll(async () => {
    await stack?.close();
  });

  it(
    'texts exactly the affected customers once each and posts to X, Facebook and the status site',
    async () => {
      const operator = apiClient(stack, 'operator');
      const created = await operator<Incident>('POST', '/incidents', {
        type: 'strike',
        title: 'Ground handling strike at Oslo Airport',
        severity: 'severe',
        window,
        scope: { airports: ['OSL'] },
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('open');

      const accepted = await operator<{ id: string; status: string }>(
        'POST',
        `/incidents/${created.body.id}/broadcasts`,
        {
          templateId: 'strike-disruption',
          channels: ['sms', 'x', 'facebook', 'status'],
        },
      );
      expect(accepted.status).toBe(202);
      expect(accepted.body.status).toBe('queued');

      // Every function the broadcast takes starts cold here, as on its first run in AWS.
      const finished = await eventually(async () => {
        const { body } = await operator<Broadcast>('GET', `/broadcasts/${accepted.body.id}`);
        return body.status === 'completed' || body.status === 'partial' || body.status === 'failed'
          ? body
          : undefined;
      }, COLD_STARTS_MS);

      const phones = expectedDemoPhones('OSL', window.start, window.end);
      expect(phones.length).toBeGreaterThan(3);
      const texted = (await sandboxMessages(stack.sandboxes.twilio)).map((message) =>
        String(message.request.body.To),
      );
      expect(texted.sort()).toEqual(phones);
      expect(finished.status).toBe('completed');
      expect(finished.counts.sms).toMatchObject({ recipients: phones.length, queued: 0, failed: 0 });
      // The sandbox confirms each SMS with a signed status callback: every one ends delivered.
      const delivered = await eventually(async () => {
        const { body } = await operator<Broadcast>('GET', `/broadcasts/${accepted.body.id}`);
        return body.counts.sms?.delivered === phones.length ? body : undefined;
      });
      expect(delivered.counts.sms).toMatchObject({ sent: 0, delivered: phones.length });

      const tweets = await sandboxMessages(stack.sandboxes.x);
      expect(tweets.map((tweet) => String(tweet.request.body.text))).toEqual(
        expect.arrayContaining([expect.stringContaining('A strike is disrupting flights at OSL')]),
      );
      expect(tweets).toHaveLength(3);
      expect(await sandboxMessages(stack.sandboxes.facebook)).toHaveLength(3);
      for (const post of [...tweets]) expect(JSON.stringify(post.request.body)).not.toMatch(/\+\d{7,}/);

      const status = (await (await fetch(`${stack.apiUrl}/status.json`)).json()) as {
        current: { id: string; updates: { texts: Record<string, { title: string }> }[] }[];
      };
      const entry = status.current.find((incident) => incident.id === created.body.id);
      expect(entry?.updates[0]?.texts.fi?.title).toBe('Lakko: lentoja häiriintyy (OSL)');
      const page = await fetch(`${stack.apiUrl}/status`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      // The approved update's title, not the operator's own label for the incident (never reviewed).
      const html = await page.text();
      expect(html).toContain('Strike: flights disrupted at OSL');
      expect(html).not.toContain('Ground handling strike at Oslo Airport');
    },
    COLD_STARTS_MS,
  );

  it('previews the audience and every channel text without sending anything', async () => {
    const operator = apiClient(stack, 'operator');
    const textsBefore = (await sandboxMessages(stack.sandboxes.twilio)).length;
    const incident = await operator<Incident>(
      'POST',
      '/incidents',
      incidentBody({ title: 'Strike at Tallinn', scope: { airports: ['TLL'] } }),
    );
    const preview = await operator<Preview>('POST', `/incidents/${incident.body.id}/preview`, {
      templateId: 'strike-disruption',
    });
    expect(preview.status).toBe(200);

    const affected = affectedDemoCustomers('TLL', window.start, window.end);
    const phones = expectedDemoPhones('TLL', window.start, window.end);
    expect(preview.body.affectedCustomers).toBe(affected.length);
    expect(preview.body.recipients.sms).toBe(phones.length);
    expect(Object.values(preview.body.recipients.byLanguage).reduce((a, b) => a + b, 0)).toBe(phones.length);
    expect(preview.body.excluded.noConsent).toBe(affected.filter((c) => !c.smsConsent).length);
    expect(preview.body.excluded.invalidPhone).toBe(
      affected.filter((c) => c.smsConsent && !isValidPhoneNumber(c.phone)).length,
    );
    expect(preview.body.affectedFlights.every((f) => f.origin === 'TLL' || f.destination === 'TLL')).toBe(
      true,
    );
    expect(preview.body.messages.sms?.fi?.text).toMatch(/^Hei \p{L}+, lentosi AY\d+ /u);
    expect(preview.body.messages.sms?.fi).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(preview.body.messages.x?.en?.weightedLength).toBeLessThanOrEqual(280);
    expect(preview.body.messages.status?.sv?.title).toBe('Strejk: flyg påverkas vid TLL');
    expect(await sandboxMessages(stack.sandboxes.twilio)).toHaveLength(textsBefore);
  });

  it('answers bad input with problem+json and the offending field paths', async () => {
    const operator = apiClient(stack, 'operator');
    const unknownAirport = await operator<{ errors: { path: string; message: string }[] }>(
      'POST',
      '/incidents',
      incidentBody({ scope: { airports: ['XQZ'] } }),
    );
    expect(unknownAirport.status).toBe(422);
    expect(unknownAirport.contentType).toBe('application/problem+json');
    expect(unknownAirport.body.errors).toEqual([
      { path: 'scope.airports[0]', message: "Unknown airport code 'XQZ'." },
    ]);

    const backwards = await operator<{ errors: { path: string }[] }>(
      'POST',
      '/incidents',
      incidentBody({ window: { start: window.end, end: window.start } }),
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors.map((error) => error.path)).toEqual(['window.end']);

    const malformed = await operator<{ errors: { path: string }[] }>('POST', '/incidents', {
      type: 'flood',
      window: {},
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error) => error.path)).toEqual(
      expect.arrayContaining(['type', 'title', 'severity', 'window.start', 'window.end', 'scope']),
    );

    const notJson = await operator('POST', '/incidents', '{"type":');
    expect(notJson.status).toBe(400);

    const incident = await operator<Incident>('POST', '/incidents', incidentBody());
    const missingTemplate = await operator<{ errors: { path: string; message: string }[] }>(
      'POST',
      `/incidents/${incident.body.id}/broadcasts`,
      { templateId: 'no-such-template' },
    );
    expect(missingTemplate.status).toBe(422);
    expect(missingTemplate.body.errors[0]).toMatchObject({ path: 'templateId' });
    expect(missingTemplate.body.errors[0]?.message).toContain('no-such-template');

    expect((await operator('GET', '/broadcasts/does-not-exist')).status).toBe(404);
  });

  it('refuses callers without a key (401) and roles that may not act (403)', async () => {
    const body = incidentBody();
    const anonymous = await apiClient(stack, 'anonymous')('POST', '/incidents', body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toBe('application/problem+json');
    const viewer = await apiClient(stack, 'viewer')('POST', '/incidents', body);
    expect(viewer.status).toBe(403);
    expect((await apiClient(stack, 'viewer')('GET', '/incidents')).status).toBe(200);
  });
});
