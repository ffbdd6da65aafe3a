import type { AudienceCursor, PlanBroadcastMessage } from '#shared/domain/bus-messages.ts';
import { BroadcastClosedError } from '#shared/domain/errors.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import { plannedStatus, testRecipientId } from '#shared/domain/exercise.ts';
import {
  type Broadcast,
  type Channel,
  type Delivery,
  type Flight,
  type Incident,
  LANGUAGES,
} from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import { PublishQueue } from '#shared/messaging/publish-queue.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type {
  BookingIndex,
  BroadcastStore,
  CustomerDirectory,
  DeliveryStore,
  Fanout,
  FlightCatalog,
  IncidentStore,
} from '#shared/ports/stores.ts';
import { findAffectedFlights, flightKeyOf } from './affected-flights.ts';
import { type AudiencePosition, resolveAudience } from './resolve-audience.ts';
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
  /** The staff test numbers an exercise texts instead of its passengers; none when unset. */
  exerciseNumbers?: readonly string[];
}

/**
 * The longest one planner invocation plans before it hands the rest on, from its first recipient
 * (after it found its place in the audience again): no chunk runs long.
 */
export const PLANNING_CHUNK_MS = 60_000;
/**
 * Recipients of a broadcast's first SMS batch, fewer than the rest: it is published as soon as
 * its first few passengers are written, rather than after a whole batch's resolution and writes.
 */
export const FIRST_SMS_BATCH_SIZE = 5;
/**
 * SMS batches being written at once: the next batch's records are written while the last one's
 * are, so planning runs at twice the pace one batch's round trips allow (a batch of 25 conditional
 * puts and the read before them take ~15–20 ms in DynamoDB: ~1,300 recipients a second alone,
 * barely ahead of a 1,000 SMS/s pool).
 */
export const BATCH_WRITES_IN_FLIGHT = 2;
/** Kept from an invocation's time for what follows its last batch: public posts, the recount, a hand-on. */
const WRAP_UP_MS = 30_000;

/** Public posts per channel: X and Facebook carry one post per language, the status site one entry in all. */
export function publicRecipients(channel: Broadcast['channels'][number]): string[] {
  return channel === 'status' ? ['site'] : [...LANGUAGES];
}

/**
 * Resolves the audience of a queued broadcast and fans the work out, in chunks of at most
 * PLANNING_CHUNK_MS of planning, each in an invocation of its own.
 * 1. marks the broadcast sending (the first chunk), while it
 * 2. finds the affected flights by index queries, soonest departure first;
 * 3. streams the audience (one entry per customer, soonest flight first) from the message's
 *    cursor, keeps the eligible ones and writes one delivery record each, a batch at a time after
 *    reading the broadcast (strongly consistent) to see it is not cancelled (conditional puts, so
 *    a re-run writes nothing twice), the next batch while the last is still being written
 *    (BATCH_WRITES_IN_FLIGHT);
 * 4. publishes each SMS batch once written, so the first passenger is reached before planning
 *    ends (batches written while a publish is out go together in one PublishBatch); the first
 *    batch holds only FIRST_SMS_BATCH_SIZE recipients, so the first SMS waits for little;
 * 5. when the chunk's time is spent, publishes a continuation to the planner carrying the cursor
 *    of the first recipient not planned, and stops; the continuation resumes at step 1;
 * 6. otherwise writes and publishes one record per public post;
 * 7. recounts the recipients from the ledger, marks the totals final and settles the broadcast
 *    if nothing is left to send.
 * An exercise's passengers and X and Facebook posts are written as `exercise`, never published;
 * its staff test numbers get one record each (beside its first passenger, whose SMS they are
 * sent), published like a passenger's (exercise.ts).
 * A cancel stops it at the next batch of records: a batch is written only after a read found the
 * broadcast open, so at most the batches being written when the cancel came join it (as not sent:
 * workers check for a cancel before every claim). The ledger's change stream counts the records.
 * Safe to run again for the same broadcast or cursor: existing records are neither rewritten nor
 * recounted, and a broadcast planned already is left alone.
 */
