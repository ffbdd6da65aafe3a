import { isClaimable } from '#shared/domain/leases.ts';
import type { Delivery } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { BroadcastStore, DeliveryStore, Fanout, LeaseStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface SweepDeps {
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  fanout: Fanout;
  leases: LeaseStore;
  smsBatchSize: number;
}

export interface SweepResult {
  /** False when another sweep was running: this one did nothing. */
  swept: boolean;
  stalled: number;
  replanned: number;
  requeued: number;
}

/** The lease that keeps sweeps from overlapping. */
const SWEEP_LEASE = 'sweep';

/**
 * Finds work the bus lost and puts it back: the ledger, not the queues, is the source of truth.
 * 1. takes the sweep's lease for the invocation's time, so two sweeps never run at once;
 * 2. lists the broadcasts still queued or sending (a sparse index, no scan) and skips those that
 *    moved since `stalledBefore` — a paced broadcast moves at least once per send;
 * 3. a broadcast never fully planned goes back to the planner (planning is idempotent);
 * 4. otherwise every record a claim could take is published again: still queued, or left sending
 *    by a holder whose lease ran out. A record whose lease is live is left alone: its holder is
 *    sending it. The sweeper writes no record: the next claim takes it over and, if an earlier
 *    attempt may have reached the provider, asks the provider before sending;
 * 5. marks the broadcast as moved and settles it if nothing was left.
 * Re-publishing is harmless: a record is sent only by the claim that takes it.
 */
export async function sweepStalledBroadcasts(
  stalledBefore: Date,
  deps: SweepDeps,
  invocation: Pick<Invocation, 'id' | 'remainingMs'>,
): Promise<SweepResult> {
  const result: SweepResult = { swept: false, stalled: 0, replanned: 0, requeued: 0 };
  const lease = { owner: invocation.id, expiresAt: Date.now() + invocation.remainingMs() };
  if (!(await deps.leases.acquire(SWEEP_LEASE, lease))) return result;
  result.swept = true;
  try {
    for await (const broadcast of deps.broadcasts.listActive()) {
      const lastMove =
        broadcast.lastActivityAt ?? broadcast.plannedAt ?? broadcast.startedAt ?? broadcast.createdAt;
      if (Date.parse(lastMove) >= stalledBefore.getTime()) continue;
      result.stalled++;
      if (!broadcast.plannedAt) {
        await deps.fanout.publish('planner', { broadcastId: broadcast.id });
        result.replanned++;
      } else {
        result.requeued += await requeue(broadcast.id, deps);
      }
      await deps.broadcasts.setStatus(broadcast.id, broadcast.status, {
        lastActivityAt: new Date().toISOString(),
        from: [broadcast.status],
      });
      await settleBroadcast(broadcast.id, deps.broadcasts);
    }
  } finally {
    await deps.leases.release(SWEEP_LEASE, lease.owner);
  }
  if (result.stalled > 0) logger.info('Swept stalled broadcasts', { ...result });
  return result;
}

async function requeue(broadcastId: string, deps: SweepDeps): Promise<number> {
  let count = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length > 0) await deps.fanout.publish('sms', { broadcastId, customerIds: batch });
    batch = [];
  };
  const now = Date.now();
  for await (const record of deps.deliveries.unsettled(broadcastId)) {
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
