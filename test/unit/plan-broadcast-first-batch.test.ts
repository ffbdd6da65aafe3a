import { describe, expect, it } from 'vitest';
import { FIRST_SMS_BATCH_SIZE, planBroadcast } from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer, aFlight, aSegment } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';

describe('planBroadcast, first SMS batch', () => {
  it('publishes the first batch after its first FIRST_SMS_BATCH_SIZE recipients, the rest in batches of smsBatchSize', async () => {
    const flight = aFlight();
    const passengers = Array.from({ length: FIRST_SMS_BATCH_SIZE + 10 }, (_, index) => `p${index + 1}`);
    const stores = await fakeStores({
      flights: [flight],
      segments: passengers.map((id) => aSegment(id, flight)),
      customers: passengers.map((id) => aCustomer(id)),
    });
    stores.broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms'] });

    await planBroadcast(
      { broadcastId: 'b1' },
      { ...stores, smsBatchSize: 8 },
      { remainingMs: () => 450_000 },
    );

    const batches = stores.fanout.published
      .filter(({ target }) => target === 'sms')
      .map(({ message }) => (message as { customerIds: string[] }).customerIds);
    expect(batches.map((batch) => batch.length)).toEqual([FIRST_SMS_BATCH_SIZE, 8, 2]);
    expect(batches.flat()).toEqual(passengers);
  });
});
