import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { deliveryConfig } from '#shared/config.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { estimateCompletion } from '#shared/use-cases/estimate-completion.ts';

const broadcasts = new DynamoBroadcastStore();
const { smsPerSecond } = deliveryConfig();

/** GET /broadcasts/{id}: status, per-channel counts and when the last SMS should go. */
export const handler = apiHandler(async ({ pathParameters }) => {
  const id = pathParameters.id ?? '';
  const broadcast = await broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  return {
    status: 200,
    body: { ...broadcast, estimatedCompletion: estimateCompletion(broadcast, smsPerSecond) },
  };
});
