import { isExercise } from '#shared/domain/exercise.ts';
import { LANGUAGES } from '#shared/domain/model.ts';
import { renderBroadcastField } from '#shared/domain/render.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type {
  AuditStore,
  BroadcastStore,
  DeliveryStore,
  IncidentStore,
  StaticSite,
  TemplateStore,
  TimelineStore,
} from '#shared/ports/stores.ts';
import { exerciseSiteFiles } from '#shared/status-site/exercise-site.ts';
import { LABELS } from '#shared/status-site/labels.ts';
import { type SiteFile, siteFiles } from '#shared/status-site/site-files.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { deliverOnlyOnce } from './deliver-once.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { recordAudit } from './record-audit.ts';

export interface PublishStatusDeps {
  broadcasts: BroadcastStore;
  /** Sizes the lease of one publish (timeline write and site files), as a provider timeout sizes a send's. */
  providerTimeoutMs: number;
  incidents: IncidentStore;
  templates: TemplateStore;
  deliveries: DeliveryStore;
  timeline: TimelineStore;
  site: StaticSite;
  /** The site's public origin, for the absolute links feeds and CAP need. */
  siteUrl?: string;
  audit: AuditStore;
}

/**
 * Where the demo templates already send readers ("herald.example/status"). A deployment with
 * its own domain passes `siteUrl`.
 */
export const DEFAULT_SITE_URL = 'https://herald.example';

const RECENT_INCIDENTS = 50;
/** S3 puts in flight at once while rewriting the site. */
const PUT_CONCURRENCY = 8;

/**
 * Regenerates every status file from the stored incidents and timelines.
 * 1. reads the latest incidents and their timelines: the exercises' into the exercise feed's
 *    document, the others into the one public status document;
 * 2. renders every output from each (public: pages, status.json, Atom/RSS, CAP alerts and their
 *    index; the exercise feed the same files but the pages, under /exercise/, CAP status Exercise);
 * 3. writes each, CAP alerts first and the pages last.
 */
export async function regenerateStatusSite(
  deps: Pick<PublishStatusDeps, 'incidents' | 'timeline' | 'site' | 'siteUrl'>,
): Promise<void> {
  const incidents = await deps.incidents.list(RECENT_INCIDENTS);
  const withTimelines = await Promise.all(
    incidents.map(async (incident) => ({ incident, timeline: await deps.timeline.entries(incident.id) })),
  );
  const options = { siteUrl: deps.siteUrl ?? DEFAULT_SITE_URL };
  const exercises = withTimelines.filter(({ incident }) => isExercise(incident));
  await writeSite(exerciseSiteFiles(statusDocument(exercises), options), deps);
  const published = withTimelines.filter(({ incident }) => !isExercise(incident));
  await writeSite(siteFiles(statusDocument(published), options), deps);
}

/** Writes a site's files, its CAP alerts first, so no index or page points at an alert not yet written. */
async function writeSite(files: SiteFile[], deps: Pick<PublishStatusDeps, 'site'>): Promise<void> {
  const isAlert = (file: SiteFile) => /(^|\/)cap\//.test(file.key);
  const alerts = files.filter(isAlert);
  for (let start = 0; start < alerts.length; start += PUT_CONCURRENCY) {
    await Promise.all(
      alerts
        .slice(start, start + PUT_CONCURRENCY)
        .map((file) => deps.site.put(file.key, file.body, file.contentType)),
    );
  }
  for (const file of files.filter((candidate) => !isAlert(candidate))) {
    await deps.site.put(file.key, file.body, file.contentType);
  }
}

/**
 * Publishes a broadcast's status entry.
 * 1. renders the statusTitle and statusBody of its kind's wording in every language, with the
 *    operator's text in that language (public variables only): a resolution's all-clear;
 * 2. appends them to the incident's timeline through the ledger, once per broadcast: an uncertain
 *    earlier attempt is looked for in the timeline first;
 * 3. a `resolution` broadcast resolves the incident, at the time of its entry; records
 *    `incident.resolved` by the broadcast's requester when it did (not again on a redelivery);
 * 4. regenerates the static status files, so page views never reach a Lambda; all before the
 *    record says sent, so a finished broadcast is on the site (an entry found in the timeline
 *    may be there without its files, after a crash: they are written then too).
 */
export async function publishStatus(
  broadcastId: string,
  deps: PublishStatusDeps,
  invocation: Invocation,
): Promise<void> {
  const source = await loadBroadcastContext(broadcastId, deps);
  const { broadcast, incident } = source;
  if (broadcast.status === 'cancelled') return;
  const entryId = (publishedAt: string) => `status:${publishedAt}`;
  const publish = async (publishedAt: string) => {
    if (broadcast.kind === 'resolution') {
      const resolved = await deps.incidents.resolve(incident.id, publishedAt);
      if (resolved?.resolvedNow)
        await recordAudit(deps.audit, {
          actor: broadcast.createdBy,
          action: 'incident.resolved',
          resource: { type: 'incident', id: incident.id },
          details: { resolvedAt: publishedAt, broadcastId },
        });
    }
    await regenerateStatusSite(deps);
  };
  await deliverOnlyOnce(
    { broadcastId, channel: 'status', recipientId: 'site' },
    {
      async send() {
        const publishedAt = new Date().toISOString();
        const texts = Object.fromEntries(
          LANGUAGES.map((language) => [
            language,
            {
              title: renderBroadcastField(source, language, 'statusTitle').text,
              body: renderBroadcastField(source, language, 'statusBody').text,
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
        await publish(publishedAt);
        return { providerId: entryId(publishedAt) };
      },
      async findAccepted() {
        const entries = (await deps.timeline.entries(incident.id)).filter(
          (entry) => entry.broadcastId === broadcastId,
        );
        const [first] = entries;
        if (first) await publish(first.publishedAt);
        return entries.reverse().map((entry) => entryId(entry.publishedAt));
      },
    },
    deps,
    invocation,
  );
}

/**
 * Brings the site up to date after an incident changed without a broadcast.
 * 1. an incident resolved by hand whose timeline is public but has no resolution yet gets one:
 *    a fixed notice in every language, dated when it was resolved (so a retry writes the same
 *    entry), which closes its CAP alerts with a Cancel;
 * 2. regenerates the static status files.
 */
export async function publishIncidentChange(
  incidentId: string,
  deps: Pick<PublishStatusDeps, 'incidents' | 'timeline' | 'site' | 'siteUrl'>,
): Promise<void> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new Error(`Incident ${incidentId} does not exist`);
  if (incident.status === 'resolved' && incident.resolvedAt) {
    const timeline = await deps.timeline.entries(incidentId);
    const published = timeline.length > 0;
    if (published && !timeline.some((entry) => entry.kind === 'resolution')) {
      await deps.timeline.append({
        incidentId,
        kind: 'resolution',
        publishedAt: incident.resolvedAt,
        texts: Object.fromEntries(LANGUAGES.map((language) => [language, LABELS[language].resolvedNotice])),
      });
    }
  }
  await regenerateStatusSite(deps);
}
