import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import {
  fetchFitsIn,
  RECEIPT_FETCHES_IN_FLIGHT,
  RECEIPT_HORIZON_MS,
  receiptPassDue,
  reconcileReceipts,
} from '#shared/use-cases/reconcile-receipts.ts';
import { recordDeliveryReceipt } from '#shared/use-cases/record-delivery-receipt.ts';
import { FakeAwaitingReceipts, FakeReceiptWatch, FakeTwilioStatuses } from '#test/support/fake-receipts.ts';
import {
  FakeBroadcastStore,
  FakeDeliveryStore,
  FakeLeaseStore,
  fakeInvocation,
} from '#test/support/fakes.ts';

const GRACE_MS = 5 * 60_000;
const PROVIDER_TIMEOUT_MS = 10_000;
const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/**
 * A completed SMS broadcast, watched, that ended `endedMsAgo` ago, with one record per recipient
 * accepted by Twilio (`SM-<recipient>`) and no receipt yet.
 */
async function aBroadcastAwaitingReceipts(
  recipients: string[],
  { endedMsAgo = 10 * MINUTE, provider }: { endedMsAgo?: number; provider?: string } = {},
) {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', status: 'completed', completedAt: ago(endedMsAgo) });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany(
    recipients.map((recipientId) => ({
      broadcastId: 'b1',
      channel: 'sms' as const,
      recipientId,
      status: 'queued' as const,
      attempts: 0,
      updatedAt: ago(endedMsAgo),
    })),
  );
  for (const recipientId of recipients)
    await deliveries.transition({ broadcastId: 'b1', channel: 'sms', recipientId }, 'sent', {
      providerId: `SM-${recipientId}`,
      provider,
    });
  await deliveries.stream.flush();
  const watch = new FakeReceiptWatch(broadcasts);
  watch.watch('b1');
  const awaiting = new FakeAwaitingReceipts(deliveries);
  const twilio = new FakeTwilioStatuses();
  const leases = new FakeLeaseStore();
  const deps = {
    watch,
    awaiting,
    deliveries,
    broadcasts,
    leases,
    twilio,
    graceMs: GRACE_MS,
    providerTimeoutMs: PROVIDER_TIMEOUT_MS,
  };
  const status = (recipientId: string) =>
    deliveries.record({ broadcastId: 'b1', channel: 'sms', recipientId });
  return { broadcasts, deliveries, watch, awaiting, twilio, leases, deps, status };
}

