/**
 * A sender pool on the local stack against the Twilio sandbox: three senders at 2 + 3 + 5 SMS/s
 * share one broadcast of 300 by the prefixes of the passengers' numbers, each paced by its own
 * limiter. The split and exactly-once are asserted; the time and the rates are the benchmark's
 * (`npm run bench:senders`), not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { apiClient, sandboxMessages } from '#test/support/local-stack.ts';
import {
  broadcastEnded,
  broadcastToPool,
  PASSENGERS_BY_SENDER,
  poolPhones,
  poolSenderOf,
  startPoolStack,
} from '#test/support/sender-pool.ts';

describe('a pool of three senders', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startPoolStack();
  });
  afterAll(async () => {
    await stack?.close();
    delete process.env.HERALD_SMS_SENDERS;
  });

  it('delivers 300 SMS once each, each from the sender of its prefix, shared 60 / 90 / 150 as the rates are', async () => {
    const operator = apiClient(stack, 'operator');
    const { broadcastId } = await broadcastToPool(apiClient(stack, 'admin'), operator);

    const done = await broadcastEnded(operator, broadcastId, 120_000);

    const messages = await sandboxMessages(stack.sandboxes.twilio);
    const phones = poolPhones();
    const texted = new Map<string, string[]>();
    for (const message of messages) {
      const to = String(message.request.body.To);
      texted.set(to, [...(texted.get(to) ?? []), poolSenderOf(message) ?? 'unknown']);
    }
    const everyone = Object.values(phones).flat();
    expect(everyone.filter((phone) => !texted.has(phone))).toEqual([]);
    expect([...texted].filter(([, senders]) => senders.length > 1)).toEqual([]);
    expect(messages).toHaveLength(everyone.length);
    expect(done.status).toBe('completed');
    expect(done.counts.sms?.duplicatesSuspected).toBe(0);

    for (const [sender, count] of Object.entries(PASSENGERS_BY_SENDER)) {
      const sent = messages.filter((message) => poolSenderOf(message) === sender);
      expect(sent.length, sender).toBeGreaterThanOrEqual(count * 0.9);
      expect(sent.length, sender).toBeLessThanOrEqual(count * 1.1);
      // Each number went to the sender of its own prefix.
      expect(new Set(sent.map((message) => String(message.request.body.To))), sender).toEqual(
        new Set(phones[sender as keyof typeof phones]),
      );
    }
    // The alphanumeric sender cannot take replies: its SMS name where STOP and HELP go.
    const swedish = messages.filter((message) => poolSenderOf(message) === 'sweden');
    expect(
      swedish.every((message) =>
        String(message.request.body.Body).endsWith('\nSTOP/HELP: https://herald.example/sms'),
      ),
    ).toBe(true);
    expect(
      messages.filter(
        (message) =>
          poolSenderOf(message) !== 'sweden' && String(message.request.body.Body).includes('STOP/HELP'),
      ),
    ).toEqual([]);
  }, 180_000);
});
