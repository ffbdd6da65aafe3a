import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { resolveIncident } from '#shared/use-cases/resolve-incident.ts';

const deps = { incidents: new DynamoIncidentStore(), fanout: new SnsFanout(), audit: new DynamoAuditStore() };

/** POST /incidents/{id}/resolve: 200 with the resolved incident; the status worker updates the site. */
export const handler = apiHandler(async ({ caller, pathParameters }) => {
  const incident = await resolveIncident(pathParameters.id ?? '', caller.user, deps);
  return { status: 200, body: incident };
});
