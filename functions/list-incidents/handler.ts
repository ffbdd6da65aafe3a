import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';

const incidents = new DynamoIncidentStore();
const IncidentsQuery = pageQuery(LIST_PAGE_SIZE);

/** GET /incidents?limit=&next=: newest first, a page at a time, each without its scope. */
export const handler = apiHandler(async ({ query }) => ({
  status: 200,
  body: await incidents.summaries(IncidentsQuery.parse(query)),
}));