describe('reconciling delivery receipts that never came', () => {
  it('records a sent SMS Twilio reports delivered as delivered, and stops watching its broadcast', async () => {
    const { deps, twilio, watch, broadcasts, status } = await aBroadcastAwaitingReceipts(['c1']);
    twilio.set('SM-c1', { status: 'delivered' });

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(status('c1')).toMatchObject({ status: 'delivered', providerId: 'SM-c1' });
    expect(status('c1')?.deliveredAt).toBeDefined();
    expect(result).toMatchObject({ ran: true, passes: 1, asked: 1, reconciled: 1, unwatched: 1 });
    expect(watch.ids.has('b1')).toBe(false);
    expect((await broadcasts.get('b1'))?.counts.sms).toMatchObject({ sent: 0, delivered: 1 });
  });

  it('records one Twilio reports undelivered (or failed) as undelivered, with its error code', async () => {
    const { deps, twilio, status } = await aBroadcastAwaitingReceipts(['c1', 'c2']);
    twilio.set('SM-c1', { status: 'undelivered', errorCode: '30003' });
    twilio.set('SM-c2', { status: 'failed', errorCode: '30008' });

    await reconcileReceipts(deps, fakeInvocation());

    expect(status('c1')).toMatchObject({ status: 'undelivered', lastError: 'Twilio error 30003' });
    expect(status('c2')).toMatchObject({ status: 'undelivered', lastError: 'Twilio error 30008' });
  });

  it('a status callback that comes after the reconciliation changes nothing', async () => {
    const { deps, twilio, status, deliveries, broadcasts } = await aBroadcastAwaitingReceipts(['c1']);
    twilio.set('SM-c1', { status: 'delivered' });
    await reconcileReceipts(deps, fakeInvocation());
    const reconciled = structuredClone(status('c1'));

    const late = await recordDeliveryReceipt(
      { broadcastId: 'b1', channel: 'sms', recipientId: 'c1' },
      { status: 'undelivered', providerId: 'SM-c1', errorCode: '30003' },
      { deliveries, broadcasts },
    );

    expect(late).toBe('settled');
    expect(status('c1')).toEqual(reconciled);
  });

  it('does not ask Twilio about a record whose callback came first', async () => {
    const { deps, twilio, status, deliveries, broadcasts } = await aBroadcastAwaitingReceipts(['c1', 'c2']);
    twilio.set('SM-c1', { status: 'undelivered', errorCode: '30003' }).set('SM-c2', { status: 'delivered' });
    await recordDeliveryReceipt(
      { broadcastId: 'b1', channel: 'sms', recipientId: 'c1' },
      { status: 'delivered', providerId: 'SM-c1' },
      { deliveries, broadcasts },
    );
    await deliveries.stream.flush();

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(result).toMatchObject({ asked: 1, reconciled: 1 });
    expect(status('c1')?.status).toBe('delivered');
    expect(status('c2')?.status).toBe('delivered');
  });

  it('waits for the grace after the broadcast ended before asking Twilio', async () => {
    const { deps, twilio, status } = await aBroadcastAwaitingReceipts(['c1'], { endedMsAgo: MINUTE });
    twilio.set('SM-c1', { status: 'delivered' });

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(result).toMatchObject({ ran: true, passes: 0, asked: 0 });
    expect(status('c1')?.status).toBe('sent');
  });

  it('leaves a record Twilio does not know (20404) sent, and notes the pass for the next one', async () => {
    const { deps, twilio, watch, broadcasts, status } = await aBroadcastAwaitingReceipts(['c1', 'c2']);
    twilio.set('SM-c2', { status: 'delivered' });

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(result).toMatchObject({ asked: 2, reconciled: 1, unknownAtProvider: 1, unwatched: 0 });
    expect(status('c1')?.status).toBe('sent');
    expect(watch.ids.has('b1')).toBe(true);
    expect((await broadcasts.get('b1'))?.receiptsCheckedAt).toBeDefined();
  });

  it('stops at a Twilio 5xx or 429 noting the record it could not ask about, and the next run goes on from it', async () => {
    const recipients = Array.from({ length: 30 }, (_, index) => `c${index}`);
    const { deps, twilio, broadcasts, status, watch } = await aBroadcastAwaitingReceipts(recipients);
    for (const recipient of recipients) twilio.set(`SM-${recipient}`, { status: 'delivered' });
    twilio.set('SM-c0', new TransientDeliveryError('Twilio unavailable (HTTP 503)'));

    const first = await reconcileReceipts(deps, fakeInvocation());

    expect(first.asked).toBeLessThan(recipients.length);
    expect(status('c0')?.status).toBe('sent');
    expect((await broadcasts.get('b1'))?.receiptsCheckedAt).toBeUndefined();
    // From the record that failed, the first read.
    expect(watch.resumeFrom.get('b1')).toBe('c0');

    twilio.set('SM-c0', { status: 'delivered' });
    const second = await reconcileReceipts(deps, fakeInvocation());

    expect(first.reconciled + second.reconciled).toBe(recipients.length);
    expect(recipients.every((recipient) => status(recipient)?.status === 'delivered')).toBe(true);
    expect(watch.resumeFrom.has('b1')).toBe(false);
    // The counts now show nothing sent: the next look takes the broadcast off the watch.
    expect(await reconcileReceipts(deps, fakeInvocation())).toMatchObject({ passes: 0, unwatched: 1 });
  });

  it('fails the run on a refusal retrying cannot fix (bad credentials) once every lane stopped, and releases its lease', async () => {
    const recipients = Array.from({ length: 30 }, (_, index) => `c${String(index).padStart(2, '0')}`);
    const { deps, twilio, leases } = await aBroadcastAwaitingReceipts(recipients);
    for (const recipient of recipients) twilio.set(`SM-${recipient}`, { status: 'delivered' });
    twilio.set(
      'SM-c00',
      new PermanentDeliveryError('Twilio refused the query: error 20003 (HTTP 401)', 'rejected'),
    );

    await expect(reconcileReceipts(deps, fakeInvocation())).rejects.toThrow(/20003/);
    expect(twilio.inFlight).toBe(0);
    expect(twilio.fetches).toBeLessThan(recipients.length);
    expect(leases.leases.size).toBe(0);
  });

  it('keeps a record Twilio still reports sent, and a day after the broadcast ended leaves it so without asking again', async () => {
    const recent = await aBroadcastAwaitingReceipts(['c1']);
    recent.twilio.set('SM-c1', { status: 'sent' });
    expect(await reconcileReceipts(recent.deps, fakeInvocation())).toMatchObject({
      notFinal: 1,
      unwatched: 0,
    });
    expect(recent.watch.ids.has('b1')).toBe(true);

    const old = await aBroadcastAwaitingReceipts(['c1'], { endedMsAgo: RECEIPT_HORIZON_MS + MINUTE });
    old.twilio.set('SM-c1', { status: 'delivered' });
    old.watch.resumeFrom.set('b1', 'c1');
    expect(await reconcileReceipts(old.deps, fakeInvocation())).toMatchObject({ asked: 0, unwatched: 1 });
    expect(old.status('c1')?.status).toBe('sent');
    expect(old.watch.ids.has('b1')).toBe(false);
  });

  it('makes headway run after run through more records Twilio reports not final than one run asks about', async () => {
    const recipients = Array.from({ length: 100 }, (_, index) => `c${String(index).padStart(3, '0')}`);
    const { deps, twilio, watch, broadcasts } = await aBroadcastAwaitingReceipts(recipients);
    for (const recipient of recipients) twilio.set(`SM-${recipient}`, { status: 'sent' });
    const asked = new Set<string>();
    const messageState = twilio.messageState.bind(twilio);
    twilio.messageState = (providerId) => {
      asked.add(providerId);
      return messageState(providerId);
    };

    for (let run = 1; run <= 3; run++) {
      // Time enough for 40 fetches a run.
      const fetchesBefore = twilio.fetches;
      await reconcileReceipts(deps, {
        ...fakeInvocation(),
        remainingMs: () => (twilio.fetches - fetchesBefore < 40 ? 60_000 : 0),
      });
    }

    expect(asked.size).toBe(recipients.length);
    expect(twilio.fetches).toBeLessThan(recipients.length + 3 * RECEIPT_FETCHES_IN_FLIGHT);
    expect(watch.resumeFrom.has('b1')).toBe(false);
    expect((await broadcasts.get('b1'))?.receiptsCheckedAt).toBeDefined();
  });

  it("leaves the AWS fallback's records to its events", async () => {
    const { deps, twilio, watch } = await aBroadcastAwaitingReceipts(['c1'], { provider: 'aws-sms' });

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(twilio.fetches).toBe(0);
    expect(result).toMatchObject({ passes: 1, asked: 0, unwatched: 1 });
    expect(watch.ids.has('b1')).toBe(false);
  });

  it('takes a broadcast whose counts show nothing sent off the watch without reading its ledger', async () => {
    const { deps, twilio, watch, awaiting } = await aBroadcastAwaitingReceipts([]);

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(result).toMatchObject({ passes: 0, unwatched: 1 });
    expect(awaiting.reads).toBe(0);
    expect(twilio.fetches).toBe(0);
    expect(watch.ids.size).toBe(0);
  });

  it(`asks Twilio about ${RECEIPT_FETCHES_IN_FLIGHT} messages at once at most, and about each once`, async () => {
    const recipients = Array.from({ length: 60 }, (_, index) => `c${index}`);
    const { deps, twilio } = await aBroadcastAwaitingReceipts(recipients);
    for (const recipient of recipients) twilio.set(`SM-${recipient}`, { status: 'delivered' });

    const result = await reconcileReceipts(deps, fakeInvocation());

    expect(result.reconciled).toBe(recipients.length);
    expect(twilio.fetches).toBe(recipients.length);
    expect(twilio.mostInFlight).toBe(RECEIPT_FETCHES_IN_FLIGHT);
  });

  it('notes where a run out of time stopped, and the next run goes on from there at once', async () => {
    const recipients = Array.from({ length: 40 }, (_, index) => `c${String(index).padStart(2, '0')}`);
    const { deps, twilio, watch, awaiting, status } = await aBroadcastAwaitingReceipts(recipients);
    for (const recipient of recipients) twilio.set(`SM-${recipient}`, { status: 'delivered' });
    // Time enough for 15 fetches.
    const shortOfTime = { ...fakeInvocation(), remainingMs: () => (twilio.fetches < 15 ? 60_000 : 0) };

    const first = await reconcileReceipts(deps, shortOfTime);

    expect(first.reconciled).toBeGreaterThanOrEqual(15);
    expect(first.reconciled).toBeLessThan(recipients.length);
    expect(watch.resumeFrom.get('b1')).toBeDefined();
    const readBefore = awaiting.recordsRead;

    const second = await reconcileReceipts(deps, fakeInvocation());

    expect(first.reconciled + second.reconciled).toBe(recipients.length);
    expect(recipients.every((recipient) => status(recipient)?.status === 'delivered')).toBe(true);
    // Only from where the first run stopped: the records it had reconciled are not read again.
    expect(awaiting.recordsRead - readBefore).toBeLessThan(recipients.length - 10);
    expect(watch.resumeFrom.has('b1')).toBe(false);
  });

  it('starts no fetch that could outlast the invocation, noting nothing', async () => {
    const { deps, twilio, broadcasts, status } = await aBroadcastAwaitingReceipts(['c1']);
    twilio.set('SM-c1', { status: 'delivered' });

    const result = await reconcileReceipts(deps, fakeInvocation({ timeMs: PROVIDER_TIMEOUT_MS + 1_000 }));

    expect(result).toMatchObject({ passes: 1, asked: 0 });
    expect(status('c1')?.status).toBe('sent');
    expect((await broadcasts.get('b1'))?.receiptsCheckedAt).toBeUndefined();
  });

  it('does nothing while another run holds the lease', async () => {
    const { deps, twilio, leases } = await aBroadcastAwaitingReceipts(['c1']);
    twilio.set('SM-c1', { status: 'delivered' });
    await leases.acquire('receipts', { owner: 'another run', expiresAt: Date.now() + 10_000 });

    expect(await reconcileReceipts(deps, fakeInvocation())).toMatchObject({ ran: false, asked: 0 });
  });
});

