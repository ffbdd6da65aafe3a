import { describe, expect, it } from 'vitest';
import { RecordInFlightError, recordSmsEvent, type SmsEvent } from '#shared/use-cases/record-sms-event.ts';
import { FakeBroadcastStore, FakeDeliveryStore } from '#test/support/fakes.ts';

const KEY = { broadcastId: 'b1', channel: 'sms' as const, recipientId: 'c1' };

async function aLedger() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: KEY.broadcastId });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany([
    { ...KEY, status: 'queued', attempts: 0, updatedAt: '2026-11-29T08:00:00.000Z' },
  ]);
  return { deliveries, deps: { broadcasts, deliveries } };
}

/** An event as AWS End User Messaging SMS streams it for the record KEY. */
const event = (eventType: string, isFinal: boolean): SmsEvent => ({
  eventType,
  isFinal,
  messageId: 'aws-1',
  context: { broadcastId: KEY.broadcastId, customerId: KEY.recipientId },
});

describe('recording an AWS SMS delivery event', () => {
  it('moves a sent record to delivered and names the provider that accepted it', async () => {
    const { deliveries, deps } = await aLedger();
    await deliveries.transition(KEY, 'sent', { providerId: 'aws-1', provider: 'aws-sms' });

    expect(await recordSmsEvent(event('TEXT_DELIVERED', true), deps)).toBe('applied');

    expect(deliveries.record(KEY)).toMatchObject({ status: 'delivered', provider: 'aws-sms' });
  });

  it('moves a record to undelivered on a final failure, naming the event', async () => {
    const { deliveries, deps } = await aLedger();
    await deliveries.transition(KEY, 'sent', { providerId: 'aws-1', provider: 'aws-sms' });

    expect(await recordSmsEvent(event('TEXT_UNREACHABLE', true), deps)).toBe('applied');

    expect(deliveries.record(KEY)).toMatchObject({
      status: 'undelivered',
      lastError: 'AWS SMS error TEXT_UNREACHABLE',
    });
  });

  it('reconciles a queued record whose answer was lost: the acceptance event records it sent', async () => {
    const { deliveries, deps } = await aLedger();

    expect(await recordSmsEvent(event('TEXT_PENDING', false), deps)).toBe('accepted');

    expect(deliveries.record(KEY)).toMatchObject({
      status: 'sent',
      providerId: 'aws-1',
      provider: 'aws-sms',
    });
  });

  it('leaves a record being sent to its holder and asks for the event again', async () => {
    const { deliveries, deps } = await aLedger();
    await deliveries.claim(KEY, { owner: 'worker', expiresAt: Date.now() + 60_000 });

    await expect(recordSmsEvent(event('TEXT_PENDING', false), deps)).rejects.toBeInstanceOf(
      RecordInFlightError,
    );

    expect(deliveries.record(KEY)?.status).toBe('sending');
  });

  it('changes nothing for an event without Herald’s context, or of a kind it does not act on', async () => {
    const { deliveries, deps } = await aLedger();

    expect(await recordSmsEvent({ ...event('TEXT_DELIVERED', true), context: {} }, deps)).toBe('no-record');
    expect(await recordSmsEvent(event('TEXT_BLOCKED_BY_PROTECT', false), deps)).toBe('not-final');

    expect(deliveries.record(KEY)?.status).toBe('queued');
  });
});
