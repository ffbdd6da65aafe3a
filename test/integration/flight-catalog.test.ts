/**
 * The flight catalog's window queries against DynamoDB Local, with the tables and indexes
 * of shared/tables.ts: half-open windows (a departure at the start is in, at the end out)
 * and hour buckets that span midnight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { Flight } from '#shared/domain/model.ts';
import type { FlightCatalog } from '#shared/ports/stores.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

const flight = (flightNumber: string, origin: string, departure: string): Flight => ({
  flightNumber,
  carrier: flightNumber.slice(0, 2),
  date: departure.slice(0, 10),
  origin,
  destination: 'ARN',
  departure,
  arrival: new Date(Date.parse(departure) + 60 * 60 * 1000).toISOString(),
});

const FLIGHTS = [
  flight('AY100', 'HEL', '2026-11-23T09:59:59Z'),
  flight('AY101', 'HEL', '2026-11-23T10:00:00Z'),
  flight('AY102', 'HEL', '2026-11-23T13:59:00+02:00'),
  flight('AY103', 'HEL', '2026-11-23T12:00:00Z'),
  flight('AY104', 'OUL', '2026-11-23T11:00:00Z'),
  flight('AY200', 'TLL', '2026-11-23T22:00:00Z'),
  flight('AY201', 'RIX', '2026-11-23T22:30:00Z'),
  flight('AY202', 'OSL', '2026-11-24T01:10:00+02:00'),
  flight('AY203', 'CPH', '2026-11-24T00:20:00Z'),
  flight('AY204', 'HEL', '2026-11-24T01:29:59Z'),
  flight('AY205', 'HEL', '2026-11-24T01:30:00Z'),
  flight('AY206', 'HEL', '2026-11-24T02:00:00Z'),
];

let dynamoDb: RunningDynamoDb;
let catalog: FlightCatalog;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoFlightCatalog } = await import('#shared/adapters/dynamodb/flight-catalog.ts');
  catalog = new DynamoFlightCatalog();
  await catalog.putMany(FLIGHTS);
});

afterAll(async () => {
  await dynamoDb?.stop();
});

async function numbers(flights: AsyncIterable<Flight>): Promise<string[]> {
  const found: string[] = [];
  for await (const each of flights) found.push(each.flightNumber);
  return found;
}

describe('DynamoFlightCatalog', () => {
  it('departingFrom: a departure at the window start is in, one at its end is out', async () => {
    const window = { start: '2026-11-23T10:00:00Z', end: '2026-11-23T12:00:00Z' };
    expect(await numbers(catalog.departingFrom('HEL', window))).toEqual(['AY101', 'AY102']);
  });

  it('departingBetween: every airport, across hour buckets and midnight, at start in and at end out', async () => {
    const window = { start: '2026-11-23T22:30:00Z', end: '2026-11-24T01:30:00Z' };
    // AY202 departs 23:10Z, written with a +02:00 offset on the next local day.
    expect(await numbers(catalog.departingBetween(window))).toEqual(['AY201', 'AY202', 'AY203', 'AY204']);
  });

  it('departingBetween: bounds inside an hour bucket keep the half-open rule', async () => {
    // Bucket 10 holds AY101 at 10:00:00 (before the start); bucket 11 holds AY102 at 11:59Z, exactly the end.
    const window = { start: '2026-11-23T10:00:01Z', end: '2026-11-23T11:59:00Z' };
    expect(await numbers(catalog.departingBetween(window))).toEqual(['AY104']);
  });
});
