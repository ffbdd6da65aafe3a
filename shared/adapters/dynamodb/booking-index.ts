import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { tablesConfig } from '#shared/config.ts';
import type { Booking, FlightRef, PassengerSegment } from '#shared/domain/model.ts';
import type { BookingLookup } from '#shared/ports/passenger-lookup.ts';
import type { BookingIndex, BookingWriter } from '#shared/ports/stores.ts';
import { deleteAll, writeAll } from './batch-write.ts';
import { flightKey } from './keys.ts';
import { queryPages } from './paginate.ts';

/** Bookings queried at once while looking for the items a new version dropped. */
const QUERY_CONCURRENCY = 16;

const segmentSk = (segment: PassengerSegment) => `${flightKey(segment)}#${segment.customerId}`;

function segmentsOf(booking: Booking): PassengerSegment[] {
  return booking.segments.flatMap((segment) =>
    booking.passengers.map((customerId) => ({ bookingRef: booking.bookingRef, customerId, ...segment })),
  );
}

/**
 * The passengers of one flight: its byFlight index pages, with only the two attributes that are
 * not the flight itself. DynamoDB bills the whole item either way; what this saves is the bytes
 * sent and parsed, about two thirds (the benchmark's bare Query loop sends this same request).
 */
export function passengersQuery(table: string, ref: FlightRef): QueryCommandInput {
  return {
    TableName: table,
    IndexName: 'byFlight',
    KeyConditionExpression: 'flightKey = :flight',
    ExpressionAttributeValues: { ':flight': flightKey(ref) },
    ProjectionExpression: 'bookingRef, customerId',
  };
}

/**
 * Bookings table: one item per passenger per segment, found by flight through the byFlight GSI,
 * and by booking reference on its own partition.
 */
export class DynamoBookingIndex implements BookingIndex, BookingLookup, BookingWriter {
  private readonly table = tablesConfig().bookings;

  async segmentsOf(bookingRef: string): Promise<PassengerSegment[]> {
    const segments: PassengerSegment[] = [];
    for await (const items of queryPages({
      TableName: this.table,
      KeyConditionExpression: 'bookingRef = :ref',
      ExpressionAttributeValues: { ':ref': bookingRef },
      ProjectionExpression: 'bookingRef, customerId, flightNumber, #date',
      ExpressionAttributeNames: { '#date': 'date' },
    })) {
      segments.push(...(items as unknown as PassengerSegment[]));
    }
    return segments;
  }

  async *passengersOn(ref: FlightRef): AsyncIterable<PassengerSegment[]> {
    for await (const items of queryPages(passengersQuery(this.table, ref))) {
      yield items.map((item) => {
        const { bookingRef, customerId } = item as Pick<PassengerSegment, 'bookingRef' | 'customerId'>;
        return { bookingRef, customerId, flightNumber: ref.flightNumber, date: ref.date };
      });
    }
  }

  async putSegments(segments: PassengerSegment[]): Promise<void> {
    // One BatchWrite may not name a key twice: the last occurrence wins, as a later write would.
    const items = new Map<string, Record<string, unknown>>();
    for (const segment of segments) {
      items.set(`${segment.bookingRef}\n${segmentSk(segment)}`, {
        ...segment,
        sk: segmentSk(segment),
        flightKey: flightKey(segment),
        paxKey: `${segment.customerId}#${segment.bookingRef}`,
      });
    }
    await writeAll(this.table, [...items.values()]);
  }

  /**
   * Writes the new items while looking up the stored ones, and deletes the dropped ones only
   * after both, so a booking is never without its current segments; a failure in between
   * leaves extra items that the next import of the same booking removes.
   */
  async replaceBookings(versions: Booking[]): Promise<void> {
    // The same reference twice: the last version is the booking, as with two imports in a row.
    const bookings = [...new Map(versions.map((booking) => [booking.bookingRef, booking])).values()];
    const [, stale] = await Promise.all([
      this.putSegments(bookings.flatMap(segmentsOf)),
      this.staleItems(bookings),
    ]);
    await deleteAll(this.table, stale);
  }

  /** Keys of stored items that the given versions of their bookings no longer have (Query by bookingRef). */
  private async staleItems(bookings: Booking[]): Promise<Record<string, unknown>[]> {
    const stale: Record<string, unknown>[] = [];
    await pMap(
      bookings,
      async (booking) => {
        // Items this import is writing right now may already show up here: they are current, so kept.
        const current = new Set(segmentsOf(booking).map(segmentSk));
        for await (const items of queryPages({
          TableName: this.table,
          KeyConditionExpression: 'bookingRef = :ref',
          ExpressionAttributeValues: { ':ref': booking.bookingRef },
          ProjectionExpression: 'bookingRef, sk',
        })) {
          for (const item of items) {
            if (typeof item.sk === 'string' && !current.has(item.sk))
              stale.push({ bookingRef: booking.bookingRef, sk: item.sk });
          }
        }
      },
      { concurrency: QUERY_CONCURRENCY },
    );
    return stale;
  }
}
