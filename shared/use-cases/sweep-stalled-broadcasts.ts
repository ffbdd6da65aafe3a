import { COUNT_FIELDS } from '#shared/domain/channel-counts.ts';
import { isClaimable } from '#shared/domain/leases.ts';
import type { Broadcast, Delivery } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import { count, METRIC } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { BroadcastStore, DeliveryStore, Fanout, LeaseStore } from '#shared/ports/stores.ts';
import { jobLease } from './job-lease.ts';
import { sendsHaveStopped, settleBroadcast } from './settle-broadcast.ts';

export interface SweepDeps {
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  fanout: Fanout;
  leases: LeaseStore;
  smsBatchSize: number;
  /** The provider calls' timeout: a send's lease covers one call and a margin. */
  providerTimeoutMs: number;
}

export interface SweepResult {
  /** False when another sweep was running: this one did nothing. */
  swept: boolean;
  stalled: number;
  replanned: number;
  requeued: number;
  /** Cancelled broadcasts whose counts were found equal to their ledger, and so final. */
  countsFinal: number;
}

/** The lease that keeps sweeps from overlapping. */
const SWEEP_LEASE = 'sweep';

/**
 * Finds work the bus lost and puts it back: the ledger, not the queues, is the source of truth.
 * 1. takes the sweep's lease (short, renewed as it goes), so two sweeps never run at once;
 * 2. lists the broadcasts still queued or sending (a sparse index, no scan) and skips those that
 *    moved since `stalledBefore` — a paced broadcast moves at least once per send;
 * 3. a broadcast never fully planned goes back to the planner (planning is idempotent, and a
 *    rerun publishes only the records it creates);
 * 4. every record a claim could take is published again: still queued, or left sending
 *    by a holder whose lease ran out. A record whose lease is live is left alone: its holder is
 *    sending it. The sweeper writes no record: the next claim takes it over and, if an earlier
 *    attempt may have reached the provider, asks the provider before sending;
 * 5. marks the broadcast as moved and settles it if nothing was left;
 * 6. a cancelled broadcast whose sends have stopped gets its counts compared with its ledger:
 *    once the change stream has counted every write, they are equal and final.
 * Re-publishing is harmless: a record is sent only by the claim that takes it.
 */
export async function sweepStalledBroadcasts(
  stalledBefore: Date,
  deps: SweepDeps,
  invocation: Pick<Invocation, 'id' | 'remainingMs'>,
): Promise<SweepResult> {
  const result: SweepResult = { swept: false, stalled: 0, replanned: 0, requeued: 0, countsFinal: 0 };
  const lease = jobLease(deps.leases, SWEEP_LEASE, invocation);
  if (!(await lease.hold())) return result;
  result.swept = true;
  try {
    for await (const broadcast of deps.broadcasts.listActive()) {
      if (!(await lease.hold())) break;
      if (broadcast.status === 'cancelled') {
        if (await finalizeCounts(broadcast, deps)) result.countsFinal++;
        continue;
      }
      const lastMove =
        broadcast.lastActivityAt ?? broadcast.plannedAt ?? broadcast.startedAt ?? broadcast.createdAt;
      if (Date.parse(lastMove) >= stalledBefore.getTime()) continue;
      result.stalled++;
      if (!broadcast.plannedAt) {
        await deps.fanout.publish('planner', { broadcastId: broadcast.id });
        result.replanned++;
      }
      result.requeued += await requeue(broadcast.id, deps, lease.hold);
      await deps.broadcasts.setStatus(broadcast.id, broadcast.status, {
        lastActivityAt: new Date().toISOString(),
        from: [broadcast.status],
      });
      await settleBroadcast(broadcast.id, deps.broadcasts);
    }
  } finally {
    await lease.release();
  }
  if (result.stalled > 0 || result.countsFinal > 0) logger.info('Swept stalled broadcasts', { ...result });
  count(METRIC.stalledBroadcasts, result.stalled);
  return result;
}

/** Marks a cancelled broadcast's counts final when its sends have stopped and they equal its ledger. */
async function finalizeCounts(broadcast: Broadcast, deps: SweepDeps): Promise<boolean> {
  if (!sendsHaveStopped(broadcast, Date.now(), deps.providerTimeoutMs)) return false;
  const ledger = await deps.deliveries.tally(broadcast.id);
  const behind = broadcast.channels.some((channel) =>
    COUNT_FIELDS.some(
      (field) => (ledger[channel]?.[field] ?? 0) !== (broadcast.counts[channel]?.[field] ?? 0),
    ),
  );
  // The stream has not counted every write yet: the next sweep looks again.
  if (behind) return false;
  return deps.broadcasts.setStatus(broadcast.id, 'cancelled', {
    countsFinalAt: new Date().toISOString(),
    from: ['cancelled'],
  });
}

async function requeue(
  broadcastId: string,
  deps: SweepDeps,
  holdLease: () => Promise<boolean>,
): Promise<number> {
  let count = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length > 0) await deps.fanout.publish('sms', { broadcastId, customerIds: batch });
    batch = [];
  };
  const now = Date.now();
  for await (const record of deps.deliveries.unsettled(broadcastId)) {
    if (!(await holdLease())) break;
    if (!isClaimable(record, now)) continue;
    count++;
    await publish(record, deps, batch);
    if (batch.length >= deps.smsBatchSize) await flush();
  }
  await flush();
  return count;
}

async function publish(record: Delivery, deps: SweepDeps, smsBatch: string[]): Promise<void> {
  if (record.channel === 'sms') {
    smsBatch.push(record.recipientId);
  } else {
    await deps.fanout.publish(record.channel, {
      broadcastId: record.broadcastId,
      recipientId: record.recipientId,
    });
  }
}
