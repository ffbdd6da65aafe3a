import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { facebookPoster } from '#shared/clients/providers.ts';
import { deliveryConfig } from '#shared/config.ts';
import { PublicPostMessage } from '#shared/domain/bus-messages.ts';
import { messageLanguage } from '#shared/domain/eligibility.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';
import { postPublic } from '#shared/use-cases/post-public.ts';

const config = deliveryConfig();
const broadcasts = new DynamoBroadcastStore();
const deps = {
  broadcasts,
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  deliveries: new DynamoDeliveryStore(),
  rate: new DynamoRateLimiter('facebook', rateFromPerSecond(config.facebookPerSecond)),
  cancellation: new CancellationWatch(broadcasts),
  providerTimeoutMs: config.providerTimeoutMs,
};

/** Facebook queue: one post per language. */
export const handler = sqsWorker(
  'post-to-facebook',
  PublicPostMessage,
  async ({ broadcastId, recipientId }, invocation) =>
    postPublic(
      'facebook',
      broadcastId,
      messageLanguage(recipientId),
      { ...deps, poster: await facebookPoster() },
      invocation,
    ),
);
