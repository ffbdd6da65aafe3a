/**
 * The preview's map: the incident's area, the affected airports with their count of affected
 * flights, and every affected flight's great-circle route, overflights in their own style.
 * Clicking a route tells its flight and passengers; the affected-flights table beside it holds
 * the same, for the keyboard and screen readers.
 */
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AffectedFlightSummary, PreviewAirport } from '#shared/api/broadcasts.ts';
import { fitProjection, smallSideOf, svgPath } from '#shared/maps/geometry.ts';
import { plural } from '../ui.tsx';
import { MapFigure, WorldOutlines } from './map-figure.tsx';
import { MAP_SIZE } from './map-view.ts';
import { type DrawnRoute, drawRoutes, routeAt, routePaths } from './route-layer.ts';

/** The airports named in the caption, busiest first: more would be a list, which the table is. */
const CAPTION_AIRPORTS = 8;

/** Affected flights per airport, busiest first. */
function flightsPerAirport(flights: readonly AffectedFlightSummary[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const flight of flights)
    for (const code of [flight.origin, flight.destination]) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function RouteMap({
  area,
  flights,
  airports,
}: {
  area?: Polygon | MultiPolygon;
  flights: readonly AffectedFlightSummary[];
  airports: Record<string, PreviewAirport>;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [selected, setSelected] = useState<number | undefined>();
  const [renderMs, setRenderMs] = useState<number | undefined>();
  const counts = useMemo(() => flightsPerAirport(flights), [flights]);
  const drawnArea = useMemo(() => area && smallSideOf(area), [area]);
  const projection = useMemo(() => {
    const places: Geometry[] = Object.values(airports).map((airport) => ({
      type: 'Point',
      coordinates: [airport.longitude, airport.latitude],
    }));
    return fitProjection(MAP_SIZE, drawnArea ? [drawnArea, ...places] : places);
  }, [drawnArea, airports]);
  // Flights whose airports the data lacks cannot be drawn: they stay in the table only.
  const mapped = useMemo(
    () => flights.filter((flight) => airports[flight.origin] && airports[flight.destination]),
    [flights, airports],
  );
  const routes = useRef<DrawnRoute[]>([]);

  useEffect(() => {
    if (!canvas.current) return;
    const started = performance.now();
    routes.current = routePaths(
      projection,
      mapped.map((flight) => {
        const from = airports[flight.origin] as PreviewAirport;
        const to = airports[flight.destination] as PreviewAirport;
        return {
          from: [from.longitude, from.latitude],
          to: [to.longitude, to.latitude],
          overflight: flight.overflight,
        };
      }),
    );
    drawRoutes(canvas.current, routes.current);
    // Reading one pixel makes the browser finish drawing: the time then counts the drawing, not its queueing.
    canvas.current.getContext('2d', { willReadFrequently: true })?.getImageData(0, 0, 1, 1);
    setSelected(undefined);
    setRenderMs(Math.round(performance.now() - started));
  }, [projection, mapped, airports]);
  useEffect(() => {
    if (canvas.current) drawRoutes(canvas.current, routes.current, selected);
  }, [selected]);

  const onCanvasClick = (event: MouseEvent) => {
    const target = canvas.current;
    if (!target) return;
    // The canvas is scaled to the page as the SVG is: the same conversion to map units.
    const rect = target.getBoundingClientRect();
    const scale = MAP_SIZE.width / rect.width;
    const point: [number, number] = [(event.clientX - rect.left) * scale, (event.clientY - rect.top) * scale];
    setSelected(routeAt(target, routes.current, point));
  };
  const chosen = selected === undefined ? undefined : mapped[selected];
  const overflights = mapped.filter((flight) => flight.overflight).length;
  const busiest = counts
    .slice(0, CAPTION_AIRPORTS)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');

  return (
    <div class="stack">
      <MapFigure
        id="route-map"
        caption={
          <>
            Map of {plural(mapped.length, 'affected flight route')} ({overflights} crossing the area overhead,
            drawn dashed){area ? ' and the incident area' : ''}. Affected flights per airport:{' '}
            {busiest || 'none'}
            {counts.length > CAPTION_AIRPORTS
              ? `, and ${counts.length - CAPTION_AIRPORTS} more airports`
              : ''}
            . The affected-flights table lists them all.
          </>
        }
        below={
          // A picture with no words of its own: the caption and the table say what it shows.
          <canvas
            ref={canvas}
            class="map-routes"
            data-routes={mapped.length}
            data-overflights={overflights}
            data-render-ms={renderMs}
            onClick={onCanvasClick}
          />
        }
      >
        <WorldOutlines projection={projection} />
        {drawnArea && <path class="map-area" d={svgPath(projection, drawnArea)} />}
        {counts.map(([code, count]) => {
          const airport = airports[code];
          const place = airport && projection([airport.longitude, airport.latitude]);
          if (!place) return null;
          return (
            <g key={code} class="map-airport chosen">
              <circle cx={place[0]} cy={place[1]} r={4} />
              <text x={place[0] + 7} y={place[1] + 4}>
                {code} {count}
              </text>
            </g>
          );
        })}
      </MapFigure>
      <p class="route-detail" aria-live="polite">
        {chosen
          ? `${chosen.flightNumber} on ${chosen.date}: ${chosen.origin} → ${chosen.destination}, ${plural(chosen.passengers, 'affected passenger')}${chosen.overflight ? ', crossing the area overhead' : ''}.`
          : 'Click a route on the map to see its flight and passengers.'}
      </p>
    </div>
  );
}
