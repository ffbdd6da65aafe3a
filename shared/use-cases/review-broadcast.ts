import { type BroadcastReview, broadcastReview } from '#shared/domain/broadcast-review.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import type { BroadcastStore, IncidentStore, TemplateStore } from '#shared/ports/stores.ts';
import { findTemplate } from './find-template.ts';

export interface ReviewBroadcastDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
}

/**
 * What a broadcast says and whom it reaches, for the comms lead who approves it.
 * 1. the broadcast must exist (404);
 * 2. loads its incident and template version;
 * 3. renders every text it sends per channel and language, free text marked (broadcastReview).
 */
export async function reviewBroadcast(id: string, deps: ReviewBroadcastDeps): Promise<BroadcastReview> {
  const broadcast = await deps.broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  const [incident, template] = await Promise.all([
    deps.incidents.get(broadcast.incidentId),
    findTemplate(deps.templates, broadcast.templateId, broadcast.templateVersion),
  ]);
  if (!incident) throw new NotFoundError('Incident', broadcast.incidentId);
  return broadcastReview(broadcast, incident, template);
}
