import { describe, expect, it } from 'vitest';
import { findAffectedFlights } from '#shared/domain/affected-flights.ts';
import type { Flight, FlightRef, Incident, Scope, TimeWindow } from '#shared/domain/model.ts';
import type { FlightCatalog } from '#shared/ports/stores.ts';

/** The half-open window rule, applied to an in-memory list (the DynamoDB version is tested end to end). */
class ListCatalog implements FlightCatalog {
  constructor(private readonly flights: Flight[]) {}
  async get(ref: FlightRef) {
    return this.flights.find((f) => f.flightNumber === ref.flightNumber && f.date === ref.date);
  }
  departingFrom(airport: string, window: TimeWindow) {
    return this.where((f) => f.origin === airport && inside(f.departure, window));
  }
  arrivingAt(airport: string, window: TimeWindow) {
    return this.where((f) => f.destination === airport && inside(f.arrival, window));
  }
  departingForCarrier(carrier: string, window: TimeWindow) {
    return this.where((f) => f.carrier === carrier && inside(f.departure, window));
  }
  arrivingForCarrier(carrier: string, window: TimeWindow) {
    return this.where((f) => f.carrier === carrier && inside(f.arrival, window));
  }
  async put() {}
  private async *where(test: (flight: Flight) => boolean) {
    yield* this.flights.filter(test);
  }
}
const inside = (iso: string, w: TimeWindow) =>
  Date.parse(iso) >= Date.parse(w.start) && Date.parse(iso) < Date.parse(w.end);

const flight = (
  flightNumber: string,
  origin: string,
  destination: string,
  departure: string,
  arrival: string,
  carrier = flightNumber.slice(0, 2),
): Flight => ({
  flightNumber,
  carrier,
  date: departure.slice(0, 10),
  origin,
  destination,
  departure,
  arrival,
});

const window = { start: '2026-11-23T06:00:00+00:00', end: '2026-11-23T12:00:00+00:00' };
const incident = (scope: Scope): Incident => ({
  id: 'i1',
  type: 'strike',
  title: 't',
  severity: 'severe',
  window,
  scope,
  status: 'open',
  createdAt: '',
  createdBy: 'u',
});

const catalog = new ListCatalog([
  flight('AY2', 'HEL', 'ARN', '2026-11-23T11:00:00Z', '2026-11-23T12:00:00Z'),
  flight('AY1', 'HEL', 'ARN', '2026-11-23T06:00:00Z', '2026-11-23T07:00:00Z'),
  flight('AY3', 'HEL', 'OSL', '2026-11-23T12:00:00Z', '2026-11-23T13:30:00Z'),
  flight('AY4', 'OSL', 'HEL', '2026-11-23T04:00:00Z', '2026-11-23T06:30:00Z'),
  flight('SK5', 'HEL', 'CPH', '2026-11-23T08:00:00Z', '2026-11-23T09:45:00Z'),
  flight('SK6', 'CPH', 'OSL', '2026-11-23T06:00:00+01:00', '2026-11-23T07:10:00+01:00'),
  flight('AY9', 'RIX', 'TLL', '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z'),
]);
const numbers = (flights: Flight[]) => flights.map((f) => f.flightNumber);

describe('findAffectedFlights', () => {
  it('takes departures and arrivals inside the half-open window: at start is in, at end is out', async () => {
    expect(numbers(await findAffectedFlights(incident({ airports: ['HEL'] }), catalog))).toEqual([
      'AY4',
      'AY1',
      'SK5',
      'AY2',
    ]);
  });

  it('orders the flights by departure, soonest first', async () => {
    const flights = await findAffectedFlights(incident({ airports: ['HEL', 'OSL'] }), catalog);
    expect(flights.map((f) => Date.parse(f.departure))).toEqual(
      [...flights.map((f) => Date.parse(f.departure))].sort((a, b) => a - b),
    );
  });

  it('takes explicitly listed flights whatever the window', async () => {
    expect(
      numbers(
        await findAffectedFlights(
          incident({ flights: [{ flightNumber: 'AY9', date: '2026-11-24' }] }),
          catalog,
        ),
      ),
    ).toEqual(['AY9']);
  });

  it('narrows other selectors to the listed carriers', async () => {
    expect(
      numbers(await findAffectedFlights(incident({ airports: ['HEL'], carriers: ['SK'] }), catalog)),
    ).toEqual(['SK5']);
  });

  it('with carriers alone, takes the carrier flights departing or arriving inside the window', async () => {
    // SK6 departs 05:00Z, before the window, and arrives 06:10Z, inside it.
    expect(numbers(await findAffectedFlights(incident({ carriers: ['SK'] }), catalog))).toEqual([
      'SK6',
      'SK5',
    ]);
    expect(numbers(await findAffectedFlights(incident({ carriers: ['AY'] }), catalog))).toEqual([
      'AY4',
      'AY1',
      'AY2',
    ]);
  });
});
