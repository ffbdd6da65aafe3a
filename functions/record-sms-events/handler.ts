import { SMS_EVENTS_CONSUMER } from '#functions/manifest.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { logger } from '#shared/logger.ts';
import { queueWorker } from '#shared/messaging/sqs-worker.ts';
import { recordSmsEvent, SmsEvent } from '#shared/use-cases/record-sms-event.ts';

const deps = { deliveries: new DynamoDeliveryStore(), broadcasts: new DynamoBroadcastStore() };

/**
 * The fallback SMS provider's delivery events (AWS End User Messaging SMS → its configuration
 * set's SNS topic → this queue, raw message delivery): each applied to the delivery ledger. An
 * event Herald cannot use (no context, an unknown record) is logged and dropped; a record still
 * being sent fails the message, which the queue brings back later.
 */
export const handler = queueWorker(SMS_EVENTS_CONSUMER, SmsEvent, async (event) => {
  const outcome = await recordSmsEvent(event, deps);
  if (outcome === 'no-record' || outcome.startsWith('unknown-'))
    logger.warn('SMS event ignored', { outcome, eventType: event.eventType.slice(0, 40) });
});
