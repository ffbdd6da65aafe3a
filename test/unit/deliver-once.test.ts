import { describe, expect, it, vi } from 'vitest';
import { GaveUpError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { DeliveryKey } from '#shared/ports/stores.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';
import { type DeliveryAttempt, deliverOnce } from '#shared/use-cases/deliver-once.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import {
  FakeBroadcastStore,
  FakeDeliveryStore,
  FakeSmsProvider,
  fakeInvocation,
} from '#test/support/fakes.ts';

const key: DeliveryKey = { broadcastId: 'b1', channel: 'sms', recipientId: 'c1' };
const message = { to: '+358401234567', body: 'Your flight AY123 may be affected by a strike.' };
const timeout = () =>
  new TransientDeliveryError('Twilio request failed (ETIMEDOUT)', undefined, { mayHaveBeenAccepted: true });
const tooManyRequests = () => new TransientDeliveryError('Twilio unavailable (HTTP 429)', 0);

async function ledger() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1' });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany([queuedDelivery('b1', 'sms', 'c1')]);
  const provider = new FakeSmsProvider();
  const deps = {
    broadcasts,
    deliveries,
    providerTimeoutMs: 1_000,
    retryPolicy: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxWaitMs: 100 },
  };
  const attempt: DeliveryAttempt = {
    send: () => provider.send(message),
    findAccepted: (since) => provider.findSent({ ...message, since }),
  };
  const counts = async () => (await broadcasts.get('b1'))?.counts.sms;
  return { broadcasts, deliveries, provider, deps, attempt, counts };
}

