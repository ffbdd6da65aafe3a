/**
 * Map geometry shared by the status page's SVG map and the console's map: a projection fitted
 * to what an incident covers, great-circle routes between airports, and SVG path data. Pure
 * functions over d3-geo, usable in Node and in the browser alike.
 */
import {
  type GeoPermissibleObjects,
  type GeoProjection,
  geoArea,
  geoAzimuthalEqualArea,
  geoBounds,
  geoCircle,
  geoInterpolate,
  geoPath,
} from 'd3-geo';
import type { Geometry, LineString, MultiPolygon, Polygon } from 'geojson';
import { countryBorders, worldLand } from './world.ts';

/** [longitude, latitude] in degrees, as GeoJSON orders them. */
export type LonLat = [number, number];

export interface MapSize {
  width: number;
  height: number;
  /** Space kept free between the fitted content and the edge, in pixels. */
  padding?: number;
}

export interface MapAirport {
  code: string;
  longitude: number;
  latitude: number;
}

export interface MapRoute {
  from: LonLat;
  to: LonLat;
}

export interface MapSceneInput<A extends MapAirport = MapAirport> extends MapSize {
  area?: Polygon | MultiPolygon;
  airports: readonly A[];
  routes?: readonly MapRoute[];
}

/** An airport as given, with its pixel position on the map. */
export type PlacedAirport<A extends MapAirport = MapAirport> = A & { x: number; y: number };

/** Everything a map draws, as SVG path data in the map's pixel space. */
export interface MapScene<A extends MapAirport = MapAirport> {
  width: number;
  height: number;
  projection: GeoProjection;
  land: string;
  borders: string;
  area: string;
  airports: PlacedAirport<A>[];
  /** One path per input route, in the input's order. */
  routes: string[];
}

/**
 * The smallest view, as a radius in degrees around the content's centre: a single airport would
 * otherwise be fitted at infinite zoom, and a map of one town shows no coastline to read it by.
 */
const MIN_VIEW_RADIUS = 3;

/** Path coordinates are rounded to a tenth of a pixel: finer is invisible and only adds bytes. */
const PATH_DIGITS = 1;

const DEFAULT_PADDING = 16;

/** The middle of the content's bounding box, across the antimeridian when the box crosses it. */
function centreOf(content: GeoPermissibleObjects): LonLat {
  const [[west, south], [east, north]] = geoBounds(content);
  const span = (east - west + 360) % 360;
  const longitude = ((west + span / 2 + 540) % 360) - 180;
  return [longitude, (south + north) / 2];
}

/**
 * An azimuthal equal-area projection centred on the geometries and scaled so that all of them
 * fit the size (less its padding); whatever falls outside the size is clipped away, so land far
 * from the incident costs no bytes. Areas stay comparable wherever on Earth the incident is.
 * There must be at least one geometry: nothing has no centre to fit around.
 */
export function fitProjection(size: MapSize, geometries: readonly Geometry[]): GeoProjection {
  const padding = size.padding ?? DEFAULT_PADDING;
  const content = { type: 'GeometryCollection' as const, geometries: [...geometries] };
  const centre = centreOf(content);
  const minimumView = geoCircle().center(centre).radius(MIN_VIEW_RADIUS)();
  return geoAzimuthalEqualArea()
    .rotate([-centre[0], -centre[1]])
    .fitExtent(
      [
        [padding, padding],
        [size.width - padding, size.height - padding],
      ],
      { type: 'GeometryCollection', geometries: [...geometries, minimumView] },
    )
    .clipExtent([
      [0, 0],
      [size.width, size.height],
    ]);
}

/**
 * The shortest route over the Earth between two points, sampled along the great circle so that
 * it stays one on any projection (and its points can be tested, e.g. for a polar route).
 */
export function greatCircle(from: LonLat, to: LonLat, segments = 32): LineString {
  const at = geoInterpolate(from, to);
  return {
    type: 'LineString',
    coordinates: Array.from({ length: segments + 1 }, (_, step) => at(step / segments)),
  };
}

/**
 * The area as d3 reads it: d3 takes a ring's inside to be on its right (clockwise), GeoJSON
 * (RFC 7946) on its left, so a well-formed GeoJSON polygon would be drawn and fitted as the rest
 * of the globe. An incident's area is never more than a hemisphere, so each polygon bigger than
 * one is the same polygon wound the other way: its rings are reversed.
 */
export function smallSideOf<T extends Polygon | MultiPolygon>(area: T): T {
  const rings = (polygon: LonLat[][]) =>
    geoArea({ type: 'Polygon', coordinates: polygon }) > 2 * Math.PI
      ? polygon.map((ring) => [...ring].reverse())
      : polygon;
  return area.type === 'Polygon'
    ? { ...area, coordinates: rings(area.coordinates as LonLat[][]) }
    : { ...area, coordinates: (area.coordinates as LonLat[][][]).map(rings) };
}

/** SVG path data for a geometry on the projection; empty when nothing of it is on the map. */
export function svgPath(projection: GeoProjection, geometry: GeoPermissibleObjects): string {
  return geoPath(projection).digits(PATH_DIGITS)(geometry) ?? '';
}

/** The airports inside the map, at their pixel positions. */
function placeAirports<A extends MapAirport>(
  projection: GeoProjection,
  size: MapSize,
  airports: readonly A[],
) {
  return airports.flatMap((airport): PlacedAirport<A>[] => {
    const point = projection([airport.longitude, airport.latitude]);
    if (!point) return [];
    const [x, y] = point;
    const inside = x >= 0 && y >= 0 && x <= size.width && y <= size.height;
    return inside ? [{ ...airport, x: round(x), y: round(y) }] : [];
  });
}

const round = (pixels: number) => Math.round(pixels * 10 ** PATH_DIGITS) / 10 ** PATH_DIGITS;

const airportPoint = (airport: MapAirport): Geometry => ({
  type: 'Point',
  coordinates: [airport.longitude, airport.latitude],
});

/**
 * An incident's map: the projection fitted to its area and airports, then the land, the borders,
 * the area, the airports and the routes drawn on it. Routes do not move the fit: an incident's
 * flights reach far beyond it, and the map is about where the disruption is.
 */
export function mapScene<A extends MapAirport>(input: MapSceneInput<A>): MapScene<A> {
  const area = input.area && smallSideOf(input.area);
  const fitted = [...(area ? [area] : []), ...input.airports.map(airportPoint)];
  const projection = fitProjection(input, fitted);
  return {
    width: input.width,
    height: input.height,
    projection,
    land: svgPath(projection, worldLand()),
    borders: svgPath(projection, countryBorders()),
    area: area ? svgPath(projection, area) : '',
    airports: placeAirports(projection, input, input.airports),
    routes: (input.routes ?? []).map((route) => svgPath(projection, greatCircle(route.from, route.to))),
  };
}
