import { describe, expect, it } from 'vitest';
import { BroadcastClosedError } from '#shared/domain/errors.ts';
import type { DeliveryChange } from '#shared/ports/stores.ts';
import { recordDeliveryReceipt } from '#shared/use-cases/record-delivery-receipt.ts';
import { FakeBroadcastStore, FakeDeliveryStore } from '#test/support/fakes.ts';

const KEY = { broadcastId: 'b1', channel: 'sms' as const, recipientId: 'c1' };

/** The DynamoDB ledger's behaviour the fake leaves out: a move of an unknown broadcast's counters fails the transaction. */
class LedgerOfKnownBroadcasts extends FakeDeliveryStore {
  /** Moves that fail as if they shared a transaction with an unknown broadcast's receipt. */
  sharedFailures = 0;

  constructor(private readonly known: FakeBroadcastStore) {
    super(known);
  }

  override async transitionMany(changes: DeliveryChange[]): Promise<DeliveryChange[]> {
    if (this.sharedFailures > 0 || changes.some(({ key }) => !this.known.items.has(key.broadcastId))) {
      this.sharedFailures = Math.max(0, this.sharedFailures - 1);
      throw new BroadcastClosedError('The broadcast of these delivery records does not exist');
    }
    return super.transitionMany(changes);
  }
}

async function aSentSms() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: KEY.broadcastId });
  const deliveries = new LedgerOfKnownBroadcasts(broadcasts);
  await deliveries.createMany([
    { ...KEY, status: 'queued', attempts: 0, updatedAt: '2026-11-23T08:00:00.000Z' },
  ]);
  await deliveries.transition(KEY, 'sent', { from: ['queued'], providerId: 'SM1', counts: { sent: 1 } });
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

  it("tries again when its move failed only with an unknown broadcast's receipt in the same transaction", async () => {
    const { deliveries, deps } = await aSentSms();
    deliveries.sharedFailures = 1;

    expect(await recordDeliveryReceipt(KEY, receipt('undelivered'), deps)).toBe('applied');
    expect(deliveries.record(KEY)?.status).toBe('undelivered');
  });
});
