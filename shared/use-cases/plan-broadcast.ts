import { findAffectedFlights } from '#shared/domain/affected-flights.ts';
import { BroadcastClosedError } from '#shared/domain/errors.ts';
import { type Broadcast, type Channel, type Delivery, type Flight, LANGUAGES } from '#shared/domain/model.ts';
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
 *    and writes one delivery record each, a batch at a time after reading the broadcast
 *    (strongly consistent) to see it is not cancelled (conditional puts, so a re-run writes
 *    nothing twice);
 * 4. publishes each SMS batch once written, so the first passenger is reached before planning ends;
 * 5. writes and publishes one record per public post;
 * 6. recounts the recipients from the ledger, marks the totals final and settles the broadcast
 *    if nothing is left to send.
 * A cancel stops it at the next batch of records: a batch is written only after a read found the
 * broadcast open, so at most the batch being written when the cancel came joins it (as not sent:
 * workers check for a cancel before every claim). The ledger's change stream counts the records.
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

  try {
    if (broadcast.channels.includes('sms')) {
      const flights = await findAffectedFlights(incident, deps.flights);
      await planSms(broadcast, flights, deps);
    }
    for (const channel of broadcast.channels.filter((candidate) => candidate !== 'sms')) {
      const created = await createWhileOpen(
        publicRecipients(channel).map((recipientId) => queuedDelivery(broadcastId, channel, recipientId)),
        deps,
      );
      for (const { recipientId } of created) await deps.fanout.publish(channel, { broadcastId, recipientId });
    }
  } catch (error) {
    if (!(error instanceof BroadcastClosedError)) throw error;
    logger.info('Broadcast cancelled while planning; planning stops', { broadcastId });
    return;
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

/** Writes the records unless the broadcast is gone or cancelled (then BroadcastClosedError). */
async function createWhileOpen(
  records: ReturnType<typeof queuedDelivery>[],
  deps: Pick<PlanBroadcastDeps, 'broadcasts' | 'deliveries'>,
): Promise<ReturnType<typeof queuedDelivery>[]> {
  const [first] = records;
  if (!first) return [];
  const broadcast = await deps.broadcasts.get(first.broadcastId);
  if (!broadcast || broadcast.status === 'cancelled')
    throw new BroadcastClosedError(`Broadcast ${first.broadcastId} does not exist or is cancelled`);
  return deps.deliveries.createMany(records);
}

/** A new ledger record, not yet tried: what the planner writes for each recipient of a channel. */
export function queuedDelivery(
  broadcastId: string,
  channel: Channel,
  recipientId: string,
  payload?: Record<string, string>,
): Delivery & { payload?: Record<string, string> } {
  return {
    broadcastId,
    channel,
    recipientId,
    status: 'queued',
    attempts: 0,
    updatedAt: new Date().toISOString(),
    ...(payload ? { payload } : {}),
  };
}

async function planSms(broadcast: Broadcast, flights: Flight[], deps: PlanBroadcastDeps): Promise<void> {
  let batch: ReturnType<typeof queuedDelivery>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    // Written a batch at a time (the stream counts them, for live progress); the total is recounted at the end.
    const created = await createWhileOpen(batch, deps);
    batch = [];
    if (created.length === 0) return;
    await deps.fanout.publish('sms', {
      broadcastId: broadcast.id,
      customerIds: created.map(({ recipientId }) => recipientId),
    });
  };

  for await (const { customer, flight, segment, language, exclusion } of resolveAudience(flights, deps)) {
    if (exclusion) continue;
    // What the SMS names, fixed at planning time: the soonest affected segment.
    batch.push(
      queuedDelivery(broadcast.id, 'sms', customer.customerId, {
        bookingRef: segment.bookingRef,
        flightNumber: flight.flightNumber,
        date: flight.date,
        origin: flight.origin,
        departure: flight.departure,
        language,
      }),
    );
    if (batch.length >= deps.smsBatchSize) await flush();
  }
  await flush();
}
