import { describe, expect, it } from 'vitest';
import type { Broadcast, PassengerSegment } from '#shared/domain/model.ts';
import type { Fanout } from '#shared/ports/stores.ts';
import { type PlanBroadcastDeps, planBroadcast } from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer, aFlight, anIncident } from '#test/support/builders.ts';
import {
  FakeBookingIndex,
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeFanout,
  FakeFlightCatalog,
  FakeIncidentStore,
} from '#test/support/fakes.ts';

const segment = (customerId: string, flightNumber: string): PassengerSegment => ({
  bookingRef: `BK-${customerId}`,
  customerId,
  flightNumber,
  date: '2026-12-01',
});

/**
 * A strike at HEL on 1 December: AY123 at 08:00 and AY456 at 12:00 leave inside the window,
 * AY789 the next day does not. c1, c2 and c6 may be texted; c3 gave no consent, c4 opted out,
 * c5's number is not a phone number, c7 flies only outside the window. c1 is on both flights.
 */
async function strike(broadcast: Partial<Broadcast> = {}) {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms', 'x'], ...broadcast });
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const flights = new FakeFlightCatalog([
    aFlight({ flightNumber: 'AY123', departure: '2026-12-01T08:00:00+02:00' }),
    aFlight({ flightNumber: 'AY456', departure: '2026-12-01T12:00:00+02:00' }),
    aFlight({ flightNumber: 'AY789', date: '2026-12-02', departure: '2026-12-02T08:00:00+02:00' }),
  ]);
  const bookings = new FakeBookingIndex(
    [
      ...['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => segment(id, 'AY123')),
      segment('c6', 'AY456'),
      segment('c1', 'AY456'),
      { ...segment('c7', 'AY789'), date: '2026-12-02' },
    ],
    2,
  );
  const customers = new FakeCustomerDirectory([
    aCustomer('c1'),
    aCustomer('c2', { language: 'sv-FI' }),
    aCustomer('c3', { smsConsent: false }),
    aCustomer('c4', { optedOut: true }),
    aCustomer('c5', { phone: '0401234567' }),
    aCustomer('c6', { language: 'de' }),
    aCustomer('c7'),
  ]);
  const deliveries = new FakeDeliveryStore(broadcasts);
  const fanout = new FakeFanout();
  const deps: PlanBroadcastDeps = {
    broadcasts,
    incidents,
    flights,
    bookings,
    customers,
    deliveries,
    fanout,
    smsBatchSize: 2,
  };
  const recordsOf = (channel: string) =>
    [...deliveries.records.values()].filter((record) => record.channel === channel);
  return { broadcasts, deliveries, fanout, deps, recordsOf };
}

describe('planBroadcast', () => {
  it('writes one SMS record per eligible customer at their soonest flight, in their language, and publishes them in batches', async () => {
    const { broadcasts, fanout, deps, recordsOf } = await strike();

    await planBroadcast('b1', deps);

    expect(
      recordsOf('sms').map(({ recipientId, status, payload }) => ({ recipientId, status, payload })),
    ).toEqual([
      {
        recipientId: 'c1',
        status: 'queued',
        payload: {
          bookingRef: 'BK-c1',
          flightNumber: 'AY123',
          date: '2026-12-01',
          origin: 'HEL',
          departure: '2026-12-01T08:00:00+02:00',
          language: 'fi',
        },
      },
      {
        recipientId: 'c2',
        status: 'queued',
        payload: expect.objectContaining({ flightNumber: 'AY123', language: 'sv' }),
      },
      {
        recipientId: 'c6',
        status: 'queued',
        payload: expect.objectContaining({ flightNumber: 'AY456', language: 'en' }),
      },
    ]);
    expect(fanout.published.filter(({ target }) => target === 'sms')).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c1', 'c2'] } },
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c6'] } },
    ]);
    expect(fanout.published.filter(({ target }) => target === 'x').map(({ message }) => message)).toEqual(
      ['fi', 'sv', 'en'].map((recipientId) => ({ broadcastId: 'b1', recipientId })),
    );
    const planned = await broadcasts.get('b1');
    expect(planned).toMatchObject({
      status: 'sending',
      startedAt: expect.any(String),
      plannedAt: expect.any(String),
    });
    expect(planned?.counts.sms).toMatchObject({ recipients: 3, queued: 3 });
    expect(planned?.counts.x).toMatchObject({ recipients: 3, queued: 3 });
  });

  it('run twice, writes, publishes and counts nothing twice', async () => {
    const { broadcasts, deliveries, fanout, deps } = await strike();
    await planBroadcast('b1', deps);
    const records = structuredClone([...deliveries.records.values()]);
    const published = fanout.published.length;

    await planBroadcast('b1', deps);

    expect([...deliveries.records.values()]).toEqual(records);
    expect(fanout.published).toHaveLength(published);
    const counts = (await broadcasts.get('b1'))?.counts;
    expect(counts?.sms?.recipients).toBe(3);
    expect(counts?.x?.recipients).toBe(3);
  });

  it('run again after a crash mid-planning, writes only the records still missing and counts each recipient once', async () => {
    const { broadcasts, fanout, deps, recordsOf } = await strike();
    let publishes = 0;
    const crashingFanout: Fanout = {
      async publish(target, message) {
        if (++publishes === 2) throw new Error('SNS unavailable');
        await fanout.publish(target, message);
      },
    };
    await expect(planBroadcast('b1', { ...deps, fanout: crashingFanout })).rejects.toThrow('SNS unavailable');

    await planBroadcast('b1', deps);

    expect(recordsOf('sms').map(({ recipientId }) => recipientId)).toEqual(['c1', 'c2', 'c6']);
    // c6 was written before the crash: the sweeper, not the planner, publishes it again.
    expect(fanout.published.filter(({ target }) => target === 'sms')).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c1', 'c2'] } },
    ]);
    const planned = await broadcasts.get('b1');
    expect(planned?.plannedAt).toBeDefined();
    expect(planned?.counts.sms?.recipients).toBe(3);
    expect(planned?.counts.x?.recipients).toBe(3);
  });

  it('a cancel during planning stops it at the next batch, and the recipients stay what they were', async () => {
    const { broadcasts, fanout, deps, recordsOf } = await strike();
    const cancellingFanout: Fanout = {
      async publish(target, message) {
        await fanout.publish(target, message);
        // The comms lead cancels as the first batch goes out.
        await broadcasts.setStatus('b1', 'cancelled', { cancelledAt: new Date().toISOString() });
      },
    };

    await planBroadcast('b1', { ...deps, smsBatchSize: 1, fanout: cancellingFanout });

    expect(recordsOf('sms').map(({ recipientId }) => recipientId)).toEqual(['c1']);
    expect(recordsOf('x')).toEqual([]);
    expect(fanout.published).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c1'] } },
    ]);
    const cancelled = await broadcasts.get('b1');
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled?.plannedAt).toBeUndefined();
    expect(cancelled?.counts.sms).toMatchObject({ recipients: 1, notSent: 1 });
  });

  it('plans nothing for a broadcast still awaiting approval or already cancelled', async () => {
    for (const status of ['pending_approval', 'cancelled'] as const) {
      const { broadcasts, deliveries, fanout, deps } = await strike({ status });

      await planBroadcast('b1', deps);

      expect(deliveries.records.size).toBe(0);
      expect(fanout.published).toEqual([]);
      expect((await broadcasts.get('b1'))?.status).toBe(status);
    }
  });
});
