import type { Polygon } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import type { Flight, FlightRef, Incident, Scope, TimeWindow } from '#shared/domain/model.ts';
import type { FlightCatalog } from '#shared/ports/stores.ts';
import { findAffectedFlights } from '#shared/use-cases/affected-flights.ts';

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
  departingBetween(window: TimeWindow) {
    return this.where((f) => inside(f.departure, window));
  }
  async putMany() {}
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

  it('orders flights leaving at the same time by number and date, whatever order the catalog lists them in', async () => {
    const sameTime = [
      flight('AY2', 'HEL', 'ARN', '2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z'),
      flight('AY10', 'HEL', 'OSL', '2026-11-23T08:00:00Z', '2026-11-23T09:30:00Z'),
    ];
    for (const listed of [sameTime, [...sameTime].reverse()]) {
      expect(
        numbers(await findAffectedFlights(incident({ airports: ['HEL'] }), new ListCatalog(listed))),
      ).toEqual(['AY10', 'AY2']);
    }
  });

  it('sends its index queries side by side, not each after the last has answered', async () => {
    let started = 0;
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    /** Every carrier query waits until `answer` is called. */
    class HeldCatalog extends ListCatalog {
      override departingForCarrier(carrier: string, window: TimeWindow) {
        return this.held(super.departingForCarrier(carrier, window));
      }
      override arrivingForCarrier(carrier: string, window: TimeWindow) {
        return this.held(super.arrivingForCarrier(carrier, window));
      }
      private async *held(flights: AsyncIterable<Flight>) {
        started++;
        await answered;
        yield* flights;
      }
    }
    const search = findAffectedFlights(
      incident({ carriers: ['AY', 'SK'] }),
      new HeldCatalog([flight('SK5', 'HEL', 'CPH', '2026-11-23T08:00:00Z', '2026-11-23T09:45:00Z')]),
    );

    await vi.waitFor(() => expect(started).toBe(4));
    answer();
    expect(numbers(await search)).toEqual(['SK5']);
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

  it('with an area, takes the flights of every airport inside it like listed airports', async () => {
    const southernFinland: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [21, 59.7],
          [27, 59.7],
          [27, 62],
          [21, 62],
          [21, 59.7],
        ],
      ],
    };
    expect(numbers(await findAffectedFlights(incident({ area: southernFinland }), catalog))).toEqual([
      'AY4',
      'AY1',
      'SK5',
      'AY2',
    ]);
  });

  describe('overflights of an area with no airport inside (the sea between Åland and Sweden)', () => {
    const alandSea: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [18.8, 59.5],
          [19.6, 59.5],
          [19.6, 62],
          [18.8, 62],
          [18.8, 59.5],
        ],
      ],
    };
    // Window 06:00–12:00. Times over the sea from the great-circle model, to the minute.
    const overflights = new ListCatalog([
      flight('AY20', 'JFK', 'HEL', '2026-11-22T22:00:00Z', '2026-11-23T07:00:00Z'), // over 06:29–06:33, departed 8 h before
      flight('AY21', 'ARN', 'HEL', '2026-11-23T05:50:00Z', '2026-11-23T06:50:00Z'), // over 05:57–06:04
      flight('AY22', 'OSL', 'HEL', '2026-11-23T04:00:00Z', '2026-11-23T06:30:00Z'), // over 05:23–05:32: before
      flight('AY23', 'HEL', 'ARN', '2026-11-23T06:00:00Z', '2026-11-23T07:00:00Z'), // over 06:45–06:52
      flight('SK24', 'ARN', 'HEL', '2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z'), // over 08:07–08:14
      flight('AY25', 'HEL', 'ARN', '2026-11-23T11:30:00Z', '2026-11-23T12:30:00Z'), // over 12:15–12:22: after
      flight('SK26', 'CPH', 'OSL', '2026-11-23T08:00:00Z', '2026-11-23T09:10:00Z'), // never over it
      flight('AY27', 'HEL', 'OUL', '2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z'), // never over it
    ]);

    it('without includeOverflights, takes nothing: no airport lies inside', async () => {
      expect(await findAffectedFlights(incident({ area: alandSea }), overflights)).toEqual([]);
    });

    it('with includeOverflights, takes the flights over it inside the window, long-haul departures before it too', async () => {
      expect(
        numbers(
          await findAffectedFlights(incident({ area: alandSea, includeOverflights: true }), overflights),
        ),
      ).toEqual(['AY20', 'AY21', 'AY23', 'SK24']);
    });

    it('carriers narrow the overflights, and do not add the carrier flights elsewhere', async () => {
      expect(
        numbers(
          await findAffectedFlights(
            incident({ area: alandSea, includeOverflights: true, carriers: ['SK'] }),
            overflights,
          ),
        ),
      ).toEqual(['SK24']);
    });
  });
});
