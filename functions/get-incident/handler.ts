import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const incidents = new DynamoIncidentStore();

/** GET /incidents/{id} */
export const handler = apiHandler(async ({ pathParameters }) => {
  const id = pathParameters.id ?? '';
  const incident = await incidents.get(id);
  if (!incident) throw new NotFoundError('Incident', id);
  return { status: 200, body: incident };
});
