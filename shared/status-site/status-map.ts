/**
 * A current disruption's map on the status page: a small static SVG, inlined in the page (no
 * script, no request of its own, so it shows wherever the page does and needs no CSP change).
 * The land around the incident, its area shaded, its airports marked; `role="img"` with a
 * `<title>` and a `<desc>` naming the airports, which the page also lists in text.
 */

import type { Language } from '#shared/domain/model.ts';
import { mapScene, type PlacedAirport } from '#shared/maps/geometry.ts';
import { escapeMarkup as e } from './html.ts';
import { LABELS } from './labels.ts';
import type { StatusAirport, StatusIncident } from './status-document.ts';

/** A phone shows the map about 360 px wide: this size keeps its codes and markers legible there. */
const WIDTH = 480;
const HEIGHT = 300;

/** Above this many airports their codes would overlap: the markers stay, named by their tooltips. */
const MAX_LABELLED_AIRPORTS = 12;

const airportName = (airport: StatusAirport) => `${airport.name} (${airport.code})`;

/** Room a code's label takes to the right of its marker; nearer the edge it goes on the left. */
const LABEL_ROOM = 48;

function airportMarker(airport: PlacedAirport<StatusAirport>, labelled: boolean): string {
  const onTheLeft = airport.x > WIDTH - LABEL_ROOM;
  const label = labelled
    ? `<text x="${airport.x}" y="${airport.y}" dx="${onTheLeft ? -8 : 8}" dy="5"${onTheLeft ? ' text-anchor="end"' : ''} font-size="15" font-weight="700" fill="#0d2a4a" stroke="#fff" stroke-width="3" paint-order="stroke">${e(airport.code)}</text>`
    : '';
  return `<g><circle cx="${airport.x}" cy="${airport.y}" r="5" fill="#0d2a4a" stroke="#fff" stroke-width="1.5"><title>${e(airportName(airport))}</title></circle>${label}</g>`;
}

/** The incident's map as inline SVG; empty when it has neither an area nor a known airport. */
export function statusMap(incident: StatusIncident, language: Language): string {
  if (!incident.area && incident.airports.length === 0) return '';
  const labels = LABELS[language];
  const scene = mapScene({ width: WIDTH, height: HEIGHT, area: incident.area, airports: incident.airports });
  const labelled = scene.airports.length <= MAX_LABELLED_AIRPORTS;
  const markers = scene.airports.map((airport) => airportMarker(airport, labelled));
  const id = `incident-${e(incident.id)}-map`;
  const description = [
    incident.area !== undefined ? labels.mapShadedArea : '',
    incident.airports.length > 0 ? labels.mapAirports(incident.airports.map(airportName).join(', ')) : '',
  ]
    .join(' ')
    .trim();
  return `<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${e(labels.mapTitle)}</title>
<desc id="${id}-desc">${e(description)}</desc>
<rect width="${WIDTH}" height="${HEIGHT}" fill="#dce8f4"/>
<path d="${scene.land}" fill="#f3f1ea" stroke="#9aa5b1" stroke-width=".6"/>
<path d="${scene.borders}" fill="none" stroke="#b5b0a4" stroke-width=".5"/>
${scene.area ? `<path d="${scene.area}" fill="#c62828" fill-opacity=".25" stroke="#c62828" stroke-width="2"/>` : ''}
${markers.join('\n')}
</svg>`;
}
