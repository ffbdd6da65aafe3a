/**
 * The second SMS provider on the local stack: Twilio's sandbox failing or refusing, AWS End User
 * Messaging SMS's sandbox taking over, and every passenger texted exactly once across both.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import {
  apiClient,
  eventually,
  sandboxMessages,
  smsStrikeAtHelsinki,
  startTestStack,
} from '#test/support/local-stack.ts';

/** Prefixes of the demo airline's numbers: Finnish, Swedish and British. */
const FINNISH = '+358';
const SWEDISH = '+46';
const BRITISH = '+44';

describe('SMS failover to AWS End User Messaging SMS', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  const window = demoWindow();
  const phones = () => expectedDemoPhones('HEL', window.start, window.end);

  const control = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** How many SMS each phone got from each provider. */
  const textedPerPhone = async () => {
    const count = (numbers: string[]) => {
      const counts = new Map<string, number>();
      for (const number of numbers) counts.set(number, (counts.get(number) ?? 0) + 1);
      return counts;
    };
    const twilio = (await sandboxMessages(stack.sandboxes.twilio)).map((message) =>
      String(message.request.body.To),
    );
    const aws = (await sandboxMessages(stack.sandboxes.awsSms)).map((message) =>
      String(message.request.body.DestinationPhoneNumber),
    );
    return { twilio: count(twilio), aws: count(aws), all: count([...twilio, ...aws]) };
  };
  const finished = (id: string) =>
    eventually(async () => {
      const current = (await operator<BroadcastDetail>('GET', `/broadcasts/${id}`)).body;
      return ['completed', 'partial', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
    }, 90_000);

  beforeAll(async () => {
    // A send whose answer was lost (a keep-alive socket closed under it) waits this long for the
    // fallback's events before it is tried again: they come within milliseconds here.
    process.env.HERALD_SMS_FALLBACK_EVENT_GRACE_SECONDS = '5';
    // A Twilio call that times out may have been accepted: its record waits for Twilio's list, which
    // answers 503 in the outage test. On this loaded machine a 10 s timeout was hit at start-up.
    process.env.HERALD_PROVIDER_TIMEOUT_MS = '30000';
    stack = await startTestStack({
      HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: 'pool-herald-local',
      // Twilio is known to refuse these: they go to the fallback without asking Twilio.
      HERALD_SMS_FALLBACK_PREFIXES: BRITISH,
    });
    operator = apiClient(stack, 'operator');
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    for (const url of [stack.sandboxes.twilio, stack.sandboxes.awsSms]) {
      await control(url, '/__sandbox/faults', {});
      await fetch(`${url}/__sandbox/messages`, { method: 'DELETE' });
    }
    await control(stack.sandboxes.twilio, '/__sandbox/refused-prefixes', { prefixes: [] });
  });

  // First: the next test leaves Twilio's breaker open for a while.
  it('routes a destination Twilio refuses for good (21408) and a configured prefix to the fallback, once each', async () => {
    await control(stack.sandboxes.twilio, '/__sandbox/refused-prefixes', { prefixes: [SWEDISH] });
    const { broadcastId } = await smsStrikeAtHelsinki(operator, window);
    const done = await finished(broadcastId);

    const { twilio, aws, all } = await textedPerPhone();
    const expected = phones();
    expect([...all.keys()].sort()).toEqual(expected);
    expect([...all.values()].every((count) => count === 1)).toBe(true);
    expect([...twilio.keys()].every((phone) => phone.startsWith(FINNISH))).toBe(true);
    expect([...aws.keys()].every((phone) => phone.startsWith(SWEDISH) || phone.startsWith(BRITISH))).toBe(
      true,
    );
    expect(aws.size).toBe(expected.filter((phone) => !phone.startsWith(FINNISH)).length);
    expect(done.status).toBe('completed');
    expect(done.counts.sms?.duplicatesSuspected).toBe(0);
  }, 120_000);

  it('with Twilio answering 503 to everything, the fallback texts every passenger exactly once and its events reach the ledger', async () => {
    await control(stack.sandboxes.twilio, '/__sandbox/faults', { status503: 1 });
    const { broadcastId } = await smsStrikeAtHelsinki(operator, window);
    const done = await finished(broadcastId);

    const { twilio, aws } = await textedPerPhone();
    const expected = phones();
    const duplicates = [...aws.values()].reduce((sum, count) => sum + count - 1, 0);
    const missing = expected.filter((phone) => !aws.has(phone)).length;
    console.info(
      `Twilio 503: ${aws.size} of ${expected.length} passengers texted by the fallback, ${duplicates} duplicates, ${missing} missing`,
    );
    expect(twilio.size).toBe(0);
    expect([...aws.keys()].sort()).toEqual(expected);
    expect(duplicates).toBe(0);
    expect(done.status).toBe('completed');
    expect(done.counts.sms).toMatchObject({ recipients: expected.length, duplicatesSuspected: 0, queued: 0 });
    // TEXT_DELIVERED events, through the events topic and queue, move every record to delivered.
    const delivered = await eventually(async () => {
      const current = (await operator<BroadcastDetail>('GET', `/broadcasts/${broadcastId}`)).body;
      return current.counts.sms?.delivered === expected.length ? current : undefined;
    });
    expect(delivered.counts.sms?.sent).toBe(0);
  }, 120_000);
});
