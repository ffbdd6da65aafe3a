/**
 * The queue worker of a social channel (X, the Facebook Page): the stores, the channel's shared
 * rate and its poster, wired once for both handlers. The poster is asked for at each invocation,
 * so a rotated credential is read again once its cache ages out.
 */
import { workerNamed } from '#functions/manifest.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { deliveryConfig } from '#shared/config.ts';
import { messageLanguage } from '#shared/domain/eligibility.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import type { SocialPoster } from '#shared/ports/providers.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';
import { postPublic } from '#shared/use-cases/post-public.ts';

type SocialChannel = 'x' | 'facebook';

export function socialPostWorker(
  channel: SocialChannel,
  workerName: 'post-to-x' | 'post-to-facebook',
  poster: () => Promise<SocialPoster>,
  perSecond: (config: ReturnType<typeof deliveryConfig>) => number,
) {
  const config = deliveryConfig();
  const broadcasts = new DynamoBroadcastStore();
  const deps = {
    broadcasts,
    incidents: new DynamoIncidentStore(),
    templates: new DynamoTemplateStore(),
    deliveries: new DynamoDeliveryStore(),
    rate: new DynamoRateLimiter(channel, rateFromPerSecond(perSecond(config))),
    cancellation: new CancellationWatch(broadcasts),
    providerTimeoutMs: config.providerTimeoutMs,
  };
  return sqsWorker(workerNamed(workerName), async ({ broadcastId, recipientId }, invocation) =>
    postPublic(
      channel,
      broadcastId,
      messageLanguage(recipientId),
      { ...deps, poster: await poster() },
      invocation,
    ),
  );
}
