import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
import { deliveryConfig } from '#shared/config.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { estimateCompletion } from '#shared/use-cases/estimate-completion.ts';
import { countsAreFinal } from '#shared/use-cases/settle-broadcast.ts';

const broadcasts = new DynamoBroadcastStore();
const { smsPerSecond } = deliveryConfig();

/**
 * GET /broadcasts/{id}: status, per-channel counts, when the last SMS should go, and whether the
 * counts can still change (a cancelled broadcast's sends in flight still finish, and the stream
 * still counts them).
 */
export const handler = apiHandler(
  async ({ pathParameters }): Promise<{ status: 200; body: BroadcastDetail }> => {
    const id = pathParameters.id ?? '';
    const broadcast = await broadcasts.get(id);
    if (!broadcast) throw new NotFoundError('Broadcast', id);
    return {
      status: 200,
      body: {
        ...broadcast,
        estimatedCompletion: estimateCompletion(broadcast, smsPerSecond),
        countsFinal: countsAreFinal(broadcast),
      },
    };
  },
);
