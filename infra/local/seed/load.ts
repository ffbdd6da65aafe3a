import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import type { DemoAirline } from './demo-airline.ts';

/** Writes an airline and templates through the same adapters the handlers read with. */
export async function loadAirline(airline: DemoAirline, templates: TemplateVersion[]): Promise<void> {
  const flights = new DynamoFlightCatalog();
  const customers = new DynamoCustomerDirectory();
  const bookings = new DynamoBookingIndex();
  const templateStore = new DynamoTemplateStore();
  await flights.putMany(airline.flights);
  await customers.putMany(airline.customers);
  await bookings.putSegments(
    airline.bookings.flatMap((booking) =>
      booking.segments.flatMap((segment) =>
        booking.passengers.map((customerId) => ({ bookingRef: booking.bookingRef, customerId, ...segment })),
      ),
    ),
  );
  await Promise.all(templates.map((template) => templateStore.put(template)));
}