describe('when a watched broadcast is read again', () => {
  const ended = Date.parse('2026-11-30T06:00:00.000Z');
  const broadcast = (receiptsCheckedAt?: string) =>
    ({
      createdAt: '2026-11-30T05:00:00.000Z',
      completedAt: new Date(ended).toISOString(),
      receiptsCheckedAt,
    }) as Broadcast;

  it('first the grace after its end, then after twice as long as it had ended at the last pass', () => {
    expect(receiptPassDue(broadcast(), ended + GRACE_MS - 1, GRACE_MS)).toBe(false);
    expect(receiptPassDue(broadcast(), ended + GRACE_MS, GRACE_MS)).toBe(true);

    const checkedAt = new Date(ended + 20 * MINUTE).toISOString();
    expect(receiptPassDue(broadcast(checkedAt), ended + 40 * MINUTE - 1, GRACE_MS)).toBe(false);
    expect(receiptPassDue(broadcast(checkedAt), ended + 40 * MINUTE, GRACE_MS)).toBe(true);
  });

  it('at 24 hours after its end at the latest', () => {
    const checkedAt = new Date(ended + 1_280 * MINUTE).toISOString();
    expect(receiptPassDue(broadcast(checkedAt), ended + RECEIPT_HORIZON_MS - 1, GRACE_MS)).toBe(false);
    expect(receiptPassDue(broadcast(checkedAt), ended + RECEIPT_HORIZON_MS, GRACE_MS)).toBe(true);
  });

  it('never sooner than the grace after the last pass', () => {
    const checkedAt = new Date(ended + MINUTE).toISOString();
    expect(receiptPassDue(broadcast(checkedAt), ended + MINUTE + GRACE_MS - 1, GRACE_MS)).toBe(false);
    expect(receiptPassDue(broadcast(checkedAt), ended + MINUTE + GRACE_MS, GRACE_MS)).toBe(true);
  });
});

describe('a Twilio fetch in the function', () => {
  it('fits with the default provider timeout, not with one that leaves no room in 60 s', () => {
    expect(fetchFitsIn(60_000, 10_000)).toBe(true);
    expect(fetchFitsIn(60_000, 55_000)).toBe(false);
  });
});
