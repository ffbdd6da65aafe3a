import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { twilioAuthToken } from '#shared/clients/providers.ts';
import { webhookConfig } from '#shared/config.ts';
import { HttpProblemError } from '#shared/http/problem.ts';
import { twilioWebhook } from '#shared/http/twilio-webhook.ts';
import { recordDeliveryReceipt } from '#shared/use-cases/record-delivery-receipt.ts';

const deps = { deliveries: new DynamoDeliveryStore(), broadcasts: new DynamoBroadcastStore() };
const settings = async () => ({
  authToken: await twilioAuthToken(),
  publicApiUrl: webhookConfig().HERALD_PUBLIC_API_URL,
});

/**
 * POST /webhooks/twilio/status: delivery receipts. The SMS worker names the delivery record in
 * the callback URL's query (`broadcastId`, `customerId`), which Twilio signs with the rest.
 */
export const handler = twilioWebhook(settings, async ({ params, query }) => {
  const { broadcastId, customerId } = query;
  if (!broadcastId || !customerId)
    throw new HttpProblemError(400, 'Bad Request', 'The callback URL names no delivery.');
  await recordDeliveryReceipt(
    { broadcastId, channel: 'sms', recipientId: customerId },
    { status: params.MessageStatus ?? '', providerId: params.MessageSid ?? '', errorCode: params.ErrorCode },
    deps,
  );
  return undefined;
});
