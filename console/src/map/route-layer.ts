/**
 * The affected flights' great-circle routes on a canvas laid over the map's SVG: thousands of
 * routes cost one canvas, not thousands of DOM nodes. Each route is kept as a Path2D of the shared
 * geometry's great circle, so a click finds its route with isPointInStroke.
 */
import { type GeoProjection, geoDistance } from 'd3-geo';
import type { LineString } from 'geojson';
import { greatCircle, type LonLat } from '#shared/maps/geometry.ts';
import { MAP_SIZE } from './map-view.ts';

export interface RouteEnds {
  from: LonLat;
  to: LonLat;
  overflight: boolean;
}

export interface DrawnRoute {
  path: Path2D;
  overflight: boolean;
}

/**
 * The routes as canvas paths in the map's units. Each great circle's sampled points are
 * projected straight into a Path2D (no SVG path text to build and parse again: that doubled the
 * time for 3,000 routes), and flights between the same two airports share one path.
 */
export function routePaths(projection: GeoProjection, routes: readonly RouteEnds[]): DrawnRoute[] {
  const byPair = new Map<string, Path2D>();
  return routes.map((route) => {
    const pair = `${route.from}>${route.to}`;
    let path = byPair.get(pair);
    if (!path) {
      path = projectedLine(projection, greatCircle(route.from, route.to, segmentsFor(route)));
      byPair.set(pair, path);
    }
    return { path, overflight: route.overflight };
  });
}

/** A sampled point every 150 km or so (at least 2, at most 64): a short hop needs no 32 points to look straight. */
const KM_PER_SEGMENT = 150;
const EARTH_RADIUS_KM = 6371;
const segmentsFor = ({ from, to }: RouteEnds) =>
  Math.min(64, Math.max(2, Math.ceil((geoDistance(from, to) * EARTH_RADIUS_KM) / KM_PER_SEGMENT)));

/** A line's points through the projection; a point it cannot place (the antipode) breaks the line. */
function projectedLine(projection: GeoProjection, line: LineString): Path2D {
  const path = new Path2D();
  let drawing = false;
  for (const point of line.coordinates) {
    const placed = projection(point as LonLat);
    if (!placed) {
      drawing = false;
      continue;
    }
    if (drawing) path.lineTo(placed[0], placed[1]);
    else path.moveTo(placed[0], placed[1]);
    drawing = true;
  }
  return path;
}

/** Ordinary routes in the console's blue; overflights dashed in amber, so the two read apart in grey too. */
const STYLES = {
  route: { colour: 'rgb(11 92 173 / 0.45)', dash: [] as number[] },
  overflight: { colour: 'rgb(196 110 0 / 0.7)', dash: [6, 4] },
};
const SELECTED_COLOUR = '#b3261e';
/** How near a click must fall to a route to pick it, in map units. */
const CLICK_TOLERANCE = 6;

/** Sizes the canvas for the screen's pixel density and scales its drawing to the map's units. */
function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D | undefined {
  const density = globalThis.devicePixelRatio || 1;
  const width = Math.round(MAP_SIZE.width * density);
  const height = Math.round(MAP_SIZE.height * density);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  // A canvas kept in memory, not on the GPU: without a GPU (headless Chromium, a remote desktop)
  // the GPU path is emulated and 3,000 strokes took 15 s to appear; in memory they take well
  // under one (and a click's isPointInStroke is worked out on the CPU either way).
  const drawing = canvas.getContext('2d', { willReadFrequently: true });
  drawing?.setTransform(density, 0, 0, density, 0, 0);
  return drawing ?? undefined;
}

/** Draws every route, one stroke per style, then the selected one over them. */
export function drawRoutes(
  canvas: HTMLCanvasElement,
  routes: readonly DrawnRoute[],
  selected?: number,
): void {
  const drawing = context(canvas);
  if (!drawing) return;
  drawing.clearRect(0, 0, MAP_SIZE.width, MAP_SIZE.height);
  drawing.lineWidth = 1.2;
  for (const overflight of [false, true]) {
    const style = overflight ? STYLES.overflight : STYLES.route;
    drawing.strokeStyle = style.colour;
    drawing.setLineDash(style.dash);
    // One stroke per route: stroking them all as one path makes the rasteriser work out where
    // thousands of translucent lines cross (17 s for 3,000 routes in software Chromium).
    for (const route of routes) if (route.overflight === overflight) drawing.stroke(route.path);
  }
  const chosen = selected === undefined ? undefined : routes[selected];
  if (chosen) {
    drawing.setLineDash([]);
    drawing.lineWidth = 3;
    drawing.strokeStyle = SELECTED_COLOUR;
    drawing.stroke(chosen.path);
  }
}

/** The route under a point in map units, the last drawn first; undefined when none is near. */
export function routeAt(
  canvas: HTMLCanvasElement,
  routes: readonly DrawnRoute[],
  [x, y]: [number, number],
): number | undefined {
  const drawing = canvas.getContext('2d', { willReadFrequently: true });
  if (!drawing) return undefined;
  drawing.save();
  drawing.setTransform(1, 0, 0, 1, 0, 0);
  drawing.lineWidth = CLICK_TOLERANCE;
  try {
    for (let index = routes.length - 1; index >= 0; index--) {
      const route = routes[index];
      if (route && drawing.isPointInStroke(route.path, x, y)) return index;
    }
    return undefined;
  } finally {
    drawing.restore();
  }
}
