import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { reviewBroadcast } from '#shared/use-cases/review-broadcast.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
};

/**
 * GET /broadcasts/{id}/review: every text the broadcast sends per channel and language, the
 * operator's free text marked, its audience counted when requested, who requested and approved it.
 */
export const handler = apiHandler(async ({ pathParameters }) => ({
  status: 200,
  body: await reviewBroadcast(pathParameters.id ?? '', deps),
}));
