import { PermanentDeliveryError } from '#shared/domain/errors.ts';
import type { Channel } from '#shared/domain/model.ts';
import type { BroadcastStore, DeliveryStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

type DeliveryKey = { broadcastId: string; channel: Channel; recipientId: string };

/**
 * Runs one send for a queued delivery record and records what happened, so every worker
 * follows the same ledger rules:
 * 1. claims the record (queued → sending); a record in any other state was handled already;
 * 2. sends; success → sent with the provider id;
 * 3. a permanent refusal → failed (or opted_out) with the reason, never retried;
 * 4. anything else → back to queued and rethrown, so the message is redelivered and retried.
 */
export async function sendOnce(
  key: DeliveryKey,
  send: () => Promise<{ providerId: string }>,
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<void> {
  const claimed = await deps.deliveries.transition(key, 'sending', { from: ['queued'] });
  if (!claimed) return;
  try {
    const { providerId } = await send();
    await deps.deliveries.transition(key, 'sent', { providerId });
    await deps.broadcasts.addCounts(key.broadcastId, key.channel, { queued: -1, sent: 1 });
  } catch (error) {
    if (!(error instanceof PermanentDeliveryError)) {
      await deps.deliveries.transition(key, 'queued', {
        lastError: error instanceof Error ? error.message : 'unknown error',
      });
      throw error;
    }
    const optedOut = error.code === 'opted_out';
    await deps.deliveries.transition(key, optedOut ? 'opted_out' : 'failed', { lastError: error.message });
    await deps.broadcasts.addCounts(
      key.broadcastId,
      key.channel,
      optedOut ? { queued: -1, optedOut: 1 } : { queued: -1, failed: 1 },
    );
  }
  await settleBroadcast(key.broadcastId, deps.broadcasts);
}
