import type { Broadcast, Incident, TemplateVersion } from '#shared/domain/model.ts';
import type { BroadcastStore, IncidentStore, TemplateStore } from '#shared/ports/stores.ts';

export interface BroadcastContext {
  broadcast: Broadcast;
  incident: Incident;
  template: TemplateVersion;
}

/** The broadcast with the incident and the exact template version it was approved with. */
export async function loadBroadcastContext(
  broadcastId: string,
  deps: { broadcasts: BroadcastStore; incidents: IncidentStore; templates: TemplateStore },
): Promise<BroadcastContext> {
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (!broadcast) throw new Error(`Broadcast ${broadcastId} does not exist`);
  const [incident, template] = await Promise.all([
    deps.incidents.get(broadcast.incidentId),
    deps.templates.getVersion(broadcast.templateId, broadcast.templateVersion),
  ]);
  if (!incident)
    throw new Error(`Incident ${broadcast.incidentId} of broadcast ${broadcastId} does not exist`);
  if (!template)
    throw new Error(`Template ${broadcast.templateId} v${broadcast.templateVersion} does not exist`);
  return { broadcast, incident, template };
}
