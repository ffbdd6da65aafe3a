import type { Delivery } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import type { BroadcastStore, DeliveryStore, Fanout } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface SweepDeps {
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  fanout: Fanout;
  smsBatchSize: number;
}

export interface SweepResult {
  stalled: number;
  replanned: number;
  requeued: number;
}

/**
 * Finds work the bus lost and puts it back: the ledger, not the queues, is the source of truth.
 * 1. lists the broadcasts still queued or sending (a sparse index, no scan);
 * 2. skips those that moved since `stalledBefore` — a paced broadcast moves at least once per
 *    send, so only a stuck one is touched;
 * 3. a broadcast never fully planned goes back to the planner (planning is idempotent);
 * 4. otherwise every record still queued is published again, and one left sending by a worker
 *    that died mid-send is first put back to queued — the one place a duplicate can arise
 *    (the provider may have accepted it before the worker died; see README);
 * 5. marks the broadcast as moved and settles it if nothing was left.
 * Re-publishing is harmless: a worker claims a record only while it is queued.
 */
export async function sweepStalledBroadcasts(stalledBefore: Date, deps: SweepDeps): Promise<SweepResult> {
  const result: SweepResult = { stalled: 0, replanned: 0, requeued: 0 };
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
  for await (const record of deps.deliveries.unsettled(broadcastId)) {
    if (record.status === 'sending') {
      const reset = await deps.deliveries.transition(record, 'queued', {
        from: ['sending'],
        lastError: 'Put back by the sweeper: the worker stopped mid-send',
      });
      if (!reset) continue;
    }
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
