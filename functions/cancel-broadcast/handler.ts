import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { cancelBroadcast } from '#shared/use-cases/cancel-broadcast.ts';

const broadcasts = new DynamoBroadcastStore();

/** POST /broadcasts/{id}/cancel: no further sends; 409 when it has already finished. */
export const handler = apiHandler(async ({ pathParameters }) => ({
  status: 200,
  body: await cancelBroadcast(pathParameters.id ?? '', broadcasts),
}));
