/**
 * Which flights a scope touches (brief, "What affected means"), each found by an index
 * Query, never a Scan.
 */

import type { FlightCatalog } from '#shared/ports/stores.ts';
import type { Flight, Incident } from './model.ts';

const keyOf = (flight: Flight) => `${flight.flightNumber}#${flight.date}`;

/**
 * Every affected flight once, soonest departure first.
 * 1. explicit flights, whatever the window;
 * 2. departures from and arrivals at the scope's airports inside the window;
 * 3. with carriers alone, every flight of those carriers departing or arriving inside the window;
 * 4. carriers narrow whatever steps 1–2 found.
 */
export async function findAffectedFlights(incident: Incident, catalog: FlightCatalog): Promise<Flight[]> {
  const { scope, window } = incident;
  const found = new Map<string, Flight>();
  const add = (flight: Flight | undefined) => {
    if (flight) found.set(keyOf(flight), flight);
  };

  for (const ref of scope.flights ?? []) add(await catalog.get(ref));
  for (const airport of scope.airports ?? []) {
    for await (const flight of catalog.departingFrom(airport, window)) add(flight);
    for await (const flight of catalog.arrivingAt(airport, window)) add(flight);
  }
  const carriers = scope.carriers ?? [];
  const hasOtherSelector = (scope.flights?.length ?? 0) > 0 || (scope.airports?.length ?? 0) > 0;
  if (!hasOtherSelector) {
    for (const carrier of carriers) {
      for await (const flight of catalog.departingForCarrier(carrier, window)) add(flight);
      for await (const flight of catalog.arrivingForCarrier(carrier, window)) add(flight);
    }
  }

  const flights = [...found.values()].filter(
    (flight) => carriers.length === 0 || carriers.includes(flight.carrier),
  );
  return flights.sort((a, b) => Date.parse(a.departure) - Date.parse(b.departure));
}
