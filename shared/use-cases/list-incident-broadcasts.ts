import { NotFoundError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore, IncidentStore, Page, PageRequest } from '#shared/ports/stores.ts';

export interface ListIncidentBroadcastsDeps {
  incidents: IncidentStore;
  broadcasts: BroadcastStore;
}

/**
 * An incident's broadcasts, newest first, a page at a time, with their live counts.
 * 1. checks the incident exists (404 otherwise, rather than an empty list for a typo);
 * 2. reads a page of links in the incident's partition (one Query) and the broadcasts they
 *    name (BatchGetItem, which takes up to 100 keys: the largest page).
 */
export async function listIncidentBroadcasts(
  incidentId: string,
  page: PageRequest,
  deps: ListIncidentBroadcastsDeps,
): Promise<Page<Broadcast>> {
  if (!(await deps.incidents.get(incidentId))) throw new NotFoundError('Incident', incidentId);
  return deps.broadcasts.listByIncident(incidentId, page);
}
