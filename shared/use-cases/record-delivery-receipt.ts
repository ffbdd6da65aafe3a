import { BroadcastClosedError } from '#shared/domain/errors.ts';
import type { DeliveryStatus } from '#shared/domain/model.ts';
import type { BroadcastStore, CountField, DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

/**
 * Twilio's final message statuses and what they mean for the ledger. A Map, not an object: a
 * status of `__proto__` or `constructor` must find nothing.
 */
const FINAL_STATUSES = new Map<string, { to: DeliveryStatus; counter: CountField }>([
  ['delivered', { to: 'delivered', counter: 'delivered' }],
  ['undelivered', { to: 'undelivered', counter: 'failed' }],
  ['failed', { to: 'undelivered', counter: 'failed' }],
]);

/**
 * What a receipt did: `applied` moved the record; `not-final` was an intermediate (or unknown)
 * status; `settled` found the record settled already (a repeated receipt); `unknown-record` and
 * `unknown-broadcast` named a record or a broadcast that does not exist. Only `applied` changed
 * anything.
 */
export type ReceiptOutcome = 'applied' | 'not-final' | 'settled' | 'unknown-record' | 'unknown-broadcast';

/** A ledger transaction shared with another broadcast's unknown receipt fails with it: tried again. */
const SHARED_FAILURE_RETRIES = 2;

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
 *    worker writing "sent" between the two writes);
 * 5. a receipt for a record that does not exist changes nothing; for a broadcast that does not
 *    exist the ledger refuses the move (BroadcastClosedError), and the receipt is dropped too.
 */
export async function recordDeliveryReceipt(
  key: DeliveryKey,
  receipt: { status: string; providerId: string; errorCode?: string },
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<ReceiptOutcome> {
  const final = FINAL_STATUSES.get(receipt.status);
  if (!final) return 'not-final';
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyReceipt(key, receipt, final, deps);
    } catch (error) {
      if (!(error instanceof BroadcastClosedError)) throw error;
      if (!(await deps.broadcasts.get(key.broadcastId))) return 'unknown-broadcast';
      // The broadcast exists: the move shared its transaction with one for a broadcast that does not.
      if (attempt >= SHARED_FAILURE_RETRIES) throw error;
    }
  }
}

async function applyReceipt(
  key: DeliveryKey,
  receipt: { status: string; providerId: string; errorCode?: string },
  final: { to: DeliveryStatus; counter: CountField },
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<Exclude<ReceiptOutcome, 'not-final' | 'unknown-broadcast'>> {
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
  if (await fromSent()) return 'applied';
  if (!(await fromUnsettled())) {
    // Neither: the worker wrote "sent" between the two writes, the record is settled already, or there is none.
    const record = await deps.deliveries.get(key.broadcastId, key.channel, key.recipientId);
    if (!record) return 'unknown-record';
    return record.status === 'sent' && (await fromSent()) ? 'applied' : 'settled';
  }
  // Only this path settles a record that was still to go, so only it can finish the broadcast.
  await settleBroadcast(key.broadcastId, deps.broadcasts);
  return 'applied';
}
