import type { AirportMatch } from '#shared/api/airports.ts';
import { type Airport, ALL_AIRPORTS } from '#shared/domain/airports.ts';

const asMatch = ({ iata, name, city, country, latitude, longitude }: Airport): AirportMatch => ({
  iata,
  name,
  city,
  country,
  latitude,
  longitude,
});

/**
 * Airports for a picker, best matches first.
 * 1. an exact IATA code, then codes starting with the query;
 * 2. then airports whose city or name starts with it, then those containing it;
 * 3. at most `limit`.
 */
export function searchAirports(query: string, limit: number): AirportMatch[] {
  const text = query.trim().toLowerCase();
  if (text === '') return [];
  const rank = (airport: Airport): number => {
    const code = airport.iata.toLowerCase();
    const city = airport.city.toLowerCase();
    const name = airport.name.toLowerCase();
    if (code === text) return 0;
    if (code.startsWith(text)) return 1;
    if (city.startsWith(text) || name.startsWith(text)) return 2;
    if (city.includes(text) || name.includes(text)) return 3;
    return -1;
  };
  return ALL_AIRPORTS.map((airport) => ({ airport, score: rank(airport) }))
    .filter(({ score }) => score >= 0)
    .sort((a, b) => a.score - b.score || a.airport.iata.localeCompare(b.airport.iata))
    .slice(0, limit)
    .map(({ airport }) => asMatch(airport));
}

/** A longitude/latitude box; `west` greater than `east` crosses the antimeridian. */
export interface GeoBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

const inBox = ({ west, south, east, north }: GeoBox, { longitude, latitude }: Airport) =>
  latitude >= south &&
  latitude <= north &&
  (west <= east ? longitude >= west && longitude <= east : longitude >= west || longitude <= east);

/** The airports a map shows: those inside its box, by IATA code, at most `limit`. */
export function airportsWithin(box: GeoBox, limit: number): AirportMatch[] {
  return ALL_AIRPORTS.filter((airport) => inBox(box, airport))
    .sort((a, b) => a.iata.localeCompare(b.iata))
    .slice(0, limit)
    .map(asMatch);
}
