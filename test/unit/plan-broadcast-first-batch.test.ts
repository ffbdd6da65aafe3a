import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_SMS_BATCH_SIZE, planBroadcast } from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer, aFlight, aSegment } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';

describe('planBroadcast, on the way to the first SMS', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

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

  it('reads the affected flights while it marks the broadcast sending, not once that is written', async () => {
    const stores = await fakeStores({ segments: [aSegment('p1')], customers: [aCustomer('p1')] });
    stores.broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms'] });
    const steps: string[] = [];
    const { setStatus } = stores.broadcasts;
    vi.spyOn(stores.broadcasts, 'setStatus').mockImplementation(async (...args) => {
      steps.push('status asked');
      await sleep(5);
      steps.push('status written');
      return setStatus.apply(stores.broadcasts, args);
    });
    const { departingFrom } = stores.flights;
    vi.spyOn(stores.flights, 'departingFrom').mockImplementation((...args) => {
      steps.push('flights asked');
      return departingFrom.apply(stores.flights, args);
    });

    await planBroadcast(
      { broadcastId: 'b1' },
      { ...stores, smsBatchSize: 8 },
      { remainingMs: () => 450_000 },
    );

    expect(steps.indexOf('flights asked')).toBeLessThan(steps.indexOf('status written'));
    expect((await stores.broadcasts.get('b1'))?.startedAt).toBeDefined();
  });
});
