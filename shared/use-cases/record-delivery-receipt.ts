import type { DeliveryStatus } from '#shared/domain/model.ts';
import type { BroadcastStore, CountField, DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

/** Twilio's final message statuses and what they mean for the ledger. */
const FINAL_STATUSES: Record<string, { to: DeliveryStatus; counter: CountField }> = {
  delivered: { to: 'delivered', counter: 'delivered' },
  undelivered: { to: 'undelivered', counter: 'failed' },
  failed: { to: 'undelivered', counter: 'failed' },
};

/**
 * Applies a delivery receipt (Twilio status callback) to the ledger.
 * 1. ignores intermediate statuses (queued, sending, sent);
 * 2. moves the record from sent to delivered or undelivered, moving the counters with it (one
 *    conditional write in the usual case);
 * 3. a receipt can overtake the worker's own "sent" write, or come for a record whose sender died
 *    or timed out before recording it (sending, or queued again as uncertain): the receipt proves
 *    the provider accepted it, so the record moves straight to its final status (a second
 *    conditional write), and a later "sent" or claim finds it settled and changes nothing;
 * 4. a repeated receipt finds the record settled and changes nothing (a read tells it from the
 *    worker writing "sent" between the two writes).
 */
export async function recordDeliveryReceipt(
  key: DeliveryKey,
  receipt: { status: string; providerId: string; errorCode?: string },
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<boolean> {
  const final = FINAL_STATUSES[receipt.status];
  if (!final) return false;
  const lastError = receipt.errorCode ? `Twilio error ${receipt.errorCode}` : undefined;
  const fromSent = () =>
    deps.deliveries.transition(key, final.to, {
      from: ['sent'],
      lastError,
      counts: { sent: -1, [final.counter]: 1 },
    });
  const fromUnsettled = () =>
    deps.deliveries.transition(key, final.to, {
      from: ['sending', 'queued'],
      providerId: receipt.providerId,
      lastError,
      counts: { [final.counter]: 1 },
    });
  // The usual case, in one conditional write: the worker recorded "sent" before the receipt came.
  if (await fromSent()) return true;
  if (!(await fromUnsettled())) {
    // Neither: the worker wrote "sent" between the two writes, or the record is settled already.
    const status = (await deps.deliveries.get(key.broadcastId, key.channel, key.recipientId))?.status;
    return status === 'sent' ? fromSent() : false;
  }
  // Only this path settles a record that was still to go, so only it can finish the broadcast.
  await settleBroadcast(key.broadcastId, deps.broadcasts);
  return true;
}
