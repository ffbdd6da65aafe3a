import type { DeliveryStatus } from '#shared/domain/model.ts';
import type { SmsProvider } from '#shared/domain/sms-routing.ts';
import type { BroadcastStore, DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';

/** How `lastError` names the provider whose receipt failed the record. */
const PROVIDER_NAMES: Record<SmsProvider, string> = { twilio: 'Twilio', 'aws-sms': 'AWS SMS' };

/**
 * Twilio's final message statuses and the ledger status each moves a record to. A Map, not an
 * object: a status of `__proto__` or `constructor` must find nothing.
 */
const FINAL_STATUSES = new Map<string, DeliveryStatus>([
  ['delivered', 'delivered'],
  ['undelivered', 'undelivered'],
  ['failed', 'undelivered'],
]);

/**
 * What a receipt did: `applied` moved the record; `not-final` was an intermediate (or unknown)
 * status; `settled` found the record settled already (a repeated receipt); `unknown-record` and
 * `unknown-broadcast` named a record or a broadcast that does not exist. Only `applied` changed
 * anything.
 */
export type ReceiptOutcome = 'applied' | 'not-final' | 'settled' | 'unknown-record' | 'unknown-broadcast';

/**
 * Applies a delivery receipt (a Twilio status callback, or an AWS SMS event mapped to Twilio's
 * statuses by record-sms-event.ts) to the ledger, one record's conditional
 * writes only (the change stream counts the move and settles the broadcast):
 * 1. ignores intermediate statuses (queued, sending, sent);
 * 2. moves the record from sent to delivered or undelivered (one conditional write in the usual
 *    case);
 * 3. a receipt can overtake the worker's own "sent" write, or come for a record whose sender died
 *    or timed out before recording it (sending, or queued again as uncertain): the receipt proves
 *    the provider accepted it, so the record moves straight to its final status (a second
 *    conditional write), and a later "sent" or claim finds it settled and changes nothing;
 * 4. a repeated receipt finds the record settled and changes nothing (a read tells it from the
 *    worker writing "sent" between the two writes);
 * 5. a receipt for a record or a broadcast that does not exist changes nothing.
 */
export async function recordDeliveryReceipt(
  key: DeliveryKey,
  receipt: { status: string; providerId: string; errorCode?: string; provider?: SmsProvider },
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<ReceiptOutcome> {
  const to = FINAL_STATUSES.get(receipt.status);
  if (!to) return 'not-final';
  const { provider = 'twilio' } = receipt;
  const lastError = receipt.errorCode ? `${PROVIDER_NAMES[provider]} error ${receipt.errorCode}` : undefined;
  const fromSent = () => deps.deliveries.transition(key, to, { from: ['sent'], lastError });
  // The usual case, in one conditional write: the worker recorded "sent" before the receipt came.
  if (await fromSent()) return 'applied';
  const fromUnsettled = await deps.deliveries.transition(key, to, {
    from: ['sending', 'queued'],
    providerId: receipt.providerId,
    provider,
    lastError,
  });
  if (fromUnsettled) return 'applied';
  // Neither: the worker wrote "sent" between the two writes, the record is settled already, or there is none.
  const record = await deps.deliveries.get(key.broadcastId, key.channel, key.recipientId);
  if (!record) return (await deps.broadcasts.get(key.broadcastId)) ? 'unknown-record' : 'unknown-broadcast';
  return record.status === 'sent' && (await fromSent()) ? 'applied' : 'settled';
}
