/**
 * Which flights a scope touches (brief, "What affected means"), each found by an index
 * Query, never a Scan.
 */

import { airportsInArea, isOverAreaDuring } from '#shared/domain/geo.ts';
import type { Flight, Incident } from '#shared/domain/model.ts';
import type { TimeBudget } from '#shared/domain/time-budget.ts';
import type { FlightCatalog } from '#shared/ports/stores.ts';

/** Longer than any scheduled flight: an overflight can have departed this long before the window. */
export const MAX_FLIGHT_DURATION_MS = 20 * 60 * 60 * 1000;

/** A flight's identity: its number and date. */
export const flightKeyOf = (flight: Flight) => `${flight.flightNumber}#${flight.date}`;

/** Index queries one search has in flight at once: its selectors are read side by side. */
export const FLIGHT_QUERIES_IN_FLIGHT = 6;

/**
 * Every affected flight once, soonest departure first (flights leaving at the same time by
 * number and date, so every search lists them in the same order).
 * 1. explicit flights, whatever the window;
 * 2. departures from and arrivals at the scope's airports, and at every airport inside its
 *    area, inside the window;
 * 3. with `includeOverflights`, flights departing up to the longest flight time before the
 *    window and over the area at some instant of it;
 * 4. with carriers alone, every flight of those carriers departing or arriving inside the window;
 * 5. carriers narrow whatever steps 1–3 found.
 * The queries of steps 1–4 run FLIGHT_QUERIES_IN_FLIGHT at a time rather than one after the
 * other: the planner waits for all of them before its first SMS.
 * With a budget, every flight read checks it, so a scope too wide for the time stops early.
 */
export async function findAffectedFlights(
  incident: Incident,
  catalog: FlightCatalog,
  budget?: TimeBudget,
): Promise<Flight[]> {
  const { scope, window } = incident;
  const queries: (() => AsyncIterable<Flight | undefined>)[] = [];

  for (const ref of scope.flights ?? [])
    queries.push(async function* () {
      yield await catalog.get(ref);
    });
  const areaAirports = scope.area ? airportsInArea(scope.area).map((airport) => airport.iata) : [];
  for (const airport of new Set([...(scope.airports ?? []), ...areaAirports])) {
    queries.push(() => catalog.departingFrom(airport, window));
    queries.push(() => catalog.arrivingAt(airport, window));
  }
  const { area } = scope;
  if (area && scope.includeOverflights) {
    const airborne = {
      start: new Date(Date.parse(window.start) - MAX_FLIGHT_DURATION_MS).toISOString(),
      end: window.end,
    };
    queries.push(async function* () {
      for await (const flight of catalog.departingBetween(airborne))
        yield isOverAreaDuring(flight, area, window) ? flight : undefined;
    });
  }
  const carriers = scope.carriers ?? [];
  const hasOtherSelector =
    (scope.flights?.length ?? 0) > 0 || (scope.airports?.length ?? 0) > 0 || scope.area !== undefined;
  if (!hasOtherSelector) {
    for (const carrier of carriers) {
      queries.push(() => catalog.departingForCarrier(carrier, window));
      queries.push(() => catalog.arrivingForCarrier(carrier, window));
    }
  }

  const found = new Map<string, Flight>();
  let next = 0;
  const lane = async () => {
    for (let query = queries[next++]; query; query = queries[next++]) {
      budget?.check();
      for await (const flight of query()) {
        budget?.check();
        if (flight) found.set(flightKeyOf(flight), flight);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FLIGHT_QUERIES_IN_FLIGHT, queries.length) }, lane));

  const flights = [...found.values()].filter(
    (flight) => carriers.length === 0 || carriers.includes(flight.carrier),
  );
  return flights.sort(
    (a, b) =>
      Date.parse(a.departure) - Date.parse(b.departure) || flightKeyOf(a).localeCompare(flightKeyOf(b)),
  );
}

/**
 * Tells which affected flights are affected only by crossing the area in the air: neither end is
 * one of the scope's airports or inside its area, nor was the flight named. The maps draw these
 * apart. The area's airports are found once, for all the flights asked about.
 */
export function overflightTest(incident: Incident): (flight: Flight) => boolean {
  const { scope } = incident;
  if (!scope.area || !scope.includeOverflights) return () => false;
  const grounded = new Set([
    ...(scope.airports ?? []),
    ...airportsInArea(scope.area).map((airport) => airport.iata),
  ]);
  const named = new Set((scope.flights ?? []).map((ref) => `${ref.flightNumber}#${ref.date}`));
  return (flight) =>
    !named.has(flightKeyOf(flight)) && !grounded.has(flight.origin) && !grounded.has(flight.destination);
}
