import { ConflictError, NotFoundError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';

/**
 * Stops a broadcast.
 * 1. moves it to cancelled, only from a state that still has work ahead (pending approval,
 *    queued, sending);
 * 2. workers check the status before every send (at most a second old), so sending stops
 *    within seconds; what was already sent stays recorded as sent.
 */
export async function cancelBroadcast(id: string, broadcasts: BroadcastStore): Promise<Broadcast> {
  const cancelled = await broadcasts.setStatus(id, 'cancelled', {
    cancelledAt: new Date().toISOString(),
    from: ['pending_approval', 'queued', 'sending'],
  });
  const broadcast = await broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  if (!cancelled) throw new ConflictError(`Broadcast '${id}' is already ${broadcast.status}.`);
  return broadcast;
}
