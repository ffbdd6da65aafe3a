import { z } from 'zod';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { smsRecipientDirectory } from '#shared/adapters/exercise-recipients.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import { CHANNELS, DELIVERY_STATUSES } from '#shared/domain/model.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';
import { listDeliveries } from '#shared/use-cases/list-deliveries.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  deliveries: new DynamoDeliveryStore(),
  customers: smsRecipientDirectory(),
  // The incident's notification deadline, against which each SMS is said in time or late.
  incidents: new DynamoIncidentStore(),
};

const DeliveriesQuery = pageQuery(LIST_PAGE_SIZE).extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
});

/**
 * GET /broadcasts/{id}/deliveries?status=&channel=&limit=&next=: the broadcast's records, phone
 * numbers masked, each problem with its code and reason, each SMS in time for the deadline or not.
 */
export const handler = apiHandler(async ({ pathParameters, query }) => ({
  status: 200,
  body: await listDeliveries(pathParameters.id ?? '', DeliveriesQuery.parse(query), deps),
}));
