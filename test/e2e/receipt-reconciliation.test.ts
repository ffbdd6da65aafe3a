/**
 * Delivery receipts that never reach Herald, on the local stack: the Twilio sandbox posts no
 * status callback for half the passengers (as callbacks refused under load are lost), and
 * receipt reconciliation (reconcile-receipts, every 5 s locally, 1 s after the broadcast ended
 * here) asks Twilio's Message fetch instead: no record stays `sent`, the one Twilio could not
 * deliver is `undelivered`, and nobody is texted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
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

describe('receipts whose status callback never came', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  const window = demoWindow();

  beforeAll(async () => {
    process.env.HERALD_RECEIPT_GRACE_SECONDS = '1';
    stack = await startTestStack();
    operator = apiClient(stack, 'operator');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are recovered from Twilio: nothing stays sent, the undeliverable one is undelivered, nobody texted twice', async () => {
    const expected = expectedDemoPhones('HEL', window.start, window.end);
    const silent = expected.filter((_, index) => index % 2 === 0);
    const [unreachable] = silent;
    const twilio = stack.sandboxes.twilio;
    expect((await controlSandbox(twilio, 'callbacks-lost', { numbers: silent })).status).toBe(200);
    expect((await controlSandbox(twilio, 'undeliverable', { numbers: [unreachable] })).status).toBe(200);

    const { broadcastId } = await smsStrikeAtHelsinki(operator, window);
    await broadcastEnded(operator, broadcastId, 60_000);
    const reconciled = await eventually(async () => {
      const { body } = await operator<BroadcastDetail>('GET', `/broadcasts/${broadcastId}`);
      return body.counts.sms?.sent === 0 ? body : undefined;
    }, 60_000);

    expect(reconciled.counts.sms).toMatchObject({
      recipients: expected.length,
      sent: 0,
      delivered: expected.length - 1,
      failed: 1,
      duplicatesSuspected: 0,
    });
    const undelivered = await operator<Page<DeliveryLine>>(
      'GET',
      `/broadcasts/${broadcastId}/deliveries?channel=sms&status=undelivered`,
    );
    expect(undelivered.body.items).toEqual([
      expect.objectContaining({ status: 'undelivered', lastError: 'Twilio error 30003' }),
    ]);
    const texted = await messagesPerPhone(twilio);
    expect([...texted.keys()].sort()).toEqual(expected);
    expect([...texted.values()].every((texts) => texts === 1)).toBe(true);
  }, 150_000);
});