describe('deliverOnce: leases and reconciliation', () => {
  it('sends a queued record once and records it sent with the provider id and the calls made', async () => {
    const { deliveries, provider, deps, attempt, counts } = await ledger();

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('sent');

    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)).toMatchObject({ status: 'sent', providerId: 'SM1', attempts: 1 });
    expect(deliveries.record(key)?.leaseOwner).toBeUndefined();
    expect(deliveries.record(key)?.uncertainSince).toBeUndefined();
    expect(await counts()).toMatchObject({ sent: 1, queued: 0, attempts: 1, duplicatesSuspected: 0 });
  });

  it('expired lease and the provider has the message: records it sent with that id and sends nothing', async () => {
    const { deliveries, provider, deps, attempt, counts } = await ledger();
    // A worker claimed it, the provider accepted its send, and the worker died before recording it.
    await deliveries.claim(key, { owner: 'dead-worker', expiresAt: Date.now() - 1 });
    await provider.send(message);

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('reconciled');

    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)).toMatchObject({ status: 'sent', providerId: 'SM1' });
    expect(await counts()).toMatchObject({ sent: 1, attempts: 0, duplicatesSuspected: 0 });
  });

  it('expired lease and the provider lacks the message: sends it exactly once', async () => {
    const { deliveries, provider, deps, attempt } = await ledger();
    await deliveries.claim(key, { owner: 'dead-worker', expiresAt: Date.now() - 1 });

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('sent');

    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)).toMatchObject({ status: 'sent', providerId: 'SM1', attempts: 2 });
  });

  it('live lease: leaves the record to its holder and sends nothing', async () => {
    const { deliveries, provider, deps, attempt } = await ledger();
    await deliveries.claim(key, { owner: 'live-worker', expiresAt: Date.now() + 60_000 });

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('skipped');

    expect(provider.accepted).toHaveLength(0);
    expect(deliveries.record(key)).toMatchObject({ status: 'sending', leaseOwner: 'live-worker' });
  });

  it('a timeout the provider accepted is not retried blind: queued uncertain, and the next attempt finds it', async () => {
    const { deliveries, provider, deps, attempt, counts } = await ledger();
    provider.willAnswer({ acceptThenThrow: timeout() });

    await expect(deliverOnce(key, attempt, deps, fakeInvocation())).rejects.toThrow(TransientDeliveryError);
    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)?.status).toBe('queued');
    expect(deliveries.record(key)?.uncertainSince).toBeDefined();

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('reconciled');
    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)).toMatchObject({ status: 'sent', providerId: 'SM1' });
    expect(await counts()).toMatchObject({ sent: 1, attempts: 1, duplicatesSuspected: 0 });
  });

  it('a timeout the provider did not accept: the next attempt asks, finds nothing and sends once', async () => {
    const { provider, deps, attempt, deliveries } = await ledger();
    provider.willAnswer({ throw: timeout() });

    await expect(deliverOnce(key, attempt, deps, fakeInvocation())).rejects.toThrow(TransientDeliveryError);
    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('sent');

    expect(provider.accepted).toHaveLength(1);
    expect(deliveries.record(key)?.uncertainSince).toBeUndefined();
  });

  it('retries what the provider refused for now (429) within the lease, and counts every call', async () => {
    const { provider, deps, attempt, counts } = await ledger();
    provider.willAnswer({ throw: tooManyRequests() }, { throw: tooManyRequests() });

    expect(await deliverOnce(key, attempt, deps, fakeInvocation())).toBe('sent');

    expect(provider.accepted).toHaveLength(1);
    expect(await counts()).toMatchObject({ sent: 1, attempts: 3 });
  });

  it('on the last receive a definite failure fails the record, but an uncertain one stays queued', async () => {
    const refused = await ledger();
    refused.provider.willAnswer(...Array.from({ length: 4 }, () => ({ throw: tooManyRequests() })));
    await expect(
      deliverOnce(key, refused.attempt, refused.deps, fakeInvocation({ lastChance: true })),
    ).rejects.toThrow();
    expect(refused.deliveries.record(key)?.status).toBe('failed');

    const uncertain = await ledger();
    uncertain.provider.willAnswer({ acceptThenThrow: timeout() });
    await expect(
      deliverOnce(key, uncertain.attempt, uncertain.deps, fakeInvocation({ lastChance: true })),
    ).rejects.toThrow();
    expect(uncertain.deliveries.record(key)?.status).toBe('queued');
    expect(await uncertain.counts()).toMatchObject({ failed: 0 });
  });

  it("on its batch's last receive a record still short of its own tries stays queued; it fails once it has had them", async () => {
    const { deliveries, provider, deps, attempt, counts } = await ledger();
    const refusedFourTimes = () => Array.from({ length: 4 }, () => ({ throw: tooManyRequests() }));
    // The batch came back twice for its other records; this record's first claim is on the last receive.
    const lastReceive = () => fakeInvocation({ lastChance: true, maxReceives: 3 });
    // The claim's answer says how many claims the record has had: no read of the record to decide.
    const reads = vi.spyOn(deliveries, 'get');

    for (const claims of [1, 2]) {
      provider.willAnswer(...refusedFourTimes());
      await expect(deliverOnce(key, attempt, deps, lastReceive())).rejects.toThrow(/429/);
      expect(deliveries.record(key)).toMatchObject({ status: 'queued', attempts: claims });
    }
    expect(await counts()).toMatchObject({ failed: 0 });

    provider.willAnswer(...refusedFourTimes());
    await expect(deliverOnce(key, attempt, deps, lastReceive())).rejects.toThrow(GaveUpError);
    expect(deliveries.record(key)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(deliveries.record(key)?.lastError).toMatch(/Gave up after retries/);
    expect(reads).not.toHaveBeenCalled();
  });

  it('on the last receive a record whose lease passed to another attempt is not given up: that attempt settles it', async () => {
    const { deliveries, provider, deps, attempt } = await ledger();
    provider.willAnswer(...Array.from({ length: 4 }, () => ({ throw: tooManyRequests() })));
    const outlived: DeliveryAttempt = {
      ...attempt,
      async send() {
        // The holder stalls past its lease and another invocation claims the record meanwhile.
        const record = deliveries.record(key);
        if (record) record.leaseOwner = 'another-invocation';
        return attempt.send();
      },
    };

    const given = deliverOnce(key, outlived, deps, fakeInvocation({ lastChance: true }));

    await expect(given).rejects.toThrow(/429/);
    await expect(given).rejects.not.toThrow(GaveUpError);
    expect(deliveries.record(key)).toMatchObject({ status: 'sending', leaseOwner: 'another-invocation' });
  });

  it('a send that outlived its lease while another attempt sent the record counts a suspected duplicate', async () => {
    const { deliveries, provider, deps, attempt, counts } = await ledger();
    const slowAttempt: DeliveryAttempt = {
      async send() {
        // The holder stalls past its lease; another invocation takes the record over and sends it.
        const record = deliveries.record(key);
        if (record) record.leaseExpiresAt = Date.now() - 1;
        await deliverOnce(key, attempt, deps, fakeInvocation());
        return provider.send(message);
      },
      findAccepted: attempt.findAccepted,
    };

    expect(await deliverOnce(key, slowAttempt, deps, fakeInvocation())).toBe('sent');

    expect(provider.perPhone().get(message.to)).toBe(2);
    expect(await counts()).toMatchObject({ sent: 1, duplicatesSuspected: 1 });
  });

  it('claims nothing once the broadcast is cancelled, or when the invocation has no time for a send', async () => {
    const { broadcasts, deliveries, provider, deps, attempt } = await ledger();

    expect(await deliverOnce(key, attempt, deps, fakeInvocation({ timeMs: 500 }))).toBe('out_of_time');
    await broadcasts.setStatus('b1', 'cancelled');
    const cancellation = new CancellationWatch(broadcasts);
    expect(await deliverOnce(key, attempt, { ...deps, cancellation }, fakeInvocation())).toBe('cancelled');

    expect(provider.accepted).toHaveLength(0);
    expect(deliveries.record(key)?.status).toBe('queued');
  });
});
