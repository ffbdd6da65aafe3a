import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from '#shared/domain/circuit-breaker.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { Customer, Language } from '#shared/domain/model.ts';
import { METRIC, metrics } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SmsSender } from '#shared/ports/providers.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { type SendSmsBatchDeps, sendSmsBatch } from '#shared/use-cases/send-sms-batch.ts';
import { aCustomer, anIncident, aTemplate } from '#test/support/builders.ts';
import {
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeFanout,
  FakeIncidentStore,
  FakeRateLimiter,
  FakeSmsProvider,
  FakeTemplateStore,
  fakeInvocation,
} from '#test/support/fakes.ts';
import { captureJsonLines, emfMetrics } from '#test/support/json-lines.ts';

const key = (recipientId: string) => ({ broadcastId: 'b1', channel: 'sms' as const, recipientId });
const tooManyRequests = () => new TransientDeliveryError('Twilio unavailable (HTTP 429)', 0);
const lostAnswer = () =>
  new TransientDeliveryError('Twilio request failed (ETIMEDOUT)', undefined, { mayHaveBeenAccepted: true });
const unsubscribed = () => new PermanentDeliveryError('Twilio refused the message (21610)', 'opted_out');

/**
 * A planned broadcast with one queued SMS record per customer, each in the language the planner
 * fixed on it, and every port faked in memory.
 */
async function plannedBatch(recipients: { customer: Customer; language: Language }[]) {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', status: 'sending', plannedAt: new Date().toISOString() });
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const templates = new FakeTemplateStore();
  await templates.put(aTemplate());
  const customers = new FakeCustomerDirectory(recipients.map(({ customer }) => customer));
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany(
    recipients.map(({ customer, language }) =>
      queuedDelivery('b1', 'sms', customer.customerId, {
        bookingRef: `BK-${customer.customerId}`,
        flightNumber: 'AY123',
        date: '2026-12-01',
        origin: 'HEL',
        departure: '2026-12-01T08:00:00+02:00',
        language,
      }),
    ),
  );
  const provider = new FakeSmsProvider();
  const smsRate = new FakeRateLimiter();
  const fanout = new FakeFanout();
  const deps: SendSmsBatchDeps = {
    broadcasts,
    incidents,
    templates,
    customers,
    deliveries,
    sms: provider,
    senderFor: () => ({ rate: smsRate }),
    // maxAgeMs 0: every send reads the broadcast afresh, so a cancel is seen at the next send.
    cancellation: new CancellationWatch(broadcasts, 0),
    fanout,
    providerTimeoutMs: 1_000,
    // One at a time, so the order of sends is the batch's; the concurrent tests set their own.
    sendsInFlight: 1,
  };
  const ids = recipients.map(({ customer }) => customer.customerId);
  const counts = async () => (await broadcasts.get('b1'))?.counts.sms;
  return { broadcasts, customers, deliveries, provider, smsRate, fanout, deps, ids, counts };
}

const finnish = (...ids: string[]) => ids.map((id) => ({ customer: aCustomer(id), language: 'fi' as const }));

