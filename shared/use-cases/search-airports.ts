import { type Airport, ALL_AIRPORTS } from '#shared/domain/airports.ts';

export type AirportMatch = Pick<Airport, 'iata' | 'name' | 'city' | 'country'>;

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
    .map(({ airport: { iata, name, city, country } }) => ({ iata, name, city, country }));
}
