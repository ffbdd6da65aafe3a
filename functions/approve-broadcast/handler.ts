import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { broadcastAccepted } from '#shared/api/broadcasts.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { approveBroadcast } from '#shared/use-cases/approve-broadcast.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  templates: new DynamoTemplateStore(),
  fanout: new SnsFanout(),
  audit: new DynamoAuditStore(),
};

/** POST /broadcasts/{id}/approve: 200, the broadcast is queued and goes to the planner. */
export const handler = apiHandler(async ({ caller, pathParameters }) => {
  const broadcast = await approveBroadcast(pathParameters.id ?? '', caller.user, deps);
  return { status: 200, body: broadcastAccepted(broadcast) };
});
