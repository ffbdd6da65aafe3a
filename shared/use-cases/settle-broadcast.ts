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
 * Whether a cancelled broadcast's sends have stopped: every lease a send could have held at the
 * cancel has run out, so only delivery receipts can still change its ledger.
 */
export function sendsHaveStopped(broadcast: Broadcast, nowMs: number, providerTimeoutMs: number): boolean {
  return nowMs >= Date.parse(broadcast.cancelledAt ?? broadcast.createdAt) + leaseMs(providerTimeoutMs);
}

/**
 * Whether no send of the broadcast can still change its counts (delivery receipts aside): it
 * ended (settled by the counts, which were then the ledger's), and if it was cancelled, its
 * counts were found equal to its ledger once its sends had stopped (the sweeper checks).
 */
export function countsAreFinal(broadcast: Broadcast): boolean {
  if (broadcast.status === 'cancelled') return broadcast.countsFinalAt !== undefined;
  return !['pending_approval', 'queued', 'sending'].includes(broadcast.status);
}

/**
 * Closes a broadcast when its last delivery settles. Called by the planner, the sweeper and the
 * stream consumer after each batch it counts; several callers racing to the same answer write
 * the same status.
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
