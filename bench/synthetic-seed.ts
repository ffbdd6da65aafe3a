/**
 * Writes a synthetic airline straight into DynamoDB through Herald's own adapters, chunk by
 * chunk from its generators (the import API would add HTTP per chunk, which a benchmark's
 * setup does not need to measure). Call after the environment points at the tables.
 */
import type { SyntheticAirline } from '#infra/local/seed/synthetic-airline.ts';
import type { PassengerSegment } from '#shared/domain/model.ts';

const CHUNK = 2_000;

async function inChunks<T>(items: Iterable<T>, write: (chunk: T[]) => Promise<void>): Promise<number> {
  let chunk: T[] = [];
  let count = 0;
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === CHUNK) {
      await write(chunk);
      count += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(chunk);
  return count + chunk.length;
}

function* passengerSegments(airline: SyntheticAirline): Generator<PassengerSegment> {
  for (const booking of airline.bookings()) {
    for (const segment of booking.segments) {
      for (const customerId of booking.passengers)
        yield { bookingRef: booking.bookingRef, customerId, ...segment };
    }
  }
}

export interface SeedFigures {
  flights: number;
  customers: number;
  passengerSegments: number;
  seconds: number;
}

/** Seeds the airline, telling `log` what it writes and how long it took. */
export async function seedSynthetic(
  airline: SyntheticAirline,
  log: (line: string) => void,
): Promise<SeedFigures> {
  log(`Seeding a synthetic airline with ${airline.counts.bookings} bookings…`);
  const { DynamoFlightCatalog } = await import('#shared/adapters/dynamodb/flight-catalog.ts');
  const { DynamoBookingIndex } = await import('#shared/adapters/dynamodb/booking-index.ts');
  const { writeAll } = await import('#shared/adapters/dynamodb/batch-write.ts');
  const { tablesConfig } = await import('#shared/config.ts');
  const started = performance.now();
  const flights = await inChunks(airline.flights(), (chunk) => new DynamoFlightCatalog().putMany(chunk));
  log(`  flights            ${flights}`);
  // A fresh table has no opt-outs to keep, so customers go in with plain BatchWrites.
  const customers = await inChunks(airline.customers(), (chunk) =>
    writeAll(
      tablesConfig().customers,
      chunk.map((customer) => ({ ...customer })),
    ),
  );
  log(`  customers          ${customers}`);
  const bookings = new DynamoBookingIndex();
  const passengerSegmentCount = await inChunks(passengerSegments(airline), (chunk) =>
    bookings.putSegments(chunk),
  );
  log(`  passenger-segments ${passengerSegmentCount}`);
  const seconds = (performance.now() - started) / 1000;
  log(`  seeded in ${seconds.toFixed(0)} s`);
  return { flights, customers, passengerSegments: passengerSegmentCount, seconds };
}
