/**
 * The new-incident map: the operator draws the area corner by corner and picks airports by
 * clicking them. The view stays put while they draw (it is refitted only when the form changes
 * the area or the airports), so a corner lands where it was clicked.
 */
import type { GeoProjection } from 'd3-geo';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AirportList, AirportMatch } from '#shared/api/airports.ts';
import { fitProjection, smallSideOf, svgPath } from '#shared/maps/geometry.ts';
import { api } from '../api.ts';
import { plural } from '../ui.tsx';
import {
  type AreaRing,
  addVertex,
  closeRing,
  EMPTY_RING,
  MIN_VERTICES,
  moveVertex,
  removeVertex,
  type Vertex,
} from './area-ring.ts';
import { MapFigure, svgPoint, WorldOutlines } from './map-figure.tsx';
import { MAP_SIZE } from './map-view.ts';

/** The most airports one view shows (a wide view of Northern Europe holds about 480). */
const AIRPORTS_IN_VIEW = 500;

/** The longitude/latitude box a projection's view covers, sampled along its edges. */
function viewBox(projection: GeoProjection): string | undefined {
  const { width, height } = MAP_SIZE;
  const steps = [0, 0.25, 0.5, 0.75, 1];
  const edges = steps.flatMap((step) => [
    [step * width, 0],
    [step * width, height],
    [0, step * height],
    [width, step * height],
  ]);
  const places = edges.flatMap(([x = 0, y = 0]) => {
    const place = projection.invert?.([x, y]);
    return place ? [place] : [];
  });
  if (places.length === 0) return undefined;
  const longitudes = places.map(([longitude]) => longitude);
  const latitudes = places.map(([, latitude]) => latitude);
  const round = (value: number) => value.toFixed(2);
  return [Math.min(...longitudes), Math.min(...latitudes), Math.max(...longitudes), Math.max(...latitudes)]
    .map(round)
    .join(',');
}

/** The airports inside the view, from GET /airports?within=. */
function useAirportsInView(projection: GeoProjection): AirportMatch[] {
  const [airports, setAirports] = useState<AirportMatch[]>([]);
  const box = useMemo(() => viewBox(projection), [projection]);
  useEffect(() => {
    if (!box) return;
    let live = true;
    api<AirportList>('GET', `/airports?within=${box}&limit=${AIRPORTS_IN_VIEW}`).then(
      (found) => live && setAirports(found.items),
      () => live && setAirports([]),
    );
    return () => {
      live = false;
    };
  }, [box]);
  return airports;
}

/** What the map shows, in words: the caption every reader gets. */
function describe(ring: AreaRing, shownArea: boolean, chosen: AirportMatch[], shown: number): string {
  const area =
    ring.vertices.length > 0
      ? `The area has ${plural(ring.vertices.length, 'corner')}${ring.closed ? '' : ring.vertices.length >= MIN_VERTICES ? ', still open to more' : ' so far'}.`
      : shownArea
        ? 'The area from the text box is shown; edit it there.'
        : 'No area drawn.';
  const airports =
    chosen.length > 0
      ? `Chosen airports: ${chosen.map((airport) => airport.iata).join(', ')}.`
      : 'No airport chosen.';
  return `Map of the incident's scope. ${area} ${airports} ${plural(shown, 'airport')} shown.`;
}

