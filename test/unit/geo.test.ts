import { booleanIntersects } from '@turf/boolean-intersects';
import { lineString } from '@turf/helpers';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findAirport } from '#shared/domain/airports.ts';
import { airportsInArea, isOverAreaDuring, timeOverArea } from '#shared/domain/geo.ts';
import type { Flight } from '#shared/domain/model.ts';

const box = (west: number, south: number, east: number, north: number): number[][][] => [
  [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ],
];
const southernFinland: Polygon = { type: 'Polygon', coordinates: box(21, 59.7, 27, 62) };
/** The sea between Åland and Sweden, 18.8°E–19.6°E: no airport inside. */
const alandSea: Polygon = { type: 'Polygon', coordinates: box(18.8, 59.5, 19.6, 62) };
/** Iceland and the sea around it, 30°W–10°W, 62°N–66°N. */
const iceland: Polygon = { type: 'Polygon', coordinates: box(-30, 62, -10, 66) };

const flight = (origin: string, destination: string, departure: string, arrival: string): Flight => ({
  flightNumber: 'AY1',
  carrier: 'AY',
  date: departure.slice(0, 10),
  origin,
  destination,
  departure,
  arrival,
});
const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe('airportsInArea', () => {
  it('finds the airports inside a polygon and none outside it', () => {
    const codes = airportsInArea(southernFinland).map((airport) => airport.iata);
    expect(codes).toEqual(expect.arrayContaining(['HEL', 'TMP', 'TKU']));
    expect(codes).not.toContain('ARN');
    expect(codes).not.toContain('MHQ'); // Mariehamn, 19.9°E
    expect(codes).not.toContain('OUL'); // Oulu, 65°N
  });

  it('finds the airports inside every polygon of a MultiPolygon', () => {
    const finlandAndStockholm: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [box(21, 59.7, 27, 62), box(17.5, 59.4, 18.2, 59.8)],
    };
    const codes = airportsInArea(finlandAndStockholm).map((airport) => airport.iata);
    expect(codes).toEqual(expect.arrayContaining(['HEL', 'TMP', 'ARN']));
    expect(codes).not.toContain('OSL');
    expect(codes).not.toContain('MHQ');
  });

  it('finds nothing in an area over the sea', () => {
    expect(airportsInArea(alandSea)).toEqual([]);
  });
});

describe('timeOverArea', () => {
  it('times a HEL→ARN flight over the Åland sea from the share of the route before it', () => {
    // HEL 24.96°E → ARN 17.92°E is a short route, nearly even in longitude: 19.6°E is
    // (24.96 − 19.6) / 7.04 ≈ 76.1% of the way (45.7 min of 60), 18.8°E ≈ 87.5% (52.5 min).
    const [over, ...more] = timeOverArea(
      flight('HEL', 'ARN', '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z'),
      alandSea,
    );
    expect(more).toEqual([]);
    expect(over?.enter).toBeGreaterThan(at('2026-11-23T10:45:42Z') - MINUTE);
    expect(over?.enter).toBeLessThan(at('2026-11-23T10:45:42Z') + MINUTE);
    expect(over?.exit).toBeGreaterThan(at('2026-11-23T10:52:30Z') - MINUTE);
    expect(over?.exit).toBeLessThan(at('2026-11-23T10:52:30Z') + MINUTE);
  });

  it('is empty for a route that never crosses the area', () => {
    expect(
      timeOverArea(flight('CPH', 'OSL', '2026-11-23T08:00:00Z', '2026-11-23T09:10:00Z'), alandSea),
    ).toEqual([]);
  });

  it('follows the great circle, not the straight line on the map: HEL→JFK passes over Iceland', () => {
    const hel = findAirport('HEL');
    const jfk = findAirport('JFK');
    if (!hel || !jfk) throw new Error('airport data is missing HEL or JFK');
    // On a lon/lat map the straight line runs far south of Iceland (≈51°N at 20°W)...
    const straight = lineString([
      [hel.longitude, hel.latitude],
      [jfk.longitude, jfk.latitude],
    ]);
    expect(booleanIntersects(straight, iceland)).toBe(false);
    // ...while the great circle reaches 64°N. Slerp between the two airports puts 10°W at 27.76% of
    // the way (149.9 min of 9 h) and 30°W at 42.94% (231.9 min).
    const [over, ...more] = timeOverArea(
      flight('HEL', 'JFK', '2026-11-23T10:00:00Z', '2026-11-23T19:00:00Z'),
      iceland,
    );
    expect(more).toEqual([]);
    expect(Math.abs((over?.enter ?? 0) - at('2026-11-23T12:29:54Z'))).toBeLessThan(2 * MINUTE);
    expect(Math.abs((over?.exit ?? 0) - at('2026-11-23T13:51:54Z'))).toBeLessThan(2 * MINUTE);
  });

  it('is empty when an airport is unknown: there is no route to follow', () => {
    expect(
      timeOverArea(flight('HEL', 'XQZ', '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z'), alandSea),
    ).toEqual([]);
  });
});

describe('isOverAreaDuring', () => {
  // Over the Åland sea from about 10:45 to 10:52.
  const helArn = flight('HEL', 'ARN', '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z');

  it('is false when the flight is airborne in the window but over the area only after it', () => {
    expect(
      isOverAreaDuring(helArn, alandSea, { start: '2026-11-23T09:00:00Z', end: '2026-11-23T10:30:00Z' }),
    ).toBe(false);
  });

  it('is false when the flight is over the area before the window', () => {
    expect(
      isOverAreaDuring(helArn, alandSea, { start: '2026-11-23T10:55:00Z', end: '2026-11-23T12:00:00Z' }),
    ).toBe(false);
  });

  it('is true for a flight that departed before the window and is over the area inside it', () => {
    expect(
      isOverAreaDuring(helArn, alandSea, { start: '2026-11-23T10:50:00Z', end: '2026-11-23T12:00:00Z' }),
    ).toBe(true);
  });

  it('is true when the window lies wholly inside the time over the area', () => {
    expect(
      isOverAreaDuring(helArn, alandSea, { start: '2026-11-23T10:48:00Z', end: '2026-11-23T10:49:00Z' }),
    ).toBe(true);
  });
});
