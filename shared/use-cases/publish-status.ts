import { LANGUAGES } from '#shared/domain/model.ts';
import { publicContext, renderField } from '#shared/domain/render.ts';
import type {
  BroadcastStore,
  DeliveryStore,
  IncidentStore,
  StaticSite,
  TemplateStore,
  TimelineStore,
} from '#shared/ports/stores.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { statusPage } from '#shared/status-site/status-page.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { sendOnce } from './record-outcome.ts';

export interface PublishStatusDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  deliveries: DeliveryStore;
  timeline: TimelineStore;
  site: StaticSite;
}

const RECENT_INCIDENTS = 50;

/** Regenerates every status file from the stored incidents and timelines. */
export async function regenerateStatusSite(
  deps: Pick<PublishStatusDeps, 'incidents' | 'timeline' | 'site'>,
): Promise<void> {
  const incidents = await deps.incidents.list(RECENT_INCIDENTS);
  const withTimelines = await Promise.all(
    incidents.map(async (incident) => ({ incident, timeline: await deps.timeline.entries(incident.id) })),
  );
  const document = statusDocument(withTimelines);
  await deps.site.put('status.json', JSON.stringify(document, null, 2), 'application/json; charset=utf-8');
  for (const language of LANGUAGES) {
    const html = statusPage(document, language, (other) => (other === 'en' ? '/status' : `/status/${other}`));
    await deps.site.put(
      language === 'en' ? 'status' : `status/${language}`,
      html,
      'text/html; charset=utf-8',
    );
  }
}

/**
 * Publishes a broadcast's status entry.
 * 1. renders the template's statusTitle and statusBody in every language (public variables only);
 * 2. appends them to the incident's timeline, through the ledger, once per broadcast;
 * 3. regenerates the static status files, so page views never reach a Lambda.
 */
export async function publishStatus(broadcastId: string, deps: PublishStatusDeps): Promise<void> {
  const { broadcast, incident, template } = await loadBroadcastContext(broadcastId, deps);
  if (broadcast.status === 'cancelled') return;
  const context = publicContext(incident, broadcast.variables);
  const publishedAt = new Date().toISOString();
  await sendOnce(
    { broadcastId, channel: 'status', recipientId: 'site' },
    async () => {
      const texts = Object.fromEntries(
        LANGUAGES.map((language) => [
          language,
          {
            title: renderField(template, language, 'statusTitle', context).text,
            body: renderField(template, language, 'statusBody', context).text,
          },
        ]),
      );
      await deps.timeline.append({
        incidentId: incident.id,
        broadcastId,
        kind: broadcast.kind,
        publishedAt,
        texts,
      });
      await regenerateStatusSite(deps);
      return { providerId: `status:${publishedAt}` };
    },
    deps,
  );
}
