import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const incidents = new DynamoIncidentStore();

/** GET /incidents: newest first. */
export const handler = apiHandler(async () => ({ status: 200, body: { items: await incidents.list(100) } }));
