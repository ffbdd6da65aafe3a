/**
 * One measurement in a fresh process, so its peak RSS is its own, over the affected flights of
 * one strike:
 * - `raw`: the bare Query loop over their byFlight pages;
 * - `raw-parallel`: the same Queries six at a time, as many as Herald's resolver keeps in flight;
 * - `raw-lookups`: a bare BatchGetItem loop, 100 keys a request, over the customers Herald looks
 *   up (each once, found by an untimed pass over the same pages);
 * - `herald`: Herald's audience resolution.
 * Prints one JSON line. Run by bench/audience-measure.ts.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Flight, Incident } from '#shared/domain/model.ts';
import { PROBE_MODES, type ProbeMode } from './scenarios.ts';

const [mode, incidentJson] = process.argv.slice(2) as [ProbeMode, string | undefined];
if (!PROBE_MODES.includes(mode) || !incidentJson) {
  throw new Error(`usage: audience-probe ${PROBE_MODES.join('|')} <incident json>`);
}
const incident = JSON.parse(incidentJson) as Incident;

const { dynamoDb } = await import('#shared/adapters/aws-clients.ts');
const { tablesConfig } = await import('#shared/config.ts');
const { DynamoFlightCatalog } = await import('#shared/adapters/dynamodb/flight-catalog.ts');
const { DynamoBookingIndex, passengersQuery } = await import('#shared/adapters/dynamodb/booking-index.ts');
const { DynamoCustomerDirectory } = await import('#shared/adapters/dynamodb/customer-directory.ts');
const { findAffectedFlights } = await import('#shared/use-cases/affected-flights.ts');
const { resolveAudience } = await import('#shared/use-cases/resolve-audience.ts');

const tables = tablesConfig();
const flights = await findAffectedFlights(incident, new DynamoFlightCatalog());
let items = 0;
let recipients = 0;
let pages = 0;

/** The same index pages as Herald reads, each item handed to `each`. */
async function readPages(flight: Flight, each: (item: Record<string, unknown>) => void): Promise<void> {
  let ExclusiveStartKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page: QueryCommandOutput = await dynamoDb.send(
      new QueryCommand({ ...passengersQuery(tables.bookings, flight), ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) each(item);
    pages++;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

const countItem = () => {
  items++;
};

/** Every customer on the flights once, in flight order: the keys Herald looks up. */
async function customersOnFlights(): Promise<string[]> {
  const customerIds = new Set<string>();
  for (const flight of flights) await readPages(flight, (item) => customerIds.add(String(item.customerId)));
  return [...customerIds];
}

/** Herald's own lookup, 100 customers a BatchGetItem, one request at a time. */
async function lookUpAll(customerIds: string[]): Promise<void> {
  const customers = new DynamoCustomerDirectory();
  for (let offset = 0; offset < customerIds.length; offset += 100) {
    items += (await customers.getMany(customerIds.slice(offset, offset + 100))).length;
  }
}

const lookupKeys = mode === 'raw-lookups' ? await customersOnFlights() : [];
pages = 0;
const started = performance.now();
switch (mode) {
  case 'raw':
    for (const flight of flights) await readPages(flight, countItem);
    break;
  case 'raw-parallel': {
    let next = 0;
    const lane = async () => {
      for (let flight = flights[next++]; flight; flight = flights[next++]) await readPages(flight, countItem);
    };
    await Promise.all(Array.from({ length: 6 }, lane));
    break;
  }
  case 'raw-lookups':
    await lookUpAll(lookupKeys);
    break;
  case 'herald': {
    const deps = { bookings: new DynamoBookingIndex(), customers: new DynamoCustomerDirectory() };
    for await (const member of resolveAudience(flights, deps)) {
      items++;
      if (!member.exclusion) recipients++;
    }
    break;
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    mode,
    flights: flights.length,
    pages,
    items,
    recipients,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
