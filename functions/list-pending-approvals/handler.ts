import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { listPendingApprovals } from '#shared/use-cases/list-pending-approvals.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
};

/** GET /approvals: broadcasts waiting for approval and submitted template versions, oldest first. */
export const handler = apiHandler(async () => ({ status: 200, body: await listPendingApprovals(deps) }));
