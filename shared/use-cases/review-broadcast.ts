import { type BroadcastReview, broadcastReview } from '#shared/domain/broadcast-review.ts';
import { ConflictError, NotFoundError } from '#shared/domain/errors.ts';
import { missingWordingErrors } from '#shared/domain/wording.ts';
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
 * 3. renders every text it sends per channel and language, free text marked (broadcastReview);
 *    a broadcast stored before kinds had their own wording, whose version has none for its kind,
 *    has nothing to show (409: it can never be sent either).
 */
export async function reviewBroadcast(id: string, deps: ReviewBroadcastDeps): Promise<BroadcastReview> {
  const broadcast = await deps.broadcasts.get(id);
  if (!broadcast) throw new NotFoundError('Broadcast', id);
  const [incident, template] = await Promise.all([
    deps.incidents.get(broadcast.incidentId),
    findTemplate(deps.templates, broadcast.templateId, broadcast.templateVersion),
  ]);
  if (!incident) throw new NotFoundError('Incident', broadcast.incidentId);
  const [missing] = missingWordingErrors(template, broadcast.kind);
  if (missing) throw new ConflictError(missing.message);
  return broadcastReview(broadcast, incident, template);
}
