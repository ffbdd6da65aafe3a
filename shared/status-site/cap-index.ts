/** `/cap.atom`: the Atom index of the CAP alerts, newest first, each entry linking to its alert. */
import { Feed } from 'feed';
import { type CapAlert, capPath } from './cap.ts';
import { escapeMarkup as e } from './html.ts';
import { LABELS } from './labels.ts';
import { textIn } from './status-document.ts';

/** Alert aggregators poll this; the alerts themselves stay at their own addresses. */
const MAX_ENTRIES = 200;

export function capIndex(alerts: CapAlert[], generatedAt: string, { siteUrl }: { siteUrl: string }): string {
  const newest = [...alerts].sort((a, b) => (a.update.publishedAt < b.update.publishedAt ? 1 : -1));
  const entries = newest.slice(0, MAX_ENTRIES);
  const feed = new Feed({
    id: `${siteUrl}/cap.atom`,
    title: `${LABELS.en.title}: CAP alerts`,
    link: `${siteUrl}/status`,
    language: 'en',
    updated: new Date(entries[0]?.update.publishedAt ?? generatedAt),
    generator: 'Herald',
    feedLinks: { atom: `${siteUrl}/cap.atom` },
    author: { name: LABELS.en.title, link: `${siteUrl}/status` },
  });
  for (const alert of entries) {
    const text = textIn(alert.update, 'en');
    feed.addItem({
      id: `urn:uuid:${alert.id}`,
      title: e(`${alert.msgType}: ${text.title}`),
      link: `${siteUrl}${capPath(alert.id)}`,
      date: new Date(alert.update.publishedAt),
      description: e(text.body),
    });
  }
  return feed.atom1();
}
