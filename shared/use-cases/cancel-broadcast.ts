import { ConflictError, NotFoundError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { AuditStore, BroadcastStore } from '#shared/ports/stores.ts';
import { recordAudit } from './record-audit.ts';

/**
 * Stops a broadcast.
 * 1. moves it to cancelled, only from a state that still has work ahead (pending approval,
 *    queued, sending);
 * 2. workers check the status before every claim (a read at most half a second old), so no
 *    send starts later than that; the planner adds no record after it; what was already sent
 *    stays recorded as sent and what was not counts as not sent;
 * 3. records who cancelled it in the audit log.
 */
export async function cancelBroadcast(
  id: string,
  cancelledBy: string,
  deps: { broadcasts: BroadcastStore; audit: AuditStore },
): Promise<Broadcast> {
  const { broadcasts } = deps;
  const cancelled = await broadcasts.setStatus(id, 'cancelled', {
    cancelledAt: new Date().toISOString(),
    from: ['pending_approval', 'queued', 'sending'],
  });
  const broadcast = await broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  if (!cancelled) throw new ConflictError(`Broadcast '${id}' is already ${broadcast.status}.`);
  await recordAudit(deps.audit, {
    actor: cancelledBy,
    action: 'broadcast.cancelled',
    resource: { type: 'broadcast', id },
    details: { incidentId: broadcast.incidentId, counts: broadcast.counts },
  });
  return broadcast;
}
