import type { Broadcast } from '#shared/domain/model.ts';

/**
 * When the last SMS should go, from what is left and the configured rate: SMS dominates, every
 * public channel is a handful of posts. Undefined once nothing is left or the broadcast has ended.
 */
export function estimateCompletion(
  broadcast: Broadcast,
  smsPerSecond: number,
  now = Date.now(),
): string | undefined {
  if (broadcast.status !== 'queued' && broadcast.status !== 'sending') return undefined;
  const left = broadcast.counts.sms?.queued ?? 0;
  return new Date(now + Math.ceil((left / smsPerSecond) * 1000)).toISOString();
}
