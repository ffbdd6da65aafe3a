import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastDetail, Preview } from '#shared/api/broadcasts.ts';
import type { Incident } from '#shared/domain/model.ts';
import { demoStrike, demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import {
  apiClient,
  eventually,
  sandboxMessages,
  signedTwilioRequest,
  smsStrikeAtHelsinki,
  startTestStack,
} from '#test/support/local-stack.ts';

const SMS_PER_SECOND = 20;

describe('the delivery engine', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  const window = demoWindow();
  const phones = () => expectedDemoPhones('HEL', window.start, window.end);

  const broadcastToHelsinki = async () => (await smsStrikeAtHelsinki(operator, window)).broadcastId;

  const broadcast = async (id: string) => (await operator<BroadcastDetail>('GET', `/broadcasts/${id}`)).body;
  const finished = (id: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const current = await broadcast(id);
      return ['completed', 'partial', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
    }, timeoutMs);
  const texted = async () =>
    (await sandboxMessages(stack.sandboxes.twilio)).map((m) => String(m.request.body.To));
  const setFaults = (faults: object) =>
    fetch(`${stack.sandboxes.twilio}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });

  /** Posts to a Twilio webhook the way Twilio does, signed with the auth token. */
  const twilioPost = (path: string, params: Record<string, string>, token?: string) =>
    signedTwilioRequest(stack, path, params, token)();

  beforeAll(async () => {
    process.env.HERALD_SMS_MPS = String(SMS_PER_SECOND);
    process.env.HERALD_PROVIDER_TIMEOUT_MS = '500';
    // An uncertain send waits for the sweeper to bring it back: sweep a broadcast after 3 s still.
    process.env.HERALD_SWEEP_STALL_SECONDS = '3';
    stack = await startTestStack();
    operator = apiClient(stack, 'operator');
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await setFaults({});
    await fetch(`${stack.sandboxes.twilio}/__sandbox/messages`, { method: 'DELETE' });
  });

  it('reaches every eligible passenger exactly once despite 10% 429s, 5% 500s, 2% timeouts and 2% lost answers', async () => {
    // A lost answer is a message the provider accepted without telling: only asking it prevents a second one.
    await setFaults({ status429: 0.1, status500: 0.05, timeout: 0.02, lostReply: 0.02, seed: 7 });
    const id = await broadcastToHelsinki();
    const done = await finished(id);

    const received = await texted();
    const unique = new Set(received);
    const duplicates = received.length - unique.size;
    console.info(`faults: ${received.length} SMS for ${unique.size} recipients, ${duplicates} duplicates`);
    expect([...unique].sort()).toEqual(phones());
    expect(duplicates).toBe(0);
    expect(done.status).toBe('completed');
    expect(done.counts.sms?.duplicatesSuspected).toBe(0);
    expect(done.counts.sms?.recipients).toBe(unique.size);
    expect((done.counts.sms?.sent ?? 0) + (done.counts.sms?.delivered ?? 0)).toBe(unique.size);
  }, 90_000);

  it('accepts no SMS a second after the cancel returns, freezes the recipients and counts what was never sent', async () => {
    const id = await broadcastToHelsinki();
    await eventually(async () => ((await texted()).length >= phones().length / 2 ? true : undefined));
    const cancel = await operator<BroadcastDetail>('POST', `/broadcasts/${id}/cancel`);
    const cancelReturnedAt = Date.now();
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');

    const final = await eventually(async () => {
      const current = await broadcast(id);
      expect(current.counts.sms?.recipients).toBe(cancel.body.counts.sms?.recipients);
      return current.countsFinal ? current : undefined;
    });
    const accepted = await sandboxMessages(stack.sandboxes.twilio);
    const late = accepted.filter((message) => Date.parse(message.receivedAt) > cancelReturnedAt + 1_000);
    const lastAfterCancel =
      Math.max(...accepted.map((message) => Date.parse(message.receivedAt))) - cancelReturnedAt;
    console.info(
      `cancel at ${accepted.length - late.length}/${phones().length}: last SMS accepted ${lastAfterCancel} ms after it returned`,
    );
    expect(late).toEqual([]);
    expect(accepted.length).toBeLessThan(phones().length);
    expect(final.status).toBe('cancelled');
    const sms = final.counts.sms;
    expect((sms?.sent ?? 0) + (sms?.delivered ?? 0)).toBe(accepted.length);
    expect(sms?.notSent).toBe(phones().length - accepted.length);
    expect(sms?.queued).toBe(0);
    expect((await operator('POST', `/broadcasts/${id}/cancel`)).status).toBe(409);
    const audit = await apiClient(stack, 'admin')<{
      items: { action: string; actor: string; resource: { id: string } }[];
    }>('GET', '/audit');
    expect(audit.body.items.find((entry) => entry.action === 'broadcast.cancelled')).toMatchObject({
      actor: 'olli.operator',
      resource: { id },
    });
  });

  it('honours STOP at once, START to opt back in, and answers HELP', async () => {
    const [phone] = phones();
    if (!phone) throw new Error('The demo airline has no affected passenger');
    const preview = async () => {
      const incident = await operator<Incident>('POST', '/incidents', demoStrike());
      return (
        await operator<Preview>('POST', `/incidents/${incident.body.id}/preview`, {
          templateId: 'strike-disruption',
        })
      ).body;
    };
    const before = await preview();

    const stop = await twilioPost('/webhooks/twilio/inbound', {
      From: phone,
      Body: 'stop',
      MessageSid: 'SM1',
    });
    expect(stop.status).toBe(200);
    const stopped = await preview();
    expect(stopped.excluded.optedOut).toBe(before.excluded.optedOut + 1);
    expect(stopped.recipients.sms).toBe(before.recipients.sms - 1);

    const help = await twilioPost('/webhooks/twilio/inbound', {
      From: phone,
      Body: 'HELP',
      MessageSid: 'SM2',
    });
    expect(await help.text()).toMatch(/<Message>Herald travel alerts.*Reply STOP to opt out/);

    await twilioPost('/webhooks/twilio/inbound', { From: phone, Body: 'Start', MessageSid: 'SM3' });
    expect((await preview()).recipients.sms).toBe(before.recipients.sms);

    const audit = await apiClient(stack, 'admin')<{ items: { action: string; resource: { id: string } }[] }>(
      'GET',
      '/audit',
    );
    const optActions = audit.body.items.filter((entry) => entry.action.startsWith('customer.opted'));
    expect(optActions.map((entry) => entry.action)).toEqual(['customer.opted_in', 'customer.opted_out']);
    expect(JSON.stringify(audit.body)).not.toContain(phone);
  });

  it('refuses webhooks whose X-Twilio-Signature is wrong', async () => {
    for (const path of ['/webhooks/twilio/inbound', '/webhooks/twilio/status?broadcastId=b&customerId=c']) {
      const forged = await twilioPost(path, { From: '+358401234567', Body: 'STOP' }, 'not-the-token');
      expect(forged.status).toBe(403);
      expect(forged.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers the same Idempotency-Key with the same broadcast', async () => {
    const incident = await operator<Incident>(
      'POST',
      '/incidents',
      demoStrike({ scope: { airports: ['OUL'] } }),
    );
    const send = () =>
      operator<{ id: string }>(
        'POST',
        `/incidents/${incident.body.id}/broadcasts`,
        { templateId: 'strike-disruption', channels: ['sms'] },
        { 'idempotency-key': `retry-${incident.body.id}` },
      );
    const [first, second] = [await send(), await send()];
    expect(second.body.id).toBe(first.body.id);
    const done = await finished(first.body.id);
    const received = await texted();
    expect(received.length).toBe(done.counts.sms?.recipients);
    expect(new Set(received).size).toBe(received.length);
  });
});
