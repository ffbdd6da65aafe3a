import {
  type Broadcast,
  type DeliveryStatus,
  type Incident,
  LANGUAGES,
  type Language,
  type PostChannel,
  type TemplateVersion,
} from '#shared/domain/model.ts';
import { renderBroadcastField } from '#shared/domain/render.ts';
import { kindWording } from '#shared/domain/wording.ts';
import type { BroadcastStore, DeliveryStore, TemplateStore } from '#shared/ports/stores.ts';

export interface PreviousPostsDeps {
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  templates: TemplateStore;
}

/** Posts that are out, or will be: a record queued or sending counts unless its broadcast was cancelled. */
const POSTED: readonly DeliveryStatus[] = ['sent', 'delivered'];
const UNDER_WAY: readonly DeliveryStatus[] = ['queued', 'sending'];

/** A broadcast's list page: an incident takes a handful of broadcasts, so one or two pages find every post. */
const PAGE = 50;

/**
 * The text of the incident's latest post on each channel in each language, rendered again from
 * the broadcast that made it (the one renderer gives the same text from the same version, kind
 * and values; the ledger keeps no post's text). X refuses a post equal to a recent one of the
 * account (error 187), so the preview compares against these.
 * 1. walks the incident's broadcasts newest first, those naming a wanted channel;
 * 2. per channel, reads the records of the languages still unknown in one BatchGetItem: a post
 *    sent, or under way in a broadcast not cancelled, is that language's latest;
 * 3. stops once every channel and language is known or the broadcasts run out.
 */
export async function previousPosts(
  incident: Incident,
  channels: readonly PostChannel[],
  deps: PreviousPostsDeps,
): Promise<Map<`${PostChannel}:${Language}`, string>> {
  const found = new Map<`${PostChannel}:${Language}`, string>();
  const wanted = channels.length * LANGUAGES.length;
  const templates = new Map<string, Promise<TemplateVersion | undefined>>();
  const templateOf = (broadcast: Broadcast) => {
    const key = `${broadcast.templateId}#${broadcast.templateVersion}`;
    if (!templates.has(key))
      templates.set(key, deps.templates.getVersion(broadcast.templateId, broadcast.templateVersion));
    return templates.get(key);
  };
  let next: string | undefined;
  do {
    const page = await deps.broadcasts.listByIncident(incident.id, { limit: PAGE, next });
    for (const broadcast of page.items) {
      for (const channel of channels.filter((candidate) => broadcast.channels.includes(candidate))) {
        const unknown = LANGUAGES.filter((language) => !found.has(`${channel}:${language}`));
        if (unknown.length === 0) continue;
        const records = await deps.deliveries.getMany(broadcast.id, channel, unknown);
        const out = records.filter(
          (record) =>
            POSTED.includes(record.status) ||
            (UNDER_WAY.includes(record.status) && broadcast.status !== 'cancelled'),
        );
        const template = out.length > 0 ? await templateOf(broadcast) : undefined;
        // A resolution stored before kinds had wordings may have none to render again.
        if (!template || !kindWording(template, broadcast.kind)) continue;
        for (const record of out) {
          const language = record.recipientId as Language;
          const { text } = renderBroadcastField({ template, incident, broadcast }, language, 'social');
          found.set(`${channel}:${language}`, text);
        }
      }
      if (found.size === wanted) return found;
    }
    next = page.next;
  } while (next);
  return found;
}
