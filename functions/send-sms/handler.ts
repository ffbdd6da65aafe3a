import { deliveryStores } from '#functions/delivery-stores.ts';
import { SMS_SENDS_IN_FLIGHT, workerNamed } from '#functions/manifest.ts';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { smsRecipientDirectory } from '#shared/adapters/exercise-recipients.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { twilioSmsSender } from '#shared/clients/providers.ts';
import { smsFailover } from '#shared/clients/sms-failover.ts';
import { deliveryConfig, smsMaxReceivesConfig, smsSendersConfig } from '#shared/config.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { WARM_UP_ID, warmUpIfProvisioned } from '#shared/provisioned-warm-up.ts';
import { pacedSenders } from '#shared/use-cases/paced-senders.ts';
import { sendSmsBatch } from '#shared/use-cases/send-sms-batch.ts';

const config = deliveryConfig();
const deps = {
  ...deliveryStores(),
  customers: smsRecipientDirectory(),
  failover: smsFailover(),
  senderFor: pacedSenders(
    smsSendersConfig(),
    config.smsPerSecond,
    (key, perSecond) => new DynamoRateLimiter(key, rateFromPerSecond(perSecond)),
  ),
  statusCallbackUrl: config.statusCallbackUrl,
  fanout: new SnsFanout(),
  providerTimeoutMs: config.providerTimeoutMs,
  sendsInFlight: SMS_SENDS_IN_FLIGHT,
};

// A broadcast's first SMS then goes from a client that has made its first request, with the
// provider's credentials read.
await warmUpIfProvisioned(() => Promise.all([deps.broadcasts.get(WARM_UP_ID), twilioSmsSender()]));

const worker = workerNamed('send-sms');

/** SMS queue: one batch of recipients; a redelivered batch skips everyone already handled. */
export const handler = sqsWorker(
  { ...worker, maxReceiveCount: smsMaxReceivesConfig(worker.maxReceiveCount) },
  async ({ broadcastId, customerIds }, invocation) =>
    sendSmsBatch(broadcastId, customerIds, { ...deps, sms: await twilioSmsSender() }, invocation),
);
