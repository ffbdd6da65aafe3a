/** The shared map geometry (shared/maps): fitting, great circles, winding and cropping. */
import { geoArea } from 'd3-geo';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findAirport } from '#shared/domain/airports.ts';
import {
  fitProjection,
  greatCircle,
  type LonLat,
  mapScene,
  smallSideOf,
  svgPath,
} from '#shared/maps/geometry.ts';
import { worldLand } from '#shared/maps/world.ts';
import { ASH_CLOUD_AIRPORTS, ASH_CLOUD_AREA } from '#test/support/map-fixtures.ts';

function lonLat(code: string): LonLat {
  const airport = findAirport(code);
  if (!airport) throw new Error(`no airport ${code}`);
  return [airport.longitude, airport.latitude];
}

const SIZE = { width: 640, height: 400, padding: 16 };

/** Whether every point projects inside the size less its padding (to a hundredth of a pixel). */
function allInside(projection: ReturnType<typeof fitProjection>, points: LonLat[]): boolean {
  return points.every((point) => {
    const [x, y] = projection(point) ?? [Number.NaN, Number.NaN];
    const slack = 0.01;
    return (
      x >= SIZE.padding - slack &&
      y >= SIZE.padding - slack &&
      x <= SIZE.width - SIZE.padding + slack &&
      y <= SIZE.height - SIZE.padding + slack
    );
  });
}

const point = (coordinates: LonLat) => ({ type: 'Point' as const, coordinates });

describe('great-circle routes', () => {
  it('flies from Helsinki to New York north of both airports, from one to the other', () => {
    const route = greatCircle(lonLat('HEL'), lonLat('JFK')).coordinates;
    const [helsinki, newYork] = [lonLat('HEL'), lonLat('JFK')];

    expect(route[0]).toEqual(helsinki);
    expect(route.at(-1)?.[0]).toBeCloseTo(newYork[0], 6);
    expect(route.at(-1)?.[1]).toBeCloseTo(newYork[1], 6);
    const northernmost = Math.max(...route.map(([, latitude]) => latitude as number));
    expect(northernmost).toBeGreaterThan(helsinki[1] + 2);
    expect(northernmost).toBeGreaterThan(newYork[1] + 2);
  });
});

describe('the fitted projection', () => {
  it('contains the European ash cloud’s area and all its 50 airports', () => {
    const airports = ASH_CLOUD_AIRPORTS.map(lonLat);
    const area = smallSideOf(ASH_CLOUD_AREA);

    const projection = fitProjection(SIZE, [area, ...airports.map(point)]);

    expect(allInside(projection, [...airports, ...(area.coordinates[0] as LonLat[])])).toBe(true);
  });

  it('centres on the Pacific for airports on both sides of the antimeridian', () => {
    const airports = ['NAN', 'AKL', 'HNL', 'PPT'].map(lonLat);

    const projection = fitProjection(SIZE, airports.map(point));

    expect(allInside(projection, airports)).toBe(true);
    const [centreLongitude] = projection.invert?.([SIZE.width / 2, SIZE.height / 2]) ?? [0];
    expect(Math.abs(centreLongitude)).toBeGreaterThan(150);
  });

  it('shows a single airport in the middle of a regional view, not at infinite zoom', () => {
    const helsinki = lonLat('HEL');

    const projection = fitProjection(SIZE, [point(helsinki)]);

    const [x, y] = projection(helsinki) ?? [];
    expect(x).toBeCloseTo(SIZE.width / 2, 6);
    expect(y).toBeCloseTo(SIZE.height / 2, 6);
    expect(Number.isFinite(projection.scale())).toBe(true);
    const tallinn = projection(lonLat('TLL')) ?? [];
    expect(allInside(projection, [lonLat('TLL')])).toBe(true);
    expect(tallinn[1]).toBeGreaterThan(y as number);
  });
});

describe('areas and paths', () => {
  it('reads a GeoJSON (counter-clockwise) ring and its reverse as the same small area', () => {
    const reversed: Polygon = {
      type: 'Polygon',
      coordinates: [[...(ASH_CLOUD_AREA.coordinates[0] ?? [])].reverse()],
    };
    const hemisphere = 2 * Math.PI;

    expect(geoArea(ASH_CLOUD_AREA)).toBeGreaterThan(hemisphere);
    expect(geoArea(smallSideOf(ASH_CLOUD_AREA))).toBeLessThan(hemisphere);
    expect(smallSideOf(reversed)).toEqual(reversed);
    expect(smallSideOf({ type: 'MultiPolygon', coordinates: [ASH_CLOUD_AREA.coordinates] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [reversed.coordinates],
    });
  });

  it('draws the scene cropped to the map: land, the area, every airport and one path per route', () => {
    const airports = ASH_CLOUD_AIRPORTS.map((code) => {
      const [longitude, latitude] = lonLat(code);
      return { code, longitude, latitude };
    });
    const routes = [
      { from: lonLat('HEL'), to: lonLat('JFK') },
      { from: lonLat('LHR'), to: lonLat('CDG') },
    ];

    const scene = mapScene({ ...SIZE, area: ASH_CLOUD_AREA, airports, routes });

    expect(scene.airports.map((placed) => placed.code)).toEqual(ASH_CLOUD_AIRPORTS);
    expect(scene.area).toMatch(/^M[\d.,L]+Z$/);
    expect(scene.routes).toHaveLength(2);
    expect(scene.routes.every((route) => route.startsWith('M'))).toBe(true);
    // Last, as it takes the crop off the scene's own projection.
    const uncropped = svgPath(scene.projection.clipExtent(null), worldLand());
    expect(scene.land.length).toBeGreaterThan(0);
    expect(scene.land.length).toBeLessThan(uncropped.length / 2);
    expect(scene.land).not.toMatch(/\.\d\d/);
  });
});