describe('sendSmsBatch', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends each queued record once, in the language fixed on its record, and records it sent', async () => {
    const { provider, smsRate, deliveries, deps, counts, broadcasts } = await plannedBatch([
      { customer: aCustomer('c1'), language: 'fi' },
      { customer: aCustomer('c2', { language: 'sv' }), language: 'sv' },
      { customer: aCustomer('c3', { language: 'de' }), language: 'en' },
    ]);

    await sendSmsBatch('b1', ['c1', 'c2', 'c3'], deps, fakeInvocation());

    expect(provider.accepted.map(({ body }) => body)).toEqual([
      'FI Name-c1: AY123 BK-c1',
      'SV Name-c2: AY123 BK-c2',
      'EN Name-c3: AY123 BK-c3',
    ]);
    expect([...provider.perPhone().values()]).toEqual([1, 1, 1]);
    expect(smsRate.acquired).toBe(3);
    for (const id of ['c1', 'c2', 'c3']) expect(deliveries.record(key(id))?.status).toBe('sent');
    expect(await counts()).toMatchObject({ recipients: 3, sent: 3, queued: 0, attempts: 3 });
    expect((await broadcasts.get('b1'))?.status).toBe('completed');
  });

  it('with a fallback behind Twilio, texts each customer once through whichever provider took it and records which', async () => {
    const { provider, deliveries, deps, counts } = await plannedBatch(finnish('c1', 'c2', 'c3'));
    const fallback = new FakeSmsProvider();
    const breaker = () =>
      new CircuitBreaker({ consecutiveFailures: 5, window: 20, failureRate: 0.5, openMs: 30_000 });
    deps.failover = {
      fallback,
      breakers: { twilio: breaker(), 'aws-sms': breaker() },
      fallbackPrefixes: [],
      fallbackEventGraceMs: 120_000,
    };
    provider.willAnswer('accept', { throw: new TransientDeliveryError('Twilio unavailable (HTTP 503)') });

    await sendSmsBatch('b1', ['c1', 'c2', 'c3'], deps, fakeInvocation());

    expect(provider.accepted.map(({ body }) => body)).toEqual([
      'FI Name-c1: AY123 BK-c1',
      'FI Name-c3: AY123 BK-c3',
    ]);
    expect(fallback.accepted.map(({ body }) => body)).toEqual(['FI Name-c2: AY123 BK-c2']);
    expect(['c1', 'c2', 'c3'].map((id) => deliveries.record(key(id))?.provider)).toEqual([
      'twilio',
      'aws-sms',
      'twilio',
    ]);
    expect(await counts()).toMatchObject({ recipients: 3, sent: 3, queued: 0 });
  });

  it("sends each SMS from its number's sender, paced by that sender's own limiter", async () => {
    const { provider, deps } = await plannedBatch([
      { customer: aCustomer('c1', { phone: '+358401000001' }), language: 'fi' },
      { customer: aCustomer('c2', { phone: '+46701000002' }), language: 'sv' },
      { customer: aCustomer('c3', { phone: '+358401000003' }), language: 'fi' },
    ]);
    const finnishRate = new FakeRateLimiter();
    const swedishRate = new FakeRateLimiter();
    deps.senderFor = (phone) =>
      phone.startsWith('+358')
        ? { origin: { from: 'HERALD' }, rate: finnishRate }
        : { origin: { messagingServiceSid: 'MG0001' }, rate: swedishRate };

    await sendSmsBatch('b1', ['c1', 'c2', 'c3'], deps, fakeInvocation());

    expect(provider.accepted.map(({ to, sender }) => [to, sender])).toEqual([
      ['+358401000001', { from: 'HERALD' }],
      ['+46701000002', { messagingServiceSid: 'MG0001' }],
      ['+358401000003', { from: 'HERALD' }],
    ]);
    expect([finnishRate.acquired, swedishRate.acquired]).toEqual([2, 1]);
  });

  it('ends the SMS of a sender that cannot take replies with where STOP and HELP go', async () => {
    const { provider, deps } = await plannedBatch(finnish('c1'));
    deps.senderFor = () => ({
      origin: { from: 'HERALD' },
      rate: new FakeRateLimiter(),
      replyTo: '+358401234567',
    });

    await sendSmsBatch('b1', ['c1'], deps, fakeInvocation());

    expect(provider.accepted.map(({ body }) => body)).toEqual([
      'FI Name-c1: AY123 BK-c1\nSTOP/HELP: +358401234567',
    ]);
  });

  it('keeps the evidence of each send on its record: when it was queued and sent, and the hash of the very text', async () => {
    const { provider, deliveries, deps } = await plannedBatch([
      { customer: aCustomer('c1'), language: 'fi' },
    ]);
    const queued = deliveries.record(key('c1'));

    await sendSmsBatch('b1', ['c1'], deps, fakeInvocation());

    const record = deliveries.record(key('c1'));
    const [sent] = provider.accepted;
    expect(record?.queuedAt).toBe(queued?.queuedAt);
    expect(record?.sentAt).toBe(record?.updatedAt);
    expect(record?.textSha256).toBe(
      createHash('sha256')
        .update(sent?.body ?? '')
        .digest('hex'),
    );
    expect(record?.providerId).toBe(sent?.id);
  });

  it('reads the broadcast, the customers and the records side by side, and sends without reading the broadcast again', async () => {
    const { broadcasts, customers, deliveries, provider, deps, ids } = await plannedBatch(finnish('c1'));
    const reads: string[] = [];
    const read = async <T>(what: string, answer: () => Promise<T>) => {
      reads.push(`${what} asked`);
      await sleep(5);
      reads.push(`${what} answered`);
      return answer();
    };
    const { get } = broadcasts;
    vi.spyOn(broadcasts, 'get').mockImplementation((id) => read('broadcast', () => get.call(broadcasts, id)));
    const { getMany: customersOf } = customers;
    vi.spyOn(customers, 'getMany').mockImplementation((customerIds) =>
      read('customers', () => customersOf.call(customers, customerIds)),
    );
    const { getMany: recordsOf } = deliveries;
    vi.spyOn(deliveries, 'getMany').mockImplementation((broadcastId, channel, recipientIds) =>
      read('records', () => recordsOf.call(deliveries, broadcastId, channel, recipientIds)),
    );

    // The watch the sends ask before each claim, counting the reads of its own.
    let watchReads = 0;
    const cancellation = new CancellationWatch(
      {
        get: (id: string) => {
          watchReads++;
          return get.call(broadcasts, id);
        },
      } as BroadcastStore,
      60_000,
    );

    await sendSmsBatch('b1', ids, { ...deps, cancellation }, fakeInvocation());

    expect(reads.slice(0, 3).sort()).toEqual(['broadcast asked', 'customers asked', 'records asked']);
    expect(provider.accepted).toHaveLength(1);
    expect(watchReads).toBe(0);
  });

  it('a redelivered batch texts nobody twice, nor a record another invocation holds under a live lease', async () => {
    const { provider, smsRate, deliveries, deps, ids } = await plannedBatch(finnish('c1', 'c2', 'c3'));
    await deliveries.claim(key('c3'), { owner: 'live-worker', expiresAt: Date.now() + 60_000 });

    await sendSmsBatch('b1', ids, deps, fakeInvocation());
    await sendSmsBatch('b1', ids, deps, fakeInvocation());

    expect(provider.accepted).toHaveLength(2);
    expect([...provider.perPhone().values()]).toEqual([1, 1]);
    expect(smsRate.acquired).toBe(2);
    expect(deliveries.record(key('c3'))).toMatchObject({ status: 'sending', leaseOwner: 'live-worker' });
  });

  it('a transient failure that outlives its retries puts the record back to queued, sends the rest, and throws for redelivery', async () => {
    const { provider, deliveries, deps, ids, counts } = await plannedBatch(finnish('c1', 'c2'));
    provider.willAnswer(...Array.from({ length: 4 }, () => ({ throw: tooManyRequests() })));
    const invocation = fakeInvocation();
    // No backoff between the retries: the policy's full jitter draws 0.
    vi.spyOn(Math, 'random').mockReturnValue(0);

    await expect(sendSmsBatch('b1', ids, deps, invocation)).rejects.toThrow('1 of 2 SMS failed transiently');

    expect(deliveries.record(key('c1'))).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'Twilio unavailable (HTTP 429)',
    });
    expect(deliveries.record(key('c1'))?.leaseOwner).toBeUndefined();
    expect(deliveries.record(key('c2'))?.status).toBe('sent');
    expect(provider.accepted).toHaveLength(1);
    expect(await counts()).toMatchObject({ sent: 1, failed: 0, queued: 1, attempts: 5 });
  });

  it("on the queue's last receive, a record whose retries ran out fails with the reason", async () => {
    const { provider, deliveries, deps, ids, counts, broadcasts } = await plannedBatch(finnish('c1'));
    provider.willAnswer(...Array.from({ length: 4 }, () => ({ throw: tooManyRequests() })));
    const invocation = fakeInvocation({ lastChance: true });
    vi.spyOn(Math, 'random').mockReturnValue(0);

    await expect(sendSmsBatch('b1', ids, deps, invocation)).rejects.toThrow(
      '1 of 1 SMS given up after their retries',
    );

    expect(deliveries.record(key('c1'))).toMatchObject({
      status: 'failed',
      lastError: 'Gave up after retries: Twilio unavailable (HTTP 429)',
    });
    expect(await counts()).toMatchObject({ failed: 1, queued: 0, attempts: 4 });
    expect((await broadcasts.get('b1'))?.status).toBe('failed');
  });

  it("on the queue's last receive, records not given up go on in a new batch: only a record given up fails the message", async () => {
    const { provider, fanout, deliveries, deps, counts } = await plannedBatch(finnish('c1', 'c2', 'c3'));
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const refusedFourTimes = () => Array.from({ length: 4 }, () => ({ throw: tooManyRequests() }));
    // c1 failed on the batch's two earlier receives; c2 and c3 have their first claim on its last.
    for (const _ of [1, 2]) {
      provider.willAnswer(...refusedFourTimes());
      await expect(sendSmsBatch('b1', ['c1'], deps, fakeInvocation())).rejects.toThrow();
    }
    // c1 refused again, c2 too, and c3's answer lost after Twilio accepted it.
    provider.willAnswer(...refusedFourTimes(), ...refusedFourTimes(), { acceptThenThrow: lostAnswer() });
    const lastReceive = fakeInvocation({ lastChance: true, maxReceives: 3 });

    await expect(sendSmsBatch('b1', ['c1', 'c2', 'c3'], deps, lastReceive)).rejects.toThrow(
      '1 of 3 SMS given up after their retries',
    );

    expect(deliveries.record(key('c1'))).toMatchObject({ status: 'failed', attempts: 3 });
    expect(deliveries.record(key('c2'))).toMatchObject({ status: 'queued', attempts: 1 });
    expect(deliveries.record(key('c3'))?.uncertainSince).toBeDefined();
    expect(fanout.published).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c2', 'c3'] } },
    ]);

    // The new batch's claims send c2 and find c3 at Twilio: each texted once.
    await sendSmsBatch('b1', ['c2', 'c3'], deps, fakeInvocation());
    expect([...provider.perPhone().values()]).toEqual([1, 1]);
    expect(deliveries.record(key('c3'))).toMatchObject({ status: 'sent', providerId: 'SM1' });
    expect(await counts()).toMatchObject({ sent: 2, failed: 1, queued: 0, duplicatesSuspected: 0 });
  });

  it("on the queue's last receive with no record given up, the message succeeds and its failures go on in a new batch, counted", async () => {
    const { provider, fanout, deliveries, deps, ids } = await plannedBatch(finnish('c1', 'c2'));
    vi.spyOn(Math, 'random').mockReturnValue(0);
    provider.willAnswer(...Array.from({ length: 4 }, () => ({ throw: tooManyRequests() })));
    const jsonLines = captureJsonLines();

    await sendSmsBatch('b1', ids, deps, fakeInvocation({ lastChance: true, maxReceives: 10 }));
    metrics.publishStoredMetrics();

    expect(deliveries.record(key('c1'))).toMatchObject({ status: 'queued', attempts: 1 });
    expect(deliveries.record(key('c2'))?.status).toBe('sent');
    expect(fanout.published).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c1'] } },
    ]);
    expect(emfMetrics(jsonLines()).map((line) => line.values[METRIC.smsHandedOn])).toContain(1);
  });

  it('Twilio 21610 (unsubscribed) records the SMS opted out and opts the customer out, without a retry', async () => {
    const { provider, customers, deliveries, deps, ids, counts } = await plannedBatch(finnish('c1'));
    provider.willAnswer({ throw: unsubscribed() });

    await sendSmsBatch('b1', ids, deps, fakeInvocation());

    expect(deliveries.record(key('c1'))).toMatchObject({
      status: 'opted_out',
      lastError: 'Twilio refused the message (21610)',
    });
    expect(customers.items.get('c1')?.optedOut).toBe(true);
    expect(provider.accepted).toHaveLength(0);
    expect(await counts()).toMatchObject({ optedOut: 1, failed: 0, queued: 0, attempts: 1 });
  });

  it('does not text a customer who opted out since planning, nor spends a rate slot or an attempt on them', async () => {
    const { provider, smsRate, deliveries, deps, counts } = await plannedBatch([
      { customer: aCustomer('c1', { optedOut: true }), language: 'fi' },
      ...finnish('c2'),
    ]);

    await sendSmsBatch('b1', ['c1', 'c2'], deps, fakeInvocation());

    expect(provider.accepted.map(({ body }) => body)).toEqual(['FI Name-c2: AY123 BK-c2']);
    expect(deliveries.record(key('c1'))?.status).toBe('opted_out');
    expect(smsRate.acquired).toBe(1);
    expect(await counts()).toMatchObject({ sent: 1, optedOut: 1, queued: 0, attempts: 1 });
  });

  it('a cancel during a send stops the rest of the batch; what was not sent stays queued and counts as not sent', async () => {
    const { provider, smsRate, broadcasts, deliveries, deps, ids, counts } = await plannedBatch(
      finnish('c1', 'c2', 'c3'),
    );
    // The comms lead cancels while the first SMS is with the provider.
    const cancellingProvider: SmsSender = {
      async send(message) {
        const accepted = await provider.send(message);
        await broadcasts.setStatus('b1', 'cancelled', { cancelledAt: new Date().toISOString() });
        // The call takes a moment, so the next cancel check is a fresh read.
        await sleep(2);
        return accepted;
      },
      findSent: (query) => provider.findSent(query),
    };

    await sendSmsBatch('b1', ids, { ...deps, sms: cancellingProvider }, fakeInvocation());

    expect(provider.accepted).toHaveLength(1);
    // The second send's rate slot was taken before it saw the cancel; the third waits for none.
    expect(smsRate.acquired).toBe(2);
    expect(deliveries.record(key('c1'))?.status).toBe('sent');
    for (const id of ['c2', 'c3'])
      expect(deliveries.record(key(id))).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await counts()).toMatchObject({ sent: 1, notSent: 2 });
    expect((await broadcasts.get('b1'))?.status).toBe('cancelled');
  });

  it('an invocation short of time for another send publishes the rest as a new batch and sends nothing more', async () => {
    const { provider, smsRate, fanout, deliveries, deps, ids } = await plannedBatch(
      finnish('c1', 'c2', 'c3'),
    );
    let remainingMs = 60_000;
    const invocation: Invocation = { ...fakeInvocation(), remainingMs: () => remainingMs };
    const slowProvider: SmsSender = {
      async send(message) {
        // The first send leaves less than one lease (1 s provider timeout + 5 s margin) of time.
        remainingMs = 5_999;
        return provider.send(message);
      },
      findSent: (query) => provider.findSent(query),
    };

    await sendSmsBatch('b1', ids, { ...deps, sms: slowProvider }, invocation);

    expect(provider.accepted).toHaveLength(1);
    expect(smsRate.acquired).toBe(1);
    expect(fanout.published).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['c2', 'c3'] } },
    ]);
    for (const id of ['c2', 'c3'])
      expect(deliveries.record(key(id))).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('keeps several sends in flight at once and still sends each record exactly once', async () => {
    const customers = Array.from({ length: 12 }, (_, index) => `c${index + 1}`);
    const { provider, deliveries, deps, ids, counts } = await plannedBatch(finnish(...customers));
    let inFlight = 0;
    let mostInFlight = 0;
    const slowProvider: SmsSender = {
      async send(message) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return provider.send(message);
      },
      findSent: (query) => provider.findSent(query),
    };

    await sendSmsBatch('b1', ids, { ...deps, sms: slowProvider, sendsInFlight: 5 }, fakeInvocation());

    expect(mostInFlight).toBe(5);
    expect([...provider.perPhone().values()].every((count) => count === 1)).toBe(true);
    expect(provider.accepted).toHaveLength(12);
    for (const id of ids) expect(deliveries.record(key(id))?.status).toBe('sent');
    expect(await counts()).toMatchObject({ sent: 12, queued: 0 });
  });

  it('out of time with sends in flight: lets them finish and carries on exactly the records not tried', async () => {
    const customers = Array.from({ length: 10 }, (_, index) => `c${index + 1}`);
    const { provider, fanout, deliveries, deps, ids } = await plannedBatch(finnish(...customers));
    let remainingMs = 60_000;
    const invocation: Invocation = { ...fakeInvocation(), remainingMs: () => remainingMs };
    let sends = 0;
    const slowProvider: SmsSender = {
      async send(message) {
        // The third send to start leaves too little time for any further one.
        if (++sends === 3) remainingMs = 5_999;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return provider.send(message);
      },
      findSent: (query) => provider.findSent(query),
    };

    await sendSmsBatch('b1', ids, { ...deps, sms: slowProvider, sendsInFlight: 3 }, invocation);

    const sent = ids.filter((id) => deliveries.record(key(id))?.status === 'sent');
    const carried = fanout.published.flatMap(
      ({ message }) => (message as { customerIds: string[] }).customerIds,
    );
    expect(sent).toHaveLength(provider.accepted.length);
    expect([...sent, ...carried].sort()).toEqual([...ids].sort());
    for (const id of carried) expect(deliveries.record(key(id))?.status).toBe('queued');
  });
});
