import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { cancelBroadcast } from '#shared/use-cases/cancel-broadcast.ts';

const deps = { broadcasts: new DynamoBroadcastStore(), audit: new DynamoAuditStore() };

/** POST /broadcasts/{id}/cancel: no further sends; 409 when it has already finished. */
export const handler = apiHandler(async ({ caller, pathParameters }) => ({
  status: 200,
  body: await cancelBroadcast(pathParameters.id ?? '', caller.user, deps),
}));
