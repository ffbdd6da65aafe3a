import { findAffectedFlights } from '#shared/domain/affected-flights.ts';
import { type Broadcast, type Flight, LANGUAGES } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import type {
  BookingIndex,
  BroadcastStore,
  CustomerDirectory,
  DeliveryStore,
  Fanout,
  FlightCatalog,
  IncidentStore,
} from '#shared/ports/stores.ts';
import { resolveAudience } from './resolve-audience.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface PlanBroadcastDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  flights: FlightCatalog;
  bookings: BookingIndex;
  customers: CustomerDirectory;
  deliveries: DeliveryStore;
  fanout: Fanout;
  smsBatchSize: number;
}

/** Public posts per channel: X and Facebook carry one post per language, the status site one entry in all. */
function publicRecipients(channel: Broadcast['channels'][number]): string[] {
  return channel === 'status' ? ['site'] : [...LANGUAGES];
}

/**
 * Resolves the audience of a queued broadcast and fans the work out.
 * 1. marks the broadcast sending;
 * 2. finds the affected flights by index queries, soonest departure first;
 * 3. streams the audience (one entry per customer, soonest flight first), keeps the eligible ones
 *    and writes one delivery record each (a conditional put, so a re-run writes nothing twice);
 * 4. publishes SMS batches as they fill, so the first passenger is reached before planning ends;
 * 5. writes and publishes one record per public post;
 * 6. recounts the recipients from the ledger, marks the totals final and settles the broadcast
 *    if nothing is left to send.
 * Safe to run again for the same broadcast: existing records are neither rewritten nor recounted.
 */
export async function planBroadcast(broadcastId: string, deps: PlanBroadcastDeps): Promise<void> {
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (!broadcast || (broadcast.status !== 'queued' && broadcast.status !== 'sending')) {
    logger.info('Broadcast not plannable', { broadcastId, status: broadcast?.status });
    return;
  }
  const incident = await deps.incidents.get(broadcast.incidentId);
  if (!incident) throw new Error(`Incident ${broadcast.incidentId} of broadcast ${broadcastId} is missing`);
  if (!broadcast.startedAt)
    await deps.broadcasts.setStatus(broadcastId, 'sending', {
      startedAt: new Date().toISOString(),
      from: ['queued'],
    });

  if (broadcast.channels.includes('sms')) {
    const flights = await findAffectedFlights(incident, deps.flights);
    await planSms(broadcast, flights, deps);
  }
  for (const channel of broadcast.channels.filter((candidate) => candidate !== 'sms')) {
    for (const recipientId of publicRecipients(channel)) {
      const created = await deps.deliveries.createIfAbsent({
        broadcastId,
        channel,
        recipientId,
        status: 'queued',
        attempts: 0,
        updatedAt: new Date().toISOString(),
      });
      if (!created) continue;
      await deps.broadcasts.addCounts(broadcastId, channel, { recipients: 1 });
      await deps.fanout.publish(channel, { broadcastId, recipientId });
    }
  }
  // A planner that crashed and ran again may have counted some records twice or not at all; the ledger knows.
  for (const channel of broadcast.channels) {
    await deps.broadcasts.setRecipients(
      broadcastId,
      channel,
      await deps.deliveries.count(broadcastId, channel),
    );
  }
  await deps.broadcasts.setStatus(broadcastId, 'sending', {
    plannedAt: new Date().toISOString(),
    from: ['sending'],
  });
  await settleBroadcast(broadcastId, deps.broadcasts);
}

async function planSms(broadcast: Broadcast, flights: Flight[], deps: PlanBroadcastDeps): Promise<void> {
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    // Live progress while planning; the exact total is recounted from the ledger at the end.
    await deps.broadcasts.addCounts(broadcast.id, 'sms', { recipients: batch.length });
    await deps.fanout.publish('sms', { broadcastId: broadcast.id, customerIds: batch });
    batch = [];
  };

  for await (const { customer, flight, segment, language, exclusion } of resolveAudience(flights, deps)) {
    if (exclusion) continue;
    const created = await deps.deliveries.createIfAbsent({
      broadcastId: broadcast.id,
      channel: 'sms',
      recipientId: customer.customerId,
      status: 'queued',
      attempts: 0,
      updatedAt: new Date().toISOString(),
      // What the SMS names, fixed at planning time: the soonest affected segment.
      payload: {
        bookingRef: segment.bookingRef,
        flightNumber: flight.flightNumber,
        date: flight.date,
        origin: flight.origin,
        departure: flight.departure,
        language,
      },
    });
    if (!created) continue;
    batch.push(customer.customerId);
    if (batch.length >= deps.smsBatchSize) await flush();
  }
  await flush();
}
