import { describe, expect, it } from 'vitest';
import { airportsWithin, searchAirports } from '#shared/use-cases/search-airports.ts';

describe('airports for the console picker and map', () => {
  it('gives each match its coordinates, so the map can place what the picker finds', () => {
    const [helsinki] = searchAirports('HEL', 1);
    expect(helsinki).toMatchObject({ iata: 'HEL', city: 'Helsinki' });
    expect(helsinki?.latitude).toBeCloseTo(60.317, 2);
    expect(helsinki?.longitude).toBeCloseTo(24.963, 2);
  });

  it('finds the airports inside a box, by code, at most the limit', () => {
    const southernFinland = airportsWithin({ west: 24, south: 59.8, east: 26, north: 60.6 }, 50);
    expect(southernFinland.map((airport) => airport.iata)).toContain('HEL');
    expect(southernFinland.map((airport) => airport.iata)).not.toContain('TKU');
    for (const airport of southernFinland) {
      expect(airport.longitude).toBeGreaterThanOrEqual(24);
      expect(airport.latitude).toBeLessThanOrEqual(60.6);
    }
    const codes = southernFinland.map((airport) => airport.iata);
    expect(codes).toEqual([...codes].sort());
    expect(airportsWithin({ west: -10, south: 48, east: 35, north: 71 }, 20)).toHaveLength(20);
  });

  it('reads a box whose west is east of its east as crossing the antimeridian', () => {
    const pacific = airportsWithin({ west: 170, south: -50, east: -170, north: 70 }, 500);
    expect(pacific.length).toBeGreaterThan(0);
    for (const airport of pacific) expect(Math.abs(airport.longitude)).toBeGreaterThanOrEqual(170);
  });
});