export function AreaMap({
  ring,
  shownArea,
  view,
  chosen,
  onRingChange,
  onToggleAirport,
}: {
  ring: AreaRing;
  /** The area the text box holds when the map cannot edit it corner by corner (a MultiPolygon, a hole). */
  shownArea?: Polygon | MultiPolygon;
  view: Geometry[];
  chosen: AirportMatch[];
  onRingChange: (ring: AreaRing) => void;
  onToggleAirport: (airport: AirportMatch) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const projection = useMemo(() => fitProjection(MAP_SIZE, view), [view]);
  const airports = useAirportsInView(projection);
  const drag = useRef<{ index: number; moved: boolean } | undefined>(undefined);

  const placeOf = (event: MouseEvent): Vertex | undefined => {
    if (!svg.current) return undefined;
    const place = projection.invert?.(svgPoint(svg.current, event));
    return place ? [place[0], place[1]] : undefined;
  };
  const at = (vertex: Vertex) => projection(vertex) ?? [Number.NaN, Number.NaN];

  const onMapClick = (event: MouseEvent) => {
    const place = placeOf(event);
    if (!ring.closed && place) onRingChange(addVertex(ring, place));
  };
  const onPointerMove = (event: PointerEvent) => {
    const place = drag.current && placeOf(event);
    if (!drag.current || !place) return;
    drag.current.moved = true;
    onRingChange(moveVertex(ring, drag.current.index, place));
  };
  const onPointerUp = () => {
    const released = drag.current;
    drag.current = undefined;
    // A corner pressed and let go without moving is a click: the first one closes the ring.
    if (released && !released.moved && released.index === 0) onRingChange(closeRing(ring));
  };

  const areaPath = useMemo(() => {
    const [first] = ring.vertices;
    const polygon: Polygon | MultiPolygon | undefined =
      first && ring.vertices.length >= MIN_VERTICES
        ? { type: 'Polygon', coordinates: [[...ring.vertices, first]] }
        : shownArea;
    if (!polygon) return '';
    try {
      return svgPath(projection, smallSideOf(polygon));
    } catch {
      // Pasted text shaped like a polygon but not one (corners that are not numbers): the API says why.
      return '';
    }
  }, [ring, shownArea, projection]);
  const outline = ring.vertices.map((vertex) => at(vertex).join(',')).join(' ');
  const chosenCodes = new Set(chosen.map((airport) => airport.iata));
  // Chosen airports outside the view's box are still drawn where they are.
  const drawn = [...airports.filter((airport) => !chosenCodes.has(airport.iata)), ...chosen];

  return (
    <div class="stack">
      <MapFigure
        id="area-map"
        svgRef={svg}
        caption={describe(ring, shownArea !== undefined, chosen, airports.length)}
        onClick={onMapClick}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      >
        <WorldOutlines projection={projection} />
        {areaPath && <path class="map-area" d={areaPath} />}
        {!ring.closed && ring.vertices.length > 1 && <polyline class="map-area-edge" points={outline} />}
        {drawn.map((airport) => {
          const [x, y] = at([airport.longitude, airport.latitude]);
          const picked = chosenCodes.has(airport.iata);
          return (
            // Pointer only, by design: the airport search in the form is the keyboard's way to the same choice.
            // biome-ignore lint/a11y/noStaticElementInteractions: the form repeats it accessibly
            <g
              key={airport.iata}
              class={picked ? 'map-airport chosen' : 'map-airport'}
              data-iata={airport.iata}
              onClick={(event) => {
                event.stopPropagation();
                onToggleAirport(airport);
              }}
            >
              <title>
                {airport.iata} {airport.name}
              </title>
              <circle cx={x} cy={y} r={picked ? 6 : 3.5} />
              {picked && (
                <text x={x + 8} y={y + 4}>
                  {airport.iata}
                </text>
              )}
            </g>
          );
        })}
        {ring.vertices.map((vertex, index) => {
          const [x, y] = at(vertex);
          return (
            // A corner's index is its identity (moving it keeps its key); pointer only, by design: the
            // area text box is the keyboard's way to the same polygon.
            // biome-ignore lint/a11y/noStaticElementInteractions: the form repeats it accessibly
            <circle
              key={index}
              class={index === 0 && !ring.closed ? 'map-vertex first' : 'map-vertex'}
              data-vertex={index}
              cx={x}
              cy={y}
              r={7}
              onClick={(event) => event.stopPropagation()}
              onPointerDown={(event) => {
                event.stopPropagation();
                (event.currentTarget as Element).setPointerCapture(event.pointerId);
                drag.current = { index, moved: false };
              }}
              onDblClick={(event) => {
                event.stopPropagation();
                onRingChange(removeVertex(ring, index));
              }}
            />
          );
        })}
      </MapFigure>
      <p class="hint" id="area-map-hint">
        Click the map to add the area's corners, then click the first corner (or Close the area). Drag a
        corner to move it; double-click it to remove it. Click an airport to choose it or drop it. The text
        box and the airport search below do the same.
      </p>
      <div class="row">
        <button
          type="button"
          class="secondary"
          disabled={ring.closed || ring.vertices.length < MIN_VERTICES}
          onClick={() => onRingChange(closeRing(ring))}
        >
          Close the area
        </button>
        <button
          type="button"
          class="secondary"
          disabled={ring.vertices.length === 0}
          onClick={() => onRingChange(removeVertex(ring, ring.vertices.length - 1))}
        >
          Remove the last corner
        </button>
        <button
          type="button"
          class="secondary"
          disabled={ring.vertices.length === 0 && !shownArea}
          onClick={() => onRingChange(EMPTY_RING)}
        >
          Clear the area
        </button>
      </div>
    </div>
  );
}
