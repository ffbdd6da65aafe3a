import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlanBroadcastMessage } from '#shared/domain/bus-messages.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { Fanout } from '#shared/ports/stores.ts';
import {
  BATCH_WRITES_IN_FLIGHT,
  PLANNING_CHUNK_MS,
  type PlanBroadcastDeps,
  planBroadcast,
} from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer, aFlight, aSegment } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';

/** An invocation with its whole time ahead of it, and one whose time is spent. */
const ample = { remainingMs: () => 450_000 };
const spent = { remainingMs: () => 0 };
const plan = { broadcastId: 'b1' };

/**
 * A strike at HEL on 1 December: AY123 at 08:00 and AY456 at 12:00 leave inside the window,
 * AY789 the next day does not. c1, c2 and c6 may be texted; c3 gave no consent, c4 opted out,
 * c5's number is not a phone number, c7 flies only outside the window. c1 is on both flights.
 */
async function strike(broadcast: Partial<Broadcast> = {}) {
  const ay123 = aFlight({ flightNumber: 'AY123', departure: '2026-12-01T08:00:00+02:00' });
  const ay456 = aFlight({ flightNumber: 'AY456', departure: '2026-12-01T12:00:00+02:00' });
  const ay789 = aFlight({
    flightNumber: 'AY789',
    date: '2026-12-02',
    departure: '2026-12-02T08:00:00+02:00',
  });
  const { broadcasts, deliveries, fanout, ...stores } = await fakeStores({
    flights: [ay123, ay456, ay789],
    segments: [
      ...['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => aSegment(id, ay123)),
      aSegment('c6', ay456),
      aSegment('c1', ay456),
      aSegment('c7', ay789),
    ],
    segmentsPerPage: 2,
    customers: [
      aCustomer('c1'),
      aCustomer('c2', { language: 'sv-FI' }),
      aCustomer('c3', { smsConsent: false }),
      aCustomer('c4', { optedOut: true }),
      aCustomer('c5', { phone: '0401234567' }),
      aCustomer('c6', { language: 'de' }),
      aCustomer('c7'),
    ],
  });
  broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms', 'x'], ...broadcast });
  const deps: PlanBroadcastDeps = { ...stores, broadcasts, deliveries, fanout, smsBatchSize: 2 };
  const recordsOf = (channel: string) =>
    [...deliveries.records.values()].filter((record) => record.channel === channel);
  const smsPublished = () =>
    fanout.published
      .filter(({ target }) => target === 'sms')
      .flatMap(({ message }) => (message as { customerIds: string[] }).customerIds);
  const continuations = () =>
    fanout.published
      .filter(({ target }) => target === 'planner')
      .map(({ message }) => message as PlanBroadcastMessage);
  return { broadcasts, deliveries, fanout, deps, recordsOf, smsPublished, continuations };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('planBroadcast', () => {
  it('writes one SMS record per eligible customer at their soonest flight, in their language, and publishes them in batches', async () => {
    const { broadcasts, fanout, deps, recordsOf } = await strike();

    await planBroadcast(plan, deps, ample);

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
    await planBroadcast(plan, deps, ample);
    const records = structuredClone([...deliveries.records.values()]);
    const published = fanout.published.length;

    await planBroadcast(plan, deps, ample);

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
      publish: (target, message) => fanout.publish(target, message),
      async publishMany(target, messages) {
        if (++publishes === 2) throw new Error('SNS unavailable');
        await fanout.publishMany(target, messages);
      },
    };
    await expect(planBroadcast(plan, { ...deps, fanout: crashingFanout }, ample)).rejects.toThrow(
      'SNS unavailable',
    );

    await planBroadcast(plan, deps, ample);

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
      publish: (target, message) => fanout.publish(target, message),
      async publishMany(target, messages) {
        // The comms lead cancels as the first batch goes out.
        const cancelled = broadcasts.setStatus('b1', 'cancelled', { cancelledAt: new Date().toISOString() });
        await fanout.publishMany(target, messages);
        await cancelled;
      },
    };

    await planBroadcast(plan, { ...deps, smsBatchSize: 1, fanout: cancellingFanout }, ample);

    // The first batch and the one being written beside it when the cancel came; no more.
    const inFlight = ['c1', 'c2'];
    expect(BATCH_WRITES_IN_FLIGHT).toBe(inFlight.length);
    expect(recordsOf('sms').map(({ recipientId }) => recipientId)).toEqual(inFlight);
    expect(recordsOf('x')).toEqual([]);
    expect(fanout.published).toEqual(
      inFlight.map((customerId) => ({
        target: 'sms',
        message: { broadcastId: 'b1', customerIds: [customerId] },
      })),
    );
    const cancelled = await broadcasts.get('b1');
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled?.plannedAt).toBeUndefined();
    expect(cancelled?.counts.sms).toMatchObject({ recipients: 2, notSent: 2 });
  });

  it(`writes the next batch while the last is still being written, ${BATCH_WRITES_IN_FLIGHT} at most at once`, async () => {
    const { deliveries, deps, smsPublished } = await strike();
    const createMany = deliveries.createMany.bind(deliveries);
    let writing = 0;
    let mostAtOnce = 0;
    vi.spyOn(deliveries, 'createMany').mockImplementation(async (records) => {
      mostAtOnce = Math.max(mostAtOnce, ++writing);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await createMany(records);
      } finally {
        writing--;
      }
    });

    await planBroadcast(plan, { ...deps, smsBatchSize: 1 }, ample);

    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBe(BATCH_WRITES_IN_FLIGHT);
    expect(smsPublished().sort()).toEqual(['c1', 'c2', 'c6']);
  });

  it('publishes the first batch as soon as it is written, before writing the next', async () => {
    const { fanout, deps, recordsOf } = await strike();
    const recordsAtFirstPublish: number[] = [];
    const watchingFanout: Fanout = {
      publish: (target, message) => fanout.publish(target, message),
      async publishMany(target, messages) {
        if (target === 'sms') recordsAtFirstPublish.push(recordsOf('sms').length);
        await fanout.publishMany(target, messages);
      },
    };

    await planBroadcast(plan, { ...deps, fanout: watchingFanout }, ample);

    expect(recordsAtFirstPublish[0]).toBe(2);
  });

  it('hands the rest on when its invocation runs out of time, and the continuations plan the whole audience once', async () => {
    const { broadcasts, deps, recordsOf, smsPublished, continuations } = await strike();
    const chunked = { ...deps, smsBatchSize: 1 };

    await planBroadcast(plan, chunked, spent);
    for (let handedOn = 0; handedOn < continuations().length; handedOn++) {
      await planBroadcast(continuations()[handedOn] as PlanBroadcastMessage, chunked, spent);
    }

    // One batch per invocation, then a continuation naming the first recipient not planned.
    expect(continuations()).toEqual([
      { broadcastId: 'b1', resume: { flight: 0, flightKey: 'AY123#2026-12-01', passenger: 1 } },
      { broadcastId: 'b1', resume: { flight: 1, flightKey: 'AY456#2026-12-01', passenger: 0 } },
    ]);
    expect(smsPublished()).toEqual(['c1', 'c2', 'c6']);
    expect(
      recordsOf('sms').map(({ recipientId, payload }) => `${recipientId}@${payload?.flightNumber}`),
    ).toEqual(['c1@AY123', 'c2@AY123', 'c6@AY456']);
    const planned = await broadcasts.get('b1');
    expect(planned?.plannedAt).toBeDefined();
    expect(planned?.counts.sms).toMatchObject({ recipients: 3, queued: 3 });
    expect(planned?.counts.x).toMatchObject({ recipients: 3, queued: 3 });
  });

  it('hands on after a chunk of at most PLANNING_CHUNK_MS however long its invocation may run', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { fanout, deps, smsPublished, continuations } = await strike();
    const slowFanout: Fanout = {
      publish: (target, message) => fanout.publish(target, message),
      async publishMany(target, messages) {
        await fanout.publishMany(target, messages);
        vi.setSystemTime(Date.now() + PLANNING_CHUNK_MS);
      },
    };

    await planBroadcast(plan, { ...deps, smsBatchSize: 1, fanout: slowFanout }, ample);

    // The chunk's time ran out as the first batch was published, the second being written beside it.
    expect(smsPublished()).toEqual(['c1', 'c2']);
    expect(continuations()).toEqual([
      { broadcastId: 'b1', resume: { flight: 1, flightKey: 'AY456#2026-12-01', passenger: 0 } },
    ]);
  });

  it("counts a chunk's time from its first recipient, not while it reads the flights before its cursor", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { deps, smsPublished, continuations } = await strike();
    const bookings = deps.bookings;
    // Reading AY123 again, to know whom it saw before the cursor, takes a whole chunk's time.
    const slowIndex: typeof bookings = {
      putSegments: (segments) => bookings.putSegments(segments),
      async *passengersOn(ref) {
        if (ref.flightNumber === 'AY123') vi.setSystemTime(Date.now() + PLANNING_CHUNK_MS);
        yield* bookings.passengersOn(ref);
      },
    };
    const resume = { flight: 0, flightKey: 'AY123#2026-12-01', passenger: 1 };

    await planBroadcast(
      { broadcastId: 'b1', resume },
      { ...deps, bookings: slowIndex, smsBatchSize: 1 },
      ample,
    );

    expect(smsPublished()).toEqual(['c2', 'c6']);
    expect(continuations()).toEqual([]);
  });

  it('starts again from the first recipient when the flight at its cursor is no longer the one it names', async () => {
    const { deps, smsPublished, recordsOf } = await strike();
    const stale = { flight: 1, flightKey: 'AY999#2026-12-01', passenger: 0 };

    await planBroadcast({ broadcastId: 'b1', resume: stale }, deps, ample);

    expect(smsPublished()).toEqual(['c1', 'c2', 'c6']);
    expect(recordsOf('sms').map(({ recipientId }) => recipientId)).toEqual(['c1', 'c2', 'c6']);
  });

  it('a continuation delivered twice writes, publishes and counts nothing twice', async () => {
    const { broadcasts, deliveries, deps, smsPublished, continuations } = await strike();
    const chunked = { ...deps, smsBatchSize: 1 };
    await planBroadcast(plan, chunked, spent);
    const [continuation] = continuations();
    if (!continuation) throw new Error('No continuation');

    // Delivered twice while planning goes on (SQS delivers at least once), then once more after it ended.
    await planBroadcast(continuation, chunked, spent);
    await planBroadcast(continuation, chunked, spent);
    for (const next of continuations().slice(1)) await planBroadcast(next, chunked, ample);
    const records = structuredClone([...deliveries.records.values()]);
    await planBroadcast(continuation, chunked, ample);

    expect(smsPublished()).toEqual(['c1', 'c2', 'c6']);
    expect([...deliveries.records.values()]).toEqual(records);
    expect(records.filter(({ channel }) => channel === 'sms').map(({ recipientId }) => recipientId)).toEqual([
      'c1',
      'c2',
      'c6',
    ]);
    const counts = (await broadcasts.get('b1'))?.counts;
    expect(counts?.sms).toMatchObject({ recipients: 3, queued: 3 });
    expect(counts?.x).toMatchObject({ recipients: 3, queued: 3 });
  });

  it('plans nothing for a broadcast still awaiting approval or already cancelled', async () => {
    for (const status of ['pending_approval', 'cancelled'] as const) {
      const { broadcasts, deliveries, fanout, deps } = await strike({ status });

      await planBroadcast(plan, deps, ample);

      expect(deliveries.records.size).toBe(0);
      expect(fanout.published).toEqual([]);
      expect((await broadcasts.get('b1'))?.status).toBe(status);
    }
  });
});
