import { tablesConfig } from '#shared/config.ts';
import type { FlightRef, PassengerSegment } from '#shared/domain/model.ts';
import type { BookingIndex } from '#shared/ports/stores.ts';
import { writeAll } from './batch-write.ts';
import { flightKey } from './keys.ts';
import { queryPages } from './paginate.ts';

/** Bookings table: one item per passenger per segment, found by flight through the byFlight GSI. */
export class DynamoBookingIndex implements BookingIndex {
  private readonly table = tablesConfig().bookings;

  async *passengersOn(ref: FlightRef): AsyncIterable<PassengerSegment[]> {
    const pages = queryPages({
      TableName: this.table,
      IndexName: 'byFlight',
      KeyConditionExpression: 'flightKey = :flight',
      ExpressionAttributeValues: { ':flight': flightKey(ref) },
    });
    for await (const items of pages) {
      yield items.map((item) => {
        const { bookingRef, customerId, flightNumber, date } = item as unknown as PassengerSegment;
        return { bookingRef, customerId, flightNumber, date };
      });
    }
  }

  async putSegments(segments: PassengerSegment[]): Promise<void> {
    await writeAll(
      this.table,
      segments.map((segment) => ({
        ...segment,
        sk: `${flightKey(segment)}#${segment.customerId}`,
        flightKey: flightKey(segment),
        paxKey: `${segment.customerId}#${segment.bookingRef}`,
      })),
    );
  }
}
