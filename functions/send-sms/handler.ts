import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { twilioSmsSender } from '#shared/clients/providers.ts';
import { SmsBatchMessage } from '#shared/domain/bus-messages.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { sendSmsBatch } from '#shared/use-cases/send-sms-batch.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  customers: new DynamoCustomerDirectory(),
  deliveries: new DynamoDeliveryStore(),
  sms: await twilioSmsSender(),
};

/** SMS queue: one batch of recipients; transient failures make the whole message retry, sent ones are skipped. */
export const handler = sqsWorker(SmsBatchMessage, async ({ broadcastId, customerIds }) => {
  const { retry } = await sendSmsBatch(broadcastId, customerIds, deps);
  if (retry.length > 0) throw new Error(`${retry.length} of ${customerIds.length} SMS failed transiently`);
});
