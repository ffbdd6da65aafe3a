/** A large disruption for the map tests: a European ash cloud over 50 airports, published once. */
import type { Polygon } from 'geojson';
import type { TimelineEntry } from '#shared/ports/stores.ts';
import { anIncident } from './builders.ts';

export const ASH_CLOUD_ID = '55555555-5555-4555-8555-555555555555';

/** From Iceland across the British Isles to the Baltic, wound as GeoJSON wants (counter-clockwise). */
export const ASH_CLOUD_AREA: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [-25, 62],
      [-12, 48],
      [15, 46],
      [30, 52],
      [25, 62],
      [-10, 67],
      [-25, 62],
    ],
  ],
};

export const ASH_CLOUD_AIRPORTS = [
  'KEF',
  'DUB',
  'ORK',
  'SNN',
  'LHR',
  'LGW',
  'STN',
  'LTN',
  'MAN',
  'BHX',
  'EDI',
  'GLA',
  'ABZ',
  'BFS',
  'NCL',
  'LPL',
  'BRS',
  'CDG',
  'ORY',
  'NCE',
  'LYS',
  'MRS',
  'TLS',
  'BOD',
  'NTE',
  'AMS',
  'EIN',
  'RTM',
  'BRU',
  'CRL',
  'LUX',
  'FRA',
  'MUC',
  'DUS',
  'HAM',
  'CGN',
  'STR',
  'HAJ',
  'CPH',
  'BLL',
  'AAL',
  'OSL',
  'BGO',
  'TRD',
  'SVG',
  'ARN',
  'GOT',
  'HEL',
  'TLL',
  'RIX',
];

/** The ash cloud as an open incident with one published update, as statusDocument takes it. */
export function europeanAshCloud(): { incident: ReturnType<typeof anIncident>; timeline: TimelineEntry[] } {
  const incident = anIncident({
    id: ASH_CLOUD_ID,
    type: 'ash-cloud',
    title: 'Ash cloud over Europe',
    severity: 'extreme',
    scope: { airports: ASH_CLOUD_AIRPORTS, area: ASH_CLOUD_AREA },
    status: 'open',
  });
  const text = {
    title: 'Ash cloud: flights suspended',
    body: 'No flights in the shaded area until further notice.',
  };
  return {
    incident,
    timeline: [
      {
        incidentId: ASH_CLOUD_ID,
        broadcastId: '55555555-0000-4000-8000-000000000001',
        kind: 'initial',
        publishedAt: '2026-11-23T07:45:00.000Z',
        texts: { en: text, fi: text, sv: text },
      },
    ],
  };
}
