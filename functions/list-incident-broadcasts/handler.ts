import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { deliveryConfig } from '#shared/config.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { estimateCompletion } from '#shared/use-cases/estimate-completion.ts';
import { listIncidentBroadcasts } from '#shared/use-cases/list-incident-broadcasts.ts';

const deps = { incidents: new DynamoIncidentStore(), broadcasts: new DynamoBroadcastStore() };
const { smsPerSecond } = deliveryConfig();

/** GET /incidents/{id}/broadcasts: newest first, each as GET /broadcasts/{id} shows it. */
export const handler = apiHandler(async ({ pathParameters }) => {
  const broadcasts = await listIncidentBroadcasts(pathParameters.id ?? '', deps);
  return {
    status: 200,
    body: {
      items: broadcasts.map((broadcast) => ({
        ...broadcast,
        estimatedCompletion: estimateCompletion(broadcast, smsPerSecond),
      })),
    },
  };
});
