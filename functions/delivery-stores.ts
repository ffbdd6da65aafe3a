/**
 * The stores every delivery worker (SMS, X, Facebook) reads a broadcast and records its deliveries
 * through, and the watch that stops the worker once the broadcast is cancelled.
 */
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';

export function deliveryStores() {
  const broadcasts = new DynamoBroadcastStore();
  return {
    broadcasts,
    incidents: new DynamoIncidentStore(),
    templates: new DynamoTemplateStore(),
    deliveries: new DynamoDeliveryStore(),
    cancellation: new CancellationWatch(broadcasts),
  };
}
