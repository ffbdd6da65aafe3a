import type { ScheduledEvent } from 'aws-lambda';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoLeaseStore } from '#shared/adapters/dynamodb/lease-store.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { deliveryConfig } from '#shared/config.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { type SweepResult, sweepStalledBroadcasts } from '#shared/use-cases/sweep-stalled-broadcasts.ts';

const config = deliveryConfig();
const deps = {
  broadcasts: new DynamoBroadcastStore(),
  deliveries: new DynamoDeliveryStore(),
  fanout: new SnsFanout(),
  leases: new DynamoLeaseStore(),
  smsBatchSize: config.smsBatchSize,
  providerTimeoutMs: config.providerTimeoutMs,
};

/**
 * Every minute: publish again whatever a stalled broadcast lost; a sweep still running when the
 * next one starts keeps it out (a lease). An event whose detail names
 * `stalledBefore` sweeps everything older than that (the local stack does so after a restart,
 * when every in-memory queue is gone).
 */
export const handler = withLambdaDefaults<ScheduledEvent<{ stalledBefore?: string }>, SweepResult>().handler(
  (event, context) => {
    const stalledBefore = event.detail?.stalledBefore
      ? new Date(event.detail.stalledBefore)
      : new Date(Date.now() - config.sweepStallSeconds * 1000);
    return sweepStalledBroadcasts(stalledBefore, deps, {
      id: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
  },
);
