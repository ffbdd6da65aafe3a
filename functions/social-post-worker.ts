/**
 * The queue worker of a social channel (X, the Facebook Page): the stores, the channel's shared
 * rate and its poster, wired once for both handlers. The poster is asked for at each invocation,
 * so a rotated credential is read again once its cache ages out.
 */
import { deliveryStores } from '#functions/delivery-stores.ts';
import { workerNamed } from '#functions/manifest.ts';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { deliveryConfig } from '#shared/config.ts';
import { messageLanguage } from '#shared/domain/eligibility.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import type { SocialPoster } from '#shared/ports/providers.ts';
import { postPublic } from '#shared/use-cases/post-public.ts';

type SocialChannel = 'x' | 'facebook';

export function socialPostWorker(
  channel: SocialChannel,
  workerName: 'post-to-x' | 'post-to-facebook',
  poster: () => Promise<SocialPoster>,
  perSecond: (config: ReturnType<typeof deliveryConfig>) => number,
) {
  const config = deliveryConfig();
  const deps = {
    ...deliveryStores(),
    rate: new DynamoRateLimiter(channel, rateFromPerSecond(perSecond(config))),
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
