import { describe, expect, it } from 'vitest';
import type { PassengerSegment } from '#shared/domain/model.ts';
import { FIRST_SMS_BATCH_SIZE, planBroadcast } from '#shared/use-cases/plan-broadcast.ts';
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

describe('planBroadcast, first SMS batch', () => {
  it('publishes the first batch after its first FIRST_SMS_BATCH_SIZE recipients, the rest in batches of smsBatchSize', async () => {
    const flight = aFlight({ flightNumber: 'AY123', departure: '2026-12-01T08:00:00+02:00' });
    const passengers = Array.from({ length: FIRST_SMS_BATCH_SIZE + 10 }, (_, index) => `p${index + 1}`);
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms'] });
    const incidents = new FakeIncidentStore();
    await incidents.create(anIncident());
    const fanout = new FakeFanout();

    await planBroadcast(
      { broadcastId: 'b1' },
      {
        broadcasts,
        incidents,
        flights: new FakeFlightCatalog([flight]),
        bookings: new FakeBookingIndex(
          passengers.map(
            (customerId): PassengerSegment => ({
              bookingRef: `BK-${customerId}`,
              customerId,
              flightNumber: flight.flightNumber,
              date: flight.date,
            }),
          ),
        ),
        customers: new FakeCustomerDirectory(passengers.map((id) => aCustomer(id))),
        deliveries: new FakeDeliveryStore(broadcasts),
        fanout,
        smsBatchSize: 8,
      },
      { remainingMs: () => 450_000 },
    );

    const batches = fanout.published
      .filter(({ target }) => target === 'sms')
      .map(({ message }) => (message as { customerIds: string[] }).customerIds);
    expect(batches.map((batch) => batch.length)).toEqual([FIRST_SMS_BATCH_SIZE, 8, 2]);
    expect(batches.flat()).toEqual(passengers);
  });
});
