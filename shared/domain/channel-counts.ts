/** A broadcast's per-channel counts: the stored counters, and what is derived from them on read. */
import type { BroadcastStatus, ChannelCounts } from './model.ts';

export function emptyCounts(): ChannelCounts {
  return {
    recipients: 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    optedOut: 0,
    notSent: 0,
    attempts: 0,
    duplicatesSuspected: 0,
  };
}

/**
 * Fills in the derived counts: what is left of the recipients after those sent, delivered,
 * failed or opted out is still `queued`, or, once the broadcast is cancelled, `notSent`.
 */
export function deriveCounts(counts: ChannelCounts, status: BroadcastStatus): void {
  const left = counts.recipients - counts.sent - counts.delivered - counts.failed - counts.optedOut;
  counts.queued = status === 'cancelled' ? 0 : left;
  counts.notSent = status === 'cancelled' ? left : 0;
}
