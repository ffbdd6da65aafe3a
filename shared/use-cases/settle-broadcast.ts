import { leaseMs } from '#shared/domain/leases.ts';
import type { Broadcast, BroadcastStatus } from '#shared/domain/model.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';

/** The final status once nothing is left queued, or undefined while work remains. */
export function settledStatus(broadcast: Broadcast): BroadcastStatus | undefined {
  if (!broadcast.plannedAt || broadcast.status !== 'sending') return undefined;
  const channels = Object.values(broadcast.counts);
  if (channels.some((counts) => counts.queued > 0)) return undefined;
  const failed = channels.reduce((sum, counts) => sum + counts.failed, 0);
  const reached = channels.reduce((sum, counts) => sum + counts.sent + counts.delivered, 0);
  if (failed === 0) return 'completed';
  return reached > 0 ? 'partial' : 'failed';
}

/**
 * Whether no send of the broadcast can still change its counts (delivery receipts aside): it
 * ended, and if it was cancelled, every lease a send could have held at the cancel has run out.
 */
export function countsAreFinal(broadcast: Broadcast, nowMs: number, providerTimeoutMs: number): boolean {
  if (broadcast.status === 'cancelled')
    return nowMs >= Date.parse(broadcast.cancelledAt ?? broadcast.createdAt) + leaseMs(providerTimeoutMs);
  return !['pending_approval', 'queued', 'sending'].includes(broadcast.status);
}

/**
 * Closes a broadcast when its last delivery settles. Called by the planner and after every
 * delivery; several callers racing to the same answer write the same status.
 */
export async function settleBroadcast(broadcastId: string, broadcasts: BroadcastStore): Promise<void> {
  const broadcast = await broadcasts.get(broadcastId);
  const status = broadcast && settledStatus(broadcast);
  if (status)
    await broadcasts.setStatus(broadcastId, status, {
      completedAt: new Date().toISOString(),
      from: ['sending'],
    });
}
