/**
 * The public status data: incidents with their timelines, nothing personal. Both the JSON
 * feed and the HTML page are rendered from this one document.
 */
import type { Incident } from '#shared/domain/model.ts';
import type { TimelineEntry } from '#shared/ports/stores.ts';

export interface StatusUpdate {
  kind: TimelineEntry['kind'];
  publishedAt: string;
  texts: TimelineEntry['texts'];
}

export interface StatusIncident {
  id: string;
  type: Incident['type'];
  title: string;
  severity: Incident['severity'];
  status: Incident['status'];
  window: Incident['window'];
  airports: string[];
  updates: StatusUpdate[];
}

export interface StatusDocument {
  generatedAt: string;
  current: StatusIncident[];
  recent: StatusIncident[];
}

export function statusDocument(
  incidents: { incident: Incident; timeline: TimelineEntry[] }[],
): StatusDocument {
  const published = incidents
    .filter(({ timeline }) => timeline.length > 0)
    .map(({ incident, timeline }) => ({
      id: incident.id,
      type: incident.type,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      window: incident.window,
      airports: incident.scope.airports ?? [],
      updates: timeline.map(({ kind, publishedAt, texts }) => ({ kind, publishedAt, texts })),
    }));
  return {
    generatedAt: new Date().toISOString(),
    current: published.filter((incident) => incident.status === 'open'),
    recent: published.filter((incident) => incident.status === 'resolved'),
  };
}
