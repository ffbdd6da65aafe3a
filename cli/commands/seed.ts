import { createApiClient } from '#cli/api-client.ts';
import { EXIT } from '#cli/errors.ts';
import { formatSummary, recordSource, uploadAll } from '#cli/ndjson-upload.ts';
import { apiSettings } from '#cli/settings.ts';
import { syntheticAirline } from '#infra/local/seed/synthetic-airline.ts';

export interface SeedOptions {
  customers: number;
  seed: number;
  startDate: string;
}

/**
 * `herald seed --customers N`: generates the synthetic airline of that size and sends it
 * through the import API, record by record from its generators, as `herald import` would.
 */
export async function seedCommand(options: SeedOptions): Promise<number> {
  const client = createApiClient(apiSettings());
  const airline = syntheticAirline({
    customers: options.customers,
    seed: options.seed,
    startDate: options.startDate,
  });
  console.log(
    `Seeding ${client.apiUrl} with ${airline.counts.flights.toLocaleString('en-US')} flights, ` +
      `${airline.counts.customers.toLocaleString('en-US')} customers and ` +
      `${airline.counts.bookings.toLocaleString('en-US')} bookings from ${options.startDate} (seed ${options.seed}).`,
  );
  const summaries = await uploadAll(client, [
    recordSource('flights', 'flights', airline.counts.flights, airline.flights()),
    recordSource('customers', 'customers', airline.counts.customers, airline.customers()),
    recordSource('bookings', 'bookings', airline.counts.bookings, airline.bookings()),
  ]);
  console.log(formatSummary(summaries));
  return summaries.some((summary) => summary.rejected > 0) ? EXIT.rejected : EXIT.ok;
}
