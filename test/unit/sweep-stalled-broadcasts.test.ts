import { describe, expect, it } from 'vitest';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { sweepStalledBroadcasts } from '#shared/use-cases/sweep-stalled-broadcasts.ts';
import { FakeBroadcastStore, FakeDeliveryStore, FakeFanout, FakeLeaseStore } from '#test/support/fakes.ts';

const key = (recipientId: string) => ({ broadcastId: 'b1', channel: 'sms' as const, recipientId });
const aMinuteAgo = () => new Date(Date.now() - 60_000).toISOString();

async function stalledBroadcast() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', plannedAt: aMinuteAgo(), lastActivityAt: aMinuteAgo() });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany(
    ['queued', 'dead', 'live', 'sent'].map((id) => queuedDelivery('b1', 'sms', id)),
  );
  await deliveries.claim(key('dead'), { owner: 'dead-worker', expiresAt: Date.now() - 1 });
  await deliveries.claim(key('live'), { owner: 'live-worker', expiresAt: Date.now() + 60_000 });
  await deliveries.transition(key('sent'), 'sent');
  const fanout = new FakeFanout();
  const leases = new FakeLeaseStore();
  const records = () => structuredClone([...deliveries.records.values()]);
  return {
    broadcasts,
    deliveries,
    fanout,
    leases,
    records,
    deps: { broadcasts, deliveries, fanout, leases, smsBatchSize: 10, providerTimeoutMs: 1_000 },
  };
}

const invocation = (id: string) => ({ id, remainingMs: () => 60_000 });
/** Everything that moved before now counts as stalled. */
const inAMoment = () => new Date(Date.now() + 1_000);

describe('sweepStalledBroadcasts', () => {
  it('publishes again the queued records and those whose lease ran out, leaves a live lease alone and writes no record', async () => {
    const { fanout, records, deps } = await stalledBroadcast();
    const before = records();

    const result = await sweepStalledBroadcasts(inAMoment(), deps, invocation('sweep-1'));

    expect(result).toEqual({ swept: true, stalled: 1, replanned: 0, requeued: 2, countsFinal: 0 });
    expect(fanout.published).toEqual([
      { target: 'sms', message: { broadcastId: 'b1', customerIds: ['queued', 'dead'] } },
    ]);
    expect(records()).toEqual(before);
  });

  it('does nothing while another sweep holds the lease, and gives the lease up when done', async () => {
    const { fanout, leases, deps } = await stalledBroadcast();
    await leases.acquire('sweep', { owner: 'sweep-1', expiresAt: Date.now() + 60_000 });

    expect(await sweepStalledBroadcasts(inAMoment(), deps, invocation('sweep-2'))).toMatchObject({
      swept: false,
    });
    expect(fanout.published).toEqual([]);

    await leases.release('sweep', 'sweep-1');
    expect(await sweepStalledBroadcasts(inAMoment(), deps, invocation('sweep-2'))).toMatchObject({
      swept: true,
    });
    expect(leases.leases.size).toBe(0);
  });

  it('sends an unplanned broadcast back to the planner and publishes the records it had written', async () => {
    const { broadcasts, deliveries, fanout, deps } = await stalledBroadcast();
    broadcasts.add({ id: 'b2', createdAt: aMinuteAgo(), status: 'sending' });
    // Planning died after writing this record: its SMS message died with it, and a rerun publishes only new ones.
    await deliveries.createMany([queuedDelivery('b2', 'sms', 'written')]);

    await sweepStalledBroadcasts(inAMoment(), deps, invocation('sweep-1'));

    expect(fanout.published).toContainEqual({ target: 'planner', message: { broadcastId: 'b2' } });
    expect(fanout.published).toContainEqual({
      target: 'sms',
      message: { broadcastId: 'b2', customerIds: ['written'] },
    });
  });

  it("marks a cancelled broadcast's counts final once its sends have stopped and the stream has counted every write", async () => {
    const { broadcasts, deliveries, deps } = await stalledBroadcast();
    const sweep = () => sweepStalledBroadcasts(inAMoment(), deps, invocation('sweep-1'));
    await broadcasts.setStatus('b1', 'cancelled', { cancelledAt: new Date().toISOString() });
    deliveries.stream.lagging = true;
    // A send in flight at the cancel records its outcome; its change is not counted yet.
    await deliveries.transition(key('live'), 'sent', { from: ['sending'], owner: 'live-worker', calls: 1 });

    expect((await sweep()).countsFinal).toBe(0);
    expect((await broadcasts.get('b1'))?.countsFinalAt).toBeUndefined();

    // Every lease a send could have held at the cancel has run out, but the stream still lags.
    await broadcasts.setStatus('b1', 'cancelled', { cancelledAt: aMinuteAgo() });
    expect((await sweep()).countsFinal).toBe(0);

    await deliveries.stream.flush();
    expect((await sweep()).countsFinal).toBe(1);
    const final = await broadcasts.get('b1');
    expect(final?.countsFinalAt).toBeDefined();
    expect(final?.counts.sms).toMatchObject({ recipients: 4, sent: 2, attempts: 1, notSent: 2 });
    for await (const listed of broadcasts.listActive()) expect.unreachable(`${listed.id} is still listed`);
  });
});
