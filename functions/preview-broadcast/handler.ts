import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { BroadcastBody } from '#shared/api/broadcast-body.ts';
import { broadcastSmsRate, smsSendersConfig } from '#shared/config.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';

const deps = {
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  flights: new DynamoFlightCatalog(),
  bookings: new DynamoBookingIndex(),
  customers: new DynamoCustomerDirectory(),
  // The incident's previous posts, which the preview compares X and Facebook texts with.
  broadcasts: new DynamoBroadcastStore(),
  deliveries: new DynamoDeliveryStore(),
  // Dates the last SMS against the incident's notification deadline.
  smsPerSecond: broadcastSmsRate(),
  smsSenders: smsSendersConfig(),
};

/** POST /incidents/{id}/preview: who a broadcast would reach and what each channel would say; sends nothing. */
export const handler = apiHandler(async ({ body, pathParameters }) => ({
  status: 200,
  body: await previewBroadcast(pathParameters.id ?? '', BroadcastBody.parse(body ?? {}), deps),
}));
