/**
 * The public status data: incidents with their timelines, nothing personal (no operator, no
 * customer, no booking). Every output — the HTML pages, status.json, Atom/RSS, the CAP alerts
 * and their index — is rendered from this one document, so this is where operator text loses
 * the characters XML forbids (`publicText`): an incident stored before the API refused them
 * still renders as valid CAP, Atom and RSS.
 */
import { createHash } from 'node:crypto';
import type { MultiPolygon, Polygon } from 'geojson';
import { findAirport } from '#shared/domain/airports.ts';
import { type BroadcastKind, type Incident, LANGUAGES, type Language } from '#shared/domain/model.ts';
import { stripNonXmlChars } from '#shared/domain/xml-text.ts';
import type { TimelineEntry } from '#shared/ports/stores.ts';

export interface StatusAirport {
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  /** IANA time zone: the incident's window is shown in the airport's local time. */
  timeZone: string;
}

export interface StatusText {
  title: string;
  body: string;
}

export interface StatusUpdate {
  /** Also the CAP alert's identifier: `/cap/{id}.xml`. */
  id: string;
  kind: BroadcastKind;
  publishedAt: string;
  texts: Partial<Record<Language, StatusText>>;
}

export interface StatusIncident {
  id: string;
  type: Incident['type'];
  /** The heading in English: the title of the latest update a broadcast published (see headingOf). */
  title: string;
  /** The same heading in every language the update has. */
  titles: Partial<Record<Language, string>>;
  severity: Incident['severity'];
  status: Incident['status'];
  window: Incident['window'];
  createdAt: string;
  resolvedAt?: string;
  airports: StatusAirport[];
  /** The scope's GeoJSON area, e.g. an ash-cloud advisory polygon. */
  area?: Polygon | MultiPolygon;
  /** Oldest first. */
  updates: StatusUpdate[];
}

export interface StatusDocument {
  generatedAt: string;
  /** Open incidents, the most recently updated first. */
  current: StatusIncident[];
  /** Resolved incidents, the most recently resolved first. */
  recent: StatusIncident[];
}

/**
 * A timeline entry's public id: its broadcast's id, or for a resolution by hand a UUID derived
 * from the incident (RFC 4122 name-based form), so regenerating never changes it.
 */
export function updateId(entry: Pick<TimelineEntry, 'incidentId' | 'broadcastId'>): string {
  if (entry.broadcastId !== undefined) return entry.broadcastId;
  const hex = createHash('sha1').update(`herald:resolution:${entry.incidentId}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function airportsOf(incident: Incident): StatusAirport[] {
  return (incident.scope.airports ?? []).flatMap((code) => {
    const airport = findAirport(code);
    return airport
      ? [
          {
            code: airport.iata,
            name: airport.name,
            city: airport.city,
            country: airport.country,
            latitude: airport.latitude,
            longitude: airport.longitude,
            timeZone: airport.tz,
          },
        ]
      : [];
  });
}

/** Operator text (a title, a rendered template) as every public output may carry it. */
const publicText = stripNonXmlChars;

function textsOf(entry: TimelineEntry): Partial<Record<Language, StatusText>> {
  const texts: Partial<Record<Language, StatusText>> = {};
  for (const language of LANGUAGES) {
    const text = entry.texts[language];
    if (text) texts[language] = { title: publicText(text.title), body: publicText(text.body) };
  }
  return texts;
}

const lastUpdate = (incident: StatusIncident) => incident.updates.at(-1)?.publishedAt ?? incident.createdAt;
const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Builds the document from incidents and their timelines; an incident never published stays out. */
export function statusDocument(
  incidents: { incident: Incident; timeline: TimelineEntry[] }[],
  generatedAt = new Date().toISOString(),
): StatusDocument {
  const published = incidents
    .filter(({ timeline }) => timeline.length > 0)
    .map(({ incident, timeline }): StatusIncident => {
      const ordered = [...timeline].sort((a, b) => -newestFirst(a.publishedAt, b.publishedAt));
      const heading = headingOf(ordered);
      const updates = ordered.map((entry) => ({
        id: updateId(entry),
        kind: entry.kind,
        publishedAt: entry.publishedAt,
        texts: textsOf(entry),
      }));
      return {
        id: incident.id,
        type: incident.type,
        // The operator's own title is an unreviewed label: the public one is an approved update's.
        title: heading.en ?? '',
        titles: heading,
        severity: incident.severity,
        status: incident.status,
        window: incident.window,
        createdAt: incident.createdAt,
        ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
        airports: airportsOf(incident),
        ...(incident.scope.area ? { area: incident.scope.area } : {}),
        updates,
      };
    });
  return {
    generatedAt,
    current: published
      .filter((incident) => incident.status === 'open')
      .sort((a, b) => newestFirst(lastUpdate(a), lastUpdate(b))),
    recent: published
      .filter((incident) => incident.status === 'resolved')
      .sort((a, b) => newestFirst(a.resolvedAt ?? lastUpdate(a), b.resolvedAt ?? lastUpdate(b))),
  };
}

/**
 * An incident's heading per language: the title of the latest entry a broadcast published, so
 * the heading follows the story as updates change it. The fixed notice of a resolution by hand
 * names no incident ("Resolved"), so it heads one only when nothing else was published.
 */
function headingOf(timeline: readonly TimelineEntry[]): Partial<Record<Language, string>> {
  const entry = timeline.findLast((candidate) => candidate.broadcastId !== undefined) ?? timeline.at(-1);
  const texts = entry ? textsOf(entry) : {};
  return Object.fromEntries(
    LANGUAGES.flatMap((language) => (texts[language] ? [[language, texts[language].title]] : [])),
  );
}

/** The text of an update in a language, falling back to English, then to any language it has. */
export function textIn(update: StatusUpdate, language: Language): StatusText {
  return (
    update.texts[language] ?? update.texts.en ?? Object.values(update.texts)[0] ?? { title: '', body: '' }
  );
}
