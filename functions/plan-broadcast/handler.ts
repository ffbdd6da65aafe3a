import { workerNamed } from '#functions/manifest.ts';
import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { deliveryConfig, exerciseConfig } from '#shared/config.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { duration, METRIC } from '#shared/metrics.ts';
import { WARM_UP_ID, warmUpIfProvisioned } from '#shared/provisioned-warm-up.ts';
import { planBroadcast } from '#shared/use-cases/plan-broadcast.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  flights: new DynamoFlightCatalog(),
  bookings: new DynamoBookingIndex(),
  customers: new DynamoCustomerDirectory(),
  deliveries: new DynamoDeliveryStore(),
  fanout: new SnsFanout(),
  smsBatchSize: deliveryConfig().smsBatchSize,
  exerciseNumbers: exerciseConfig().testNumbers,
};

// The first broadcast's planning then starts on a client that has made its first request.
await warmUpIfProvisioned(() => deps.broadcasts.get(WARM_UP_ID));

/**
 * Planner queue: resolves a broadcast's audience and fans the work out to the channel queues, a
 * chunk per invocation (a continuation message carries the rest on).
 */
export const handler = sqsWorker(workerNamed('plan-broadcast'), async (message, invocation) => {
  const started = performance.now();
  try {
    await planBroadcast(message, deps, invocation);
  } finally {
    duration(METRIC.plannerDuration, performance.now() - started);
  }
});
