import { NotFoundError } from '#shared/domain/errors.ts';
import type { Incident } from '#shared/domain/model.ts';
import type { AuditStore, Fanout, IncidentStore } from '#shared/ports/stores.ts';
import { recordAudit } from './record-audit.ts';

export interface ResolveIncidentDeps {
  incidents: IncidentStore;
  fanout: Fanout;
  audit: AuditStore;
}

/**
 * Closes an incident by hand (a `resolution` broadcast closes it too, when its status entry is
 * published).
 * 1. marks the incident resolved and records when; one resolved already keeps its first
 *    resolvedAt, so calling again is harmless; records `incident.resolved` when this call
 *    resolved it;
 * 2. asks the status worker to regenerate the public site and feeds, every time: a retry after
 *    a failed publish still gets the site updated.
 */
export async function resolveIncident(
  id: string,
  actor: string,
  deps: ResolveIncidentDeps,
): Promise<Incident> {
  const resolved = await deps.incidents.resolve(id, new Date().toISOString());
  if (!resolved) throw new NotFoundError('Incident', id);
  if (resolved.resolvedNow)
    await recordAudit(deps.audit, {
      actor,
      action: 'incident.resolved',
      resource: { type: 'incident', id },
      details: { resolvedAt: resolved.incident.resolvedAt },
    });
  await deps.fanout.publish('status', { incidentId: id });
  return resolved.incident;
}
