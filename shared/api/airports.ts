import type { Airport } from '#shared/domain/airports.ts';

/**
 * GET /airports (`{ items }`): an airport as the console's picker and map show it, named and
 * placed by its coordinates.
 */
export type AirportMatch = Pick<Airport, 'iata' | 'name' | 'city' | 'country' | 'latitude' | 'longitude'>;
