/**
 * Geometry for area scopes (an ash-cloud advisory): which airports lie inside an area, and
 * when a flight is over it. Schedules carry no flight paths, so an aircraft is modelled on
 * the great circle between its airports at constant speed from departure to arrival.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { greatCircle } from '@turf/great-circle';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { type Airport, ALL_AIRPORTS, findAirport } from './airports.ts';
import type { Flight, TimeWindow } from './model.ts';

export type Area = Polygon | MultiPolygon;

/** A stretch of time, in epoch milliseconds, during which a flight is over an area (both ends included). */
export interface TimeOverArea {
  enter: number;
  exit: number;
}

type LonLat = [lon: number, lat: number];
type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const EARTH_RADIUS_KM = 6371;
/** Spacing of the great-circle points: between two of them a straight line is off by metres only. */
const ROUTE_STEP_KM = 50;
/** Near the area a route is resampled this finely, so entry and exit are within seconds and a clipped corner is caught. */
const EDGE_STEP_KM = 1;

const lonLat = (position: Position): LonLat => [position[0] ?? Number.NaN, position[1] ?? Number.NaN];

/** A loop, not Math.min(...spread): spreading 400,000 positions overflows the call stack (RangeError). */
function boxOf(points: readonly LonLat[]): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    if (lon < box[0]) box[0] = lon;
    if (lat < box[1]) box[1] = lat;
    if (lon > box[2]) box[2] = lon;
    if (lat > box[3]) box[3] = lat;
  }
  return box;
}

const inBox = ([lon, lat]: LonLat, box: Box) =>
  lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
const boxesOverlap = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Each polygon of the area with its bounding box: the cheap test runs before point-in-polygon. */
interface Part {
  polygon: Polygon;
  box: Box;
}

function partsOf(area: Area): Part[] {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  return polygons.map((coordinates) => ({
    polygon: { type: 'Polygon', coordinates },
    box: boxOf((coordinates[0] ?? []).map(lonLat)),
  }));
}

const isInside = (point: LonLat, parts: Part[]) =>
  parts.some((part) => inBox(point, part.box) && booleanPointInPolygon(point, part.polygon));

/** Every airport (with an IATA code) inside the area, its boundary included. */
export function airportsInArea(area: Area): Airport[] {
  const parts = partsOf(area);
  return ALL_AIRPORTS.filter((airport) => isInside([airport.longitude, airport.latitude], parts));
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle (haversine) distance. */
function distanceKm([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const h =
    Math.sin(radians(lat2 - lat1) / 2) ** 2 +
    Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(radians(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The great circle as one or two lines (two when it crosses the antimeridian), a point every ~50 km. */
function routeLines(from: LonLat, to: LonLat): LonLat[][] {
  const npoints = Math.max(2, Math.ceil(distanceKm(from, to) / ROUTE_STEP_KM) + 1);
  const { geometry } = greatCircle(from, to, { npoints });
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  return lines.map((line) => line.map(lonLat));
}

/**
 * When the flight is over the area: one stretch per crossing, in time order. Empty when it
 * never crosses it, or when an airport is unknown (no coordinates to fly between).
 */
export function timeOverArea(flight: Flight, area: Area): TimeOverArea[] {
  const origin = findAirport(flight.origin);
  const destination = findAirport(flight.destination);
  if (!origin || !destination) return [];
  const parts = partsOf(area);
  const lines = routeLines(
    [origin.longitude, origin.latitude],
    [destination.longitude, destination.latitude],
  );
  const routeBox = boxOf(lines.flat());
  if (!parts.some((part) => boxesOverlap(routeBox, part.box))) return [];

  const departs = Date.parse(flight.departure);
  const duration = Date.parse(flight.arrival) - departs;
  const segments = lines.flatMap((line) =>
    line.slice(1).map((to, index) => ({ from: line[index] ?? to, to })),
  );
  const totalKm = segments.reduce((sum, { from, to }) => sum + distanceKm(from, to), 0);

  const stretches: TimeOverArea[] = [];
  let current: TimeOverArea | undefined;
  const visit = (point: LonLat, km: number) => {
    const at = departs + (totalKm > 0 ? (km / totalKm) * duration : 0);
    if (!isInside(point, parts)) {
      if (current) stretches.push(current);
      current = undefined;
    } else if (current) current.exit = at;
    else current = { enter: at, exit: at };
  };

  let travelledKm = 0;
  const firstPoint = lines[0]?.[0];
  if (firstPoint) visit(firstPoint, 0);
  for (const { from, to } of segments) {
    const km = distanceKm(from, to);
    const nearArea = parts.some((part) => boxesOverlap(boxOf([from, to]), part.box));
    const steps = nearArea ? Math.ceil(km / EDGE_STEP_KM) : 1;
    for (let step = 1; step <= steps; step++) {
      const f = step / steps;
      visit([from[0] + (to[0] - from[0]) * f, from[1] + (to[1] - from[1]) * f], travelledKm + km * f);
    }
    travelledKm += km;
  }
  if (current) stretches.push(current);
  return stretches;
}

/** True when the flight is over the area at some instant of the half-open window. */
export function isOverAreaDuring(flight: Flight, area: Area, window: TimeWindow): boolean {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (Date.parse(flight.arrival) < start || Date.parse(flight.departure) >= end) return false;
  return timeOverArea(flight, area).some(({ enter, exit }) => enter < end && exit >= start);
}
