/**
 * Issue 16, item 1: work bounded by Herald, not by what a request asks for. Each test reproduces
 * a request that ran out of memory, threw or ran past the API's 10 s, and shows it bounded.
 */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { hoursOf } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { airportsInArea, timeOverArea } from '#shared/domain/geo.ts';
import { MAX_WINDOW_DAYS, PREVIEW_TIME_BUDGET_MS, windowErrors } from '#shared/domain/limits.ts';
import { TimeBudget } from '#shared/domain/time-budget.ts';
import { findAffectedFlights } from '#shared/use-cases/affected-flights.ts';
import { previewBroadcast, previewBudget } from '#shared/use-cases/preview-broadcast.ts';
import { aFlight, anIncident } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';
import { FakeFlightCatalog } from '#test/support/fakes.ts';

/** A clock that moves on `stepMs` every time it is read. */
function steppingClock(stepMs: number): () => number {
  let now = 0;
  return () => (now += stepMs);
}

/** A closed ring of `count` positions on a circle around southern Finland. */
function circleRing(count: number): number[][] {
  const ring = Array.from({ length: count - 1 }, (_, index) => {
    const angle = (2 * Math.PI * index) / (count - 1);
    return [25 + 3 * Math.cos(angle), 61 + 1.5 * Math.sin(angle)];
  });
  ring.push(ring[0] as number[]);
  return ring;
}

describe('the incident window rule', () => {
  const start = '2026-11-23T00:00:00+00:00';
  const daysLater = (days: number) => new Date(Date.parse(start) + days * 86_400_000).toISOString();

  it(`accepts a window of exactly ${MAX_WINDOW_DAYS} days`, () => {
    expect(windowErrors({ start, end: daysLater(MAX_WINDOW_DAYS) })).toEqual([]);
  });

  it(`refuses a window longer than ${MAX_WINDOW_DAYS} days, naming the limit`, () => {
    expect(windowErrors({ start, end: daysLater(MAX_WINDOW_DAYS + 0.001) })).toEqual([
      { path: 'window.end', message: `The window may last at most ${MAX_WINDOW_DAYS} days.` },
    ]);
  });

  it('refuses the years 0000 and 9999 (the window that exhausted the heap)', () => {
    const errors = windowErrors({ start: '0000-01-01T00:00:00+00:00', end: '9999-12-31T23:59:59+00:00' });

    expect(errors.map((error) => error.path)).toEqual(['window.start', 'window.end']);
    expect(errors[0]?.message).toContain('between the years 2000 and 2099');
  });

  it('refuses a window that ends before it starts', () => {
    expect(windowErrors({ start: daysLater(1), end: start })).toEqual([
      { path: 'window.end', message: 'The window must end after it starts.' },
    ]);
  });
});

describe('hour partitions of a window', () => {
  it('are enumerated one at a time: the first hours of a 10,000-year window come at once', () => {
    const started = performance.now();
    const hours = hoursOf({ start: '0000-01-01T00:00:00+00:00', end: '9999-12-31T23:59:59+00:00' });

    const firstThree = [hours.next().value, hours.next().value, hours.next().value];

    expect(firstThree).toEqual(['0000-01-01T00', '0000-01-01T01', '0000-01-01T02']);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('still cover a window touching parts of two hours', () => {
    expect([...hoursOf({ start: '2026-11-23T04:30:00Z', end: '2026-11-23T05:10:00Z' })]).toEqual([
      '2026-11-23T04',
      '2026-11-23T05',
    ]);
  });
});

describe('geometry on huge areas', () => {
  // 400,000 positions made Math.min(...spread) throw RangeError (call stack size exceeded).
  const huge: Polygon = { type: 'Polygon', coordinates: [circleRing(400_000)] };

  it('finds the airports inside a 400,000-position area', () => {
    expect(airportsInArea(huge).map((airport) => airport.iata)).toEqual(
      expect.arrayContaining(['HEL', 'TMP']),
    );
  });

  it('finds that a flight far away never crosses a 400,000-position area', () => {
    const faraway = aFlight({
      origin: 'LHR',
      destination: 'CDG',
      departure: '2026-11-23T06:00:00Z',
      arrival: '2026-11-23T07:15:00Z',
    });

    expect(timeOverArea(faraway, huge)).toEqual([]);
  });
});

describe('the time budget', () => {
  const refused = () => new ValidationError('Too slow', []);

  it('lets work go on until its time is up, then throws its error', () => {
    const budget = new TimeBudget(1000, refused, steppingClock(400));

    budget.check();
    budget.check();
    expect(() => budget.check()).toThrow(refused());
  });

  it('stops the search for affected flights once spent', async () => {
    const flights = Array.from({ length: 50 }, (_, index) =>
      aFlight({ flightNumber: `AY${index + 1}`, departure: '2026-12-01T06:00:00Z' }),
    );
    const budget = new TimeBudget(1000, refused, steppingClock(100));

    await expect(findAffectedFlights(anIncident(), new FakeFlightCatalog(flights), budget)).rejects.toThrow(
      'Too slow',
    );
  });

  it(`answers a preview that would run past ${PREVIEW_TIME_BUDGET_MS} ms with a 422 asking to narrow the incident`, async () => {
    const flights = Array.from({ length: 20 }, (_, index) =>
      aFlight({ flightNumber: `AY${index + 1}`, departure: '2026-12-01T06:00:00Z' }),
    );
    // Each read of the clock is a second later: the budget runs out within its tenth check.
    const deps = { ...(await fakeStores({ flights })), budget: () => previewBudget(steppingClock(1000)) };

    const preview = previewBroadcast(
      'incident-1',
      { templateId: 'template-1', variables: {}, channels: ['sms'], kind: 'initial' },
      deps,
    );

    await expect(preview).rejects.toBeInstanceOf(ValidationError);
    await expect(preview).rejects.toMatchObject({
      errors: [{ path: 'scope', message: expect.stringContaining('Narrow the incident') }],
    });
  });
});
