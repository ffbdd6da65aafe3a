import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import type { BroadcastSummary } from '#shared/api/broadcasts.ts';
import { deliveryConfig } from '#shared/config.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { Page } from '#shared/domain/page.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';
import { estimateCompletion } from '#shared/use-cases/estimate-completion.ts';
import { listIncidentBroadcasts } from '#shared/use-cases/list-incident-broadcasts.ts';

const deps = { incidents: new DynamoIncidentStore(), broadcasts: new DynamoBroadcastStore() };
const { smsPerSecond } = deliveryConfig();
const BroadcastsQuery = pageQuery(LIST_PAGE_SIZE);

/** GET /incidents/{id}/broadcasts?limit=&next=: newest first, each as GET /broadcasts/{id} shows it. */
export const handler = apiHandler(async ({ pathParameters, query }) => {
  const page = await listIncidentBroadcasts(pathParameters.id ?? '', BroadcastsQuery.parse(query), deps);
  return {
    status: 200,
    body: {
      ...page,
      items: page.items.map((broadcast) => ({
        ...broadcast,
        estimatedCompletion: estimateCompletion(broadcast, smsPerSecond),
      })),
    } satisfies Page<BroadcastSummary>,
  };
});
