/**
 * CAP 1.2 (OASIS Common Alerting Protocol), one alert per published update: the first of an
 * incident is an Alert, later ones Updates, the resolution a Cancel; each after the first
 * `references` every earlier alert of its incident. One `info` block per language, each with
 * the incident's own area (its GeoJSON polygons) and every affected airport (a circle and its
 * IATA geocode).
 */
import type { Position } from 'geojson';
import { LANGUAGES, type Severity } from '#shared/domain/model.ts';
import { escapeMarkup as e } from './html.ts';
import { LABELS } from './labels.ts';
import { type StatusDocument, type StatusIncident, type StatusUpdate, textIn } from './status-document.ts';
import { statusPagePath } from './status-page.ts';
import { capDateTime } from './times.ts';

export type CapMsgType = 'Alert' | 'Update' | 'Cancel';

export interface CapAlert {
  /** The CAP identifier, also the file name: `/cap/{id}.xml`. */
  id: string;
  sender: string;
  /** CAP dateTime, `+00:00` offset. */
  sent: string;
  msgType: CapMsgType;
  /** `sender,identifier,sent` of each earlier alert of the incident, oldest first. */
  references: string[];
  incident: StatusIncident;
  update: StatusUpdate;
}

export interface CapOptions {
  /** The site's public origin; its host name is the CAP sender. */
  siteUrl: string;
  /** `Exercise` for the exercise feed's alerts (exercise.ts); `Actual` otherwise. */
  capStatus?: 'Actual' | 'Exercise';
}

/** The radius drawn around an affected airport: its terminal area and approaches. */
const AIRPORT_RADIUS_KM = 10;

const CAP_SEVERITY: Record<Severity, string> = {
  minor: 'Minor',
  moderate: 'Moderate',
  severe: 'Severe',
  extreme: 'Extreme',
};

export function capPath(alertId: string): string {
  return `/cap/${alertId}.xml`;
}

/** Every alert of every incident on the site. */
export function capAlerts(document: StatusDocument, { siteUrl }: CapOptions): CapAlert[] {
  const sender = new URL(siteUrl).host;
  return [...document.current, ...document.recent].flatMap((incident) =>
    incident.updates.map((update, index) => {
      const earlier = incident.updates.slice(0, index);
      const msgType: CapMsgType =
        earlier.length === 0 ? 'Alert' : update.kind === 'resolution' ? 'Cancel' : 'Update';
      return {
        id: update.id,
        sender,
        sent: capDateTime(update.publishedAt),
        msgType,
        references: earlier.map((before) => `${sender},${before.id},${capDateTime(before.publishedAt)}`),
        incident,
        update,
      };
    }),
  );
}

/** CAP wants `lat,lon` pairs, GeoJSON has [lon, lat]; a CAP polygon is closed, with no holes. */
function capPolygons(incident: StatusIncident): string[] {
  const area = incident.area;
  if (!area) return [];
  const outerRings: Position[][] =
    area.type === 'Polygon'
      ? area.coordinates.slice(0, 1)
      : area.coordinates.flatMap((polygon) => polygon.slice(0, 1));
  return outerRings.map((ring) => {
    const [first] = ring;
    const last = ring.at(-1);
    const closed = first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
    return closed.map(([lon, lat]) => `${lat},${lon}`).join(' ');
  });
}

function element(name: string, value: string): string {
  return `<${name}>${e(value)}</${name}>`;
}

function infoBlock(alert: CapAlert, language: (typeof LANGUAGES)[number], siteUrl: string): string {
  const { incident, update } = alert;
  const labels = LABELS[language];
  const text = textIn(update, language);
  const cancel = alert.msgType === 'Cancel';
  const started = Date.parse(incident.window.start) <= Date.parse(update.publishedAt);
  const areas = [
    ...capPolygons(incident).map(
      (polygon) => `<area>${element('areaDesc', labels.affectedArea)}${element('polygon', polygon)}</area>`,
    ),
    ...incident.airports.map(
      (airport) =>
        `<area>${element('areaDesc', `${airport.name} (${airport.code})`)}${element(
          'circle',
          `${airport.latitude},${airport.longitude} ${AIRPORT_RADIUS_KM}`,
        )}<geocode>${element('valueName', 'IATA')}${element('value', airport.code)}</geocode></area>`,
    ),
  ];
  return [
    '<info>',
    element('language', language),
    element('category', 'Transport'),
    element('event', labels.types[incident.type]),
    element('responseType', cancel ? 'AllClear' : 'Monitor'),
    element('urgency', cancel ? 'Past' : started ? 'Immediate' : 'Expected'),
    element('severity', CAP_SEVERITY[incident.severity]),
    element('certainty', cancel || started ? 'Observed' : 'Likely'),
    `<eventCode>${element('valueName', 'herald:incidentType')}${element('value', incident.type)}</eventCode>`,
    // A cancel ends the alert now: the original window no longer applies.
    ...(cancel
      ? []
      : [
          element('onset', capDateTime(incident.window.start)),
          element('expires', capDateTime(incident.window.end)),
        ]),
    element('senderName', labels.title),
    element('headline', text.title),
    element('description', text.body),
    element('web', `${siteUrl}${statusPagePath(language)}#incident-${incident.id}`),
    ...areas,
    '</info>',
  ].join('\n');
}

/** The alert as a CAP 1.2 XML document. */
export function capAlertXml(alert: CapAlert, { siteUrl, capStatus = 'Actual' }: CapOptions): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    element('identifier', alert.id),
    element('sender', alert.sender),
    element('sent', alert.sent),
    element('status', capStatus),
    element('msgType', alert.msgType),
    element('scope', 'Public'),
    ...(alert.references.length > 0 ? [element('references', alert.references.join(' '))] : []),
    element('incidents', alert.incident.id),
    ...LANGUAGES.map((language) => infoBlock(alert, language, siteUrl)),
    '</alert>',
    '',
  ].join('\n');
}