export async function planBroadcast(
  { broadcastId, resume }: PlanBroadcastMessage,
  deps: PlanBroadcastDeps,
  invocation: Pick<Invocation, 'remainingMs'>,
): Promise<void> {
  const startedAt = Date.now();
  const mustStopAt = startedAt + invocation.remainingMs() - WRAP_UP_MS;
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (
    !broadcast ||
    broadcast.plannedAt ||
    (broadcast.status !== 'queued' && broadcast.status !== 'sending')
  ) {
    logger.info('Broadcast not plannable', {
      broadcastId,
      status: broadcast?.status,
      plannedAt: broadcast?.plannedAt,
    });
    return;
  }
  const incident = await deps.incidents.get(broadcast.incidentId);
  if (!incident) throw new Error(`Incident ${broadcast.incidentId} of broadcast ${broadcastId} is missing`);
  const sendsSms = broadcast.channels.includes('sms');
  // Side by side: the first SMS waits for the flights, not for the status write as well.
  const [flights] = await Promise.all([
    sendsSms ? findAffectedFlights(incident, deps.flights) : [],
    broadcast.startedAt
      ? undefined
      : deps.broadcasts.setStatus(broadcastId, 'sending', {
          startedAt: new Date().toISOString(),
          from: ['queued'],
        }),
  ]);

  try {
    if (sendsSms) {
      const rest = await planSms(broadcast, incident, flights, resume, deps, { startedAt, mustStopAt });
      if (rest) {
        await deps.fanout.publish('planner', { broadcastId, resume: rest } satisfies PlanBroadcastMessage);
        logger.info('Planning continues in another invocation', { broadcastId, resume: rest });
        return;
      }
    }
    for (const channel of broadcast.channels.filter((candidate) => candidate !== 'sms')) {
      const created = await createWhileOpen(
        publicRecipients(channel).map((recipientId) =>
          plannedDelivery(incident, broadcastId, channel, recipientId),
        ),
        deps,
      );
      await deps.fanout.publishMany(
        channel,
        toSend(created).map(({ recipientId }) => ({ broadcastId, recipientId })),
      );
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

/** The records a worker is to send: those not recorded as an exercise's. */
const toSend = <T extends Pick<Delivery, 'status'>>(records: T[]): T[] =>
  records.filter(({ status }) => status === 'queued');

/** A new ledger record, queued or (an exercise's, not to be sent) `exercise`. */
function plannedDelivery(
  incident: Pick<Incident, 'exercise'>,
  broadcastId: string,
  channel: Channel,
  recipientId: string,
  payload?: Record<string, string>,
): ReturnType<typeof queuedDelivery> {
  return {
    ...queuedDelivery(broadcastId, channel, recipientId, payload),
    status: plannedStatus(incident, channel, recipientId),
  };
}

/** A new ledger record, not yet tried: what the planner writes for each recipient of a channel. */
export function queuedDelivery(
  broadcastId: string,
  channel: Channel,
  recipientId: string,
  payload?: Record<string, string>,
): LedgerRecord {
  const now = new Date().toISOString();
  return {
    broadcastId,
    channel,
    recipientId,
    status: 'queued',
    attempts: 0,
    updatedAt: now,
    queuedAt: now,
    ...(payload ? { payload } : {}),
  };
}

/**
 * Where to resume in this invocation's list of flights: the cursor's position while the flight
 * there is still the one it names; from the start otherwise (the catalog changed between chunks:
 * the records written already are not written again).
 */
function resumePosition(cursor: AudienceCursor | undefined, flights: Flight[]): AudiencePosition {
  if (!cursor) return { flight: 0, passenger: 0 };
  const flight = flights[cursor.flight];
  if (flight && flightKeyOf(flight) === cursor.flightKey) return cursor;
  logger.warn('The affected flights changed since the last chunk; planning resumes from the start', {
    cursor,
  });
  return { flight: 0, passenger: 0 };
}

/**
 * Writes and publishes the SMS records from `resume` on, a batch at a time, until the audience
 * ends (undefined), or PLANNING_CHUNK_MS after its first recipient or `mustStopAt` passes: then
 * the cursor of the first recipient not planned. The chunk's time starts at its first recipient,
 * so finding its place again (reading the flights before the cursor) never eats it up; each
 * invocation plans at least one batch, so planning always moves on. The first chunk logs how
 * long its first batch took from the invocation's start (`startedAt`), step by step: the time
 * every passenger's first SMS waits for.
 */
async function planSms(
  broadcast: Broadcast,
  incident: Incident,
  flights: Flight[],
  resume: AudienceCursor | undefined,
  deps: PlanBroadcastDeps,
  { startedAt, mustStopAt }: { startedAt: number; mustStopAt: number },
): Promise<AudienceCursor | undefined> {
  const published = new PublishQueue(deps.fanout, 'sms');
  const flightsFoundMs = Date.now() - startedAt;
  let firstRecipientMs: number | undefined;
  let batch: ReturnType<typeof queuedDelivery>[] = [];
  let batchesStarted = 0;
  /** Batch writes not yet awaited, oldest first. */
  const writing: Promise<void>[] = [];
  let chunkEndsAt: number | undefined;
  // Only the first chunk has the first passenger: the sample an exercise's test numbers are sent.
  let testNumbersLeft = resume || !incident.exercise ? [] : (deps.exerciseNumbers ?? []);
  const writeAndPublish = async (
    records: ReturnType<typeof queuedDelivery>[],
    first: boolean,
    previous: Promise<void> | undefined,
  ) => {
    // Written a batch at a time (the stream counts them, for live progress); the total is recounted at the end.
    const created = await createWhileOpen(records, deps);
    if (first)
      logger.info('First SMS batch written', {
        flights: flights.length,
        records: created.length,
        flightsFoundMs,
        firstRecipientMs,
        writtenMs: Date.now() - startedAt,
      });
    const customerIds = toSend(created).map(({ recipientId }) => recipientId);
    // Published in planning order, soonest departures first, whichever batch was written first.
    await previous?.catch(() => undefined);
    if (customerIds.length > 0) await published.add({ broadcastId: broadcast.id, customerIds });
  };
  /** Starts writing the batch; waits only when BATCH_WRITES_IN_FLIGHT are out. A failure surfaces in turn. */
  const flush = async () => {
    if (batch.length === 0) return;
    const write = writeAndPublish(batch, batchesStarted === 0 && !resume, writing.at(-1));
    // Awaited in turn below; this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => undefined);
    writing.push(write);
    batch = [];
    batchesStarted++;
    if (writing.length >= BATCH_WRITES_IN_FLIGHT) await writing.shift();
  };
  const written = async () => {
    while (writing.length > 0) await writing.shift();
  };

  try {
    const audience = resolveAudience(flights, deps, resumePosition(resume, flights));
    for await (const { customer, flight, segment, language, exclusion, position } of audience) {
      chunkEndsAt ??= Math.min(Date.now() + PLANNING_CHUNK_MS, mustStopAt);
      firstRecipientMs ??= Date.now() - startedAt;
      if (exclusion) continue;
      if (batch.length === 0 && batchesStarted > 0 && Date.now() >= chunkEndsAt) {
        await written();
        return { ...position, flightKey: flightKeyOf(flight) };
      }
      // What the SMS names, fixed at planning time: the soonest affected segment.
      const payload = {
        bookingRef: segment.bookingRef,
        flightNumber: flight.flightNumber,
        date: flight.date,
        origin: flight.origin,
        departure: flight.departure,
        language,
      };
      batch.push(plannedDelivery(incident, broadcast.id, 'sms', customer.customerId, payload));
      batch.push(
        ...testNumbersLeft.map((_, index) =>
          plannedDelivery(incident, broadcast.id, 'sms', testRecipientId(index + 1), payload),
        ),
      );
      testNumbersLeft = [];
      const batchSize =
        batchesStarted === 0 && !resume
          ? Math.min(FIRST_SMS_BATCH_SIZE, deps.smsBatchSize)
          : deps.smsBatchSize;
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await written();
    return undefined;
  } finally {
    // Every batch written is published before the chunk ends, hands on or fails.
    await Promise.allSettled(writing);
    await published.drain();
  }
}
