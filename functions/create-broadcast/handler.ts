import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { snsApproverNotices } from '#shared/adapters/sns-approval-notifier.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { BroadcastBody } from '#shared/api/broadcast-body.ts';
import { broadcastAccepted } from '#shared/api/broadcasts.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { createBroadcast } from '#shared/use-cases/create-broadcast.ts';

const deps = {
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  broadcasts: new DynamoBroadcastStore(),
  fanout: new SnsFanout(),
  audit: new DynamoAuditStore(),
  // A broadcast that waits for approval counts its audience and tells the comms leads.
  flights: new DynamoFlightCatalog(),
  bookings: new DynamoBookingIndex(),
  customers: new DynamoCustomerDirectory(),
  approvers: snsApproverNotices(),
};

/** POST /incidents/{id}/broadcasts: 202, the work continues in the planner. */
export const handler = apiHandler(async ({ body, caller, pathParameters, headers }) => {
  const broadcast = await createBroadcast(
    pathParameters.id ?? '',
    BroadcastBody.parse(body ?? {}),
    caller.user,
    deps,
    headers['idempotency-key'],
  );
  return { status: 202, body: broadcastAccepted(broadcast) };
});
