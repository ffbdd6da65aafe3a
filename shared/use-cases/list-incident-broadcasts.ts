import { NotFoundError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore, IncidentStore } from '#shared/ports/stores.ts';

export interface ListIncidentBroadcastsDeps {
  incidents: IncidentStore;
  broadcasts: BroadcastStore;
}

/** The most broadcasts one answer lists; an incident has a handful (initial, updates, resolution). */
export const MAX_INCIDENT_BROADCASTS = 100;

/**
 * An incident's broadcasts, newest first, with their live counts.
 * 1. checks the incident exists (404 otherwise, rather than an empty list for a typo);
 * 2. reads the links in the incident's partition (one Query) and the broadcasts they name
 *    (BatchGetItem).
 */
export async function listIncidentBroadcasts(
  incidentId: string,
  deps: ListIncidentBroadcastsDeps,
): Promise<Broadcast[]> {
  if (!(await deps.incidents.get(incidentId))) throw new NotFoundError('Incident', incidentId);
  return deps.broadcasts.listByIncident(incidentId, MAX_INCIDENT_BROADCASTS);
}
