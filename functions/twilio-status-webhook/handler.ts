import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { twilioAuthToken } from '#shared/clients/providers.ts';
import { webhookConfig } from '#shared/config.ts';
import { HttpProblemError } from '#shared/http/problem.ts';
import { twilioWebhook } from '#shared/http/twilio-webhook.ts';
import { logger } from '#shared/logger.ts';
import { recordDeliveryReceipt } from '#shared/use-cases/record-delivery-receipt.ts';

/** Statuses on the way to a final one: expected, and not worth a log line each. */
const TWILIO_PROGRESS = new Set(['accepted', 'scheduled', 'queued', 'sending', 'sent']);

const deps = { deliveries: new DynamoDeliveryStore(), broadcasts: new DynamoBroadcastStore() };
const settings = async () => ({
  authToken: await twilioAuthToken(),
  publicApiUrl: webhookConfig().HERALD_PUBLIC_API_URL,
});

/**
 * POST /webhooks/twilio/status: delivery receipts. The SMS worker names the delivery record in
 * the callback URL's query (`broadcastId`, `customerId`), which Twilio signs with the rest.
 * A signed receipt Herald cannot use (an unknown broadcast or record, a status it does not know)
 * is answered 200 all the same, so Twilio stops retrying it, and logged.
 */
export const handler = twilioWebhook(settings, async ({ params, query }) => {
  const { broadcastId, customerId } = query;
  if (!broadcastId || !customerId)
    throw new HttpProblemError(400, 'Bad Request', 'The callback URL names no delivery.');
  const status = params.MessageStatus ?? '';
  const outcome = await recordDeliveryReceipt(
    { broadcastId, channel: 'sms', recipientId: customerId },
    { status, providerId: params.MessageSid ?? '', errorCode: params.ErrorCode },
    deps,
  );
  if (outcome.startsWith('unknown-') || (outcome === 'not-final' && !TWILIO_PROGRESS.has(status)))
    logger.warn('Delivery receipt ignored', {
      broadcastId,
      customerId,
      outcome,
      status: status.slice(0, 40),
    });
  return undefined;
});
