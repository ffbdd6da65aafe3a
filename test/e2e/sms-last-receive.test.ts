/**
 * An SMS batch's last receive on the local stack, its queue giving 2 receives
 * (HERALD_SMS_MAX_RECEIVES): records the batch could not settle by then go on in a new batch,
 * not into the dead-letter queue, and every passenger is still texted exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import type { Page } from '#shared/domain/page.ts';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import {
  apiClient,
  controlSandbox,
  eventually,
  messagesPerPhone,
  smsStrikeAtHelsinki,
  startTestStack,
} from '#test/support/local-stack.ts';
import { broadcastEnded } from '#test/support/sender-pool.ts';

const MAX_RECEIVES = 2;

describe("an SMS batch's last receive", () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  const window = demoWindow();

  beforeAll(async () => {
    // A request Twilio holds unanswered costs a provider timeout: short, so batches end in seconds.
    process.env.HERALD_PROVIDER_TIMEOUT_MS = '1000';
    stack = await startTestStack({ HERALD_SMS_MAX_RECEIVES: String(MAX_RECEIVES) });
    operator = apiClient(stack, 'operator');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('hands the records it could not settle on to a new batch: everyone texted once, nothing dead-lettered', async () => {
    // 30% of Twilio's requests time out before it takes them, its message list's too: no
    // message, no receipt, and the record uncertain until a list answers that Twilio has none. On
    // its batch's last receive such a record is neither sent nor given up (of 25 records, nearly
    // every batch has one).
    await controlSandbox(stack.sandboxes.twilio, 'faults', { timeout: 0.3, seed: 19 });
    const { broadcastId } = await smsStrikeAtHelsinki(operator, window);

    const done = await broadcastEnded(operator, broadcastId, 90_000);

    const expected = expectedDemoPhones('HEL', window.start, window.end);
    const texted = await messagesPerPhone(stack.sandboxes.twilio);
    const missing = expected.filter((phone) => !texted.has(phone)).length;
    const doubled = [...texted.values()].filter((count) => count > 1).length;
    const lines = await smsLines(broadcastId);
    // Claimed more often than one message is received: carried on past its batch's last receive.
    const carriedOn = lines.filter((line) => line.attempts > MAX_RECEIVES).length;
    console.info(
      `last receive: ${texted.size} of ${expected.length} passengers texted, ${missing} missing, ${doubled} doubled, ${carriedOn} records carried past their batch's last receive`,
    );
    expect([missing, doubled]).toEqual([0, 0]);
    expect([...texted.keys()].sort()).toEqual(expected);
    expect(done.status).toBe('completed');
    expect(done.counts.sms).toMatchObject({ recipients: expected.length, failed: 0, duplicatesSuspected: 0 });
    expect(carriedOn).toBeGreaterThan(0);
    // Every batch message left the queue, and none for the dead-letter queue.
    const smsQueue = stack.queues.get('send-sms');
    await eventually(async () => (smsQueue?.depth === 0 ? true : undefined), 30_000);
    expect(smsQueue?.deadLetters).toEqual([]);
  }, 150_000);

  async function smsLines(broadcastId: string): Promise<DeliveryLine[]> {
    const lines: DeliveryLine[] = [];
    let next: string | undefined;
    do {
      const query = `channel=sms&limit=100${next ? `&next=${encodeURIComponent(next)}` : ''}`;
      const page = await operator<Page<DeliveryLine>>(
        'GET',
        `/broadcasts/${broadcastId}/deliveries?${query}`,
      );
      lines.push(...page.body.items);
      next = page.body.next;
    } while (next);
    return lines;
  }
});
