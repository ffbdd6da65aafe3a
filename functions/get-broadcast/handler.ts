import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const broadcasts = new DynamoBroadcastStore();

/** GET /broadcasts/{id}: status and per-channel counts. */
export const handler = apiHandler(async ({ pathParameters }) => {
  const id = pathParameters.id ?? '';
  const broadcast = await broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  return { status: 200, body: broadcast };
});
