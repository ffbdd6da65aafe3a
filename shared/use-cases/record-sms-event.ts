/**
 * The fallback provider's delivery events (AWS End User Messaging SMS, through its configuration
 * set's SNS topic) applied to the same ledger as Twilio's status callbacks. The SMS worker puts
 * the record's broadcast and customer in the message's `context`, which every event echoes.
 */
import { z } from 'zod';
import type { BroadcastStore, DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';
import { type ReceiptOutcome, recordDeliveryReceipt } from './record-delivery-receipt.ts';

/** The fields of an SMS event Herald reads; the rest (prices, carrier, mcc…) is ignored. */
export const SmsEvent = z.object({
  eventType: z.string(),
  isFinal: z.boolean(),
  messageId: z.string().min(1),
  messageStatus: z.string().optional(),
  context: z
    .object({ broadcastId: z.string().min(1), customerId: z.string().min(1) })
    .partial()
    .optional(),
});
export type SmsEvent = z.infer<typeof SmsEvent>;

/** Events that say the service took the message, before any carrier answer. */
const ACCEPTED = new Set(['TEXT_PENDING', 'TEXT_QUEUED', 'TEXT_SUCCESSFUL']);
/** Final events that reached the phone (TEXT_SUCCESSFUL is final where the carrier sends no receipt). */
const DELIVERED = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);

/** What an event did: a receipt's outcome, `accepted` (a lost answer reconciled), or `no-record` (no context: not Herald's). */
export type SmsEventOutcome = ReceiptOutcome | 'accepted' | 'no-record';

/**
 * 1. an event without Herald's context changes nothing;
 * 2. a final event moves the record to delivered or undelivered as a Twilio receipt would
 *    (recordDeliveryReceipt: from sent, or straight from sending or queued);
 * 3. an acceptance event moves a queued record to sent with the message id: the worker's answer
 *    was lost (a timeout) and the record waits for this event, since the service has no list of
 *    what it accepted. A record still sending is left to its holder: the event fails
 *    (RecordInFlightError) and the queue brings it back once that send has been recorded or its
 *    lease has run out.
 */
export async function recordSmsEvent(
  event: SmsEvent,
  deps: { deliveries: DeliveryStore; broadcasts: BroadcastStore },
): Promise<SmsEventOutcome> {
  const { broadcastId, customerId } = event.context ?? {};
  if (!broadcastId || !customerId) return 'no-record';
  const key: DeliveryKey = { broadcastId, channel: 'sms', recipientId: customerId };
  if (event.isFinal) {
    const status = DELIVERED.has(event.eventType) ? 'delivered' : 'undelivered';
    return recordDeliveryReceipt(
      key,
      {
        status,
        providerId: event.messageId,
        provider: 'aws-sms',
        ...(status === 'undelivered' ? { errorCode: event.eventType } : {}),
      },
      deps,
    );
  }
  if (!ACCEPTED.has(event.eventType)) return 'not-final';
  const moved = await deps.deliveries.transition(key, 'sent', {
    from: ['queued'],
    providerId: event.messageId,
    provider: 'aws-sms',
  });
  if (moved) return 'accepted';
  const record = await deps.deliveries.get(broadcastId, 'sms', customerId);
  if (!record) return (await deps.broadcasts.get(broadcastId)) ? 'unknown-record' : 'unknown-broadcast';
  if (record.status === 'sending') throw new RecordInFlightError();
  return 'settled';
}

/**
 * The record is being sent: its holder will record the answer with the text's hash, or its lease
 * runs out and the record is reconciled. The event comes back later (the queue's retry) to find out.
 */
export class RecordInFlightError extends Error {
  override readonly name = 'RecordInFlightError';
  constructor() {
    super('The record is being sent: the event is tried again later');
  }
}
