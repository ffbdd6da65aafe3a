import { SMS_SENDS_IN_FLIGHT, workerNamed } from '#functions/manifest.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { smsRecipientDirectory } from '#shared/adapters/exercise-recipients.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { twilioSmsSender } from '#shared/clients/providers.ts';
import { smsFailover } from '#shared/clients/sms-failover.ts';
import { deliveryConfig, smsSendersConfig } from '#shared/config.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';
import { pacedSenders } from '#shared/use-cases/paced-senders.ts';
import { sendSmsBatch } from '#shared/use-cases/send-sms-batch.ts';

const config = deliveryConfig();
const broadcasts = new DynamoBroadcastStore();
const deps = {
  broadcasts,
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  customers: smsRecipientDirectory(),
  deliveries: new DynamoDeliveryStore(),
  failover: smsFailover(),
  senderFor: pacedSenders(
    smsSendersConfig(),
    config.smsPerSecond,
    (key, perSecond) => new DynamoRateLimiter(key, rateFromPerSecond(perSecond)),
  ),
  statusCallbackUrl: config.statusCallbackUrl,
  cancellation: new CancellationWatch(broadcasts),
  fanout: new SnsFanout(),
  providerTimeoutMs: config.providerTimeoutMs,
  sendsInFlight: SMS_SENDS_IN_FLIGHT,
};

/** SMS queue: one batch of recipients; a redelivered batch skips everyone already handled. */
export const handler = sqsWorker(workerNamed('send-sms'), async ({ broadcastId, customerIds }, invocation) =>
  sendSmsBatch(broadcastId, customerIds, { ...deps, sms: await twilioSmsSender() }, invocation),
);
