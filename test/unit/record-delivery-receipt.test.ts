import { describe, expect, it } from 'vitest';
import { recordDeliveryReceipt } from '#shared/use-cases/record-delivery-receipt.ts';
import { FakeBroadcastStore, FakeDeliveryStore } from '#test/support/fakes.ts';

const KEY = { broadcastId: 'b1', channel: 'sms' as const, recipientId: 'c1' };

async function aSentSms() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: KEY.broadcastId });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany([
    { ...KEY, status: 'queued', attempts: 0, updatedAt: '2026-11-23T08:00:00.000Z' },
  ]);
  await deliveries.transition(KEY, 'sent', { from: ['queued'], providerId: 'SM1' });
  return { broadcasts, deliveries, deps: { broadcasts, deliveries } };
}

const receipt = (status: string) => ({ status, providerId: 'SM1' });

describe('recording a Twilio delivery receipt', () => {
  it('moves a sent SMS to delivered, and a repeated receipt finds it settled', async () => {
    const { deliveries, broadcasts, deps } = await aSentSms();

    expect(await recordDeliveryReceipt(KEY, receipt('delivered'), deps)).toBe('applied');
    expect(await recordDeliveryReceipt(KEY, receipt('delivered'), deps)).toBe('settled');

    expect(deliveries.record(KEY)?.status).toBe('delivered');
    expect((await broadcasts.get(KEY.broadcastId))?.counts.sms).toMatchObject({ sent: 0, delivered: 1 });
  });

  it("stamps when the SMS was sent when the receipt overtakes the worker's own move to sent", async () => {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: KEY.broadcastId });
    const deliveries = new FakeDeliveryStore(broadcasts);
    await deliveries.createMany([
      { ...KEY, status: 'queued', attempts: 0, updatedAt: '2026-11-23T08:00:00.000Z' },
    ]);
    await deliveries.claim(KEY, { owner: 'worker', expiresAt: Date.now() + 60_000 });

    expect(await recordDeliveryReceipt(KEY, receipt('delivered'), { broadcasts, deliveries })).toBe(
      'applied',
    );

    const record = deliveries.record(KEY);
    expect(record?.status).toBe('delivered');
    expect(record?.sentAt).toBeDefined();
    expect(record?.deliveredAt).toBe(record?.sentAt);
  });

  it('ignores a status named like an Object.prototype member (__proto__, constructor, toString)', async () => {
    const { deliveries, deps } = await aSentSms();

    for (const status of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(await recordDeliveryReceipt(KEY, receipt(status), deps), status).toBe('not-final');

    expect(deliveries.record(KEY)?.status).toBe('sent');
  });

  it('answers a receipt for a broadcast that does not exist as such, instead of throwing', async () => {
    const { deps } = await aSentSms();

    const outcome = await recordDeliveryReceipt({ ...KEY, broadcastId: 'gone' }, receipt('delivered'), deps);

    expect(outcome).toBe('unknown-broadcast');
  });

  it('answers a receipt for a record the broadcast does not have as such', async () => {
    const { deps } = await aSentSms();

    const outcome = await recordDeliveryReceipt({ ...KEY, recipientId: 'nobody' }, receipt('failed'), deps);

    expect(outcome).toBe('unknown-record');
  });
});
