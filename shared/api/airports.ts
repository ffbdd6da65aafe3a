import type { Airport } from '#shared/domain/airports.ts';

/** An airport as the console's picker and map show it: named, and placed by its coordinates. */
export type AirportMatch = Pick<Airport, 'iata' | 'name' | 'city' | 'country' | 'latitude' | 'longitude'>;

/** GET /airports: those matching `q`, best first, or those within a box, by code. */
export interface AirportList {
  items: AirportMatch[];
}
