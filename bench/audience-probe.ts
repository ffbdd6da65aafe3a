/**
 * One measurement in a fresh process, so its peak RSS is its own: the bare Query loop over the
 * byFlight pages of the affected flights (`raw`), the same Queries six at a time
 * (`raw-parallel`), or Herald's audience resolution over the same flights (`herald`). Prints
 * one JSON line. Run by bench/audience.ts.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '#shared/domain/model.ts';

const MODES = ['raw', 'raw-parallel', 'herald'] as const;
const [mode, incidentJson] = process.argv.slice(2);
if (!MODES.some((known) => known === mode) || !incidentJson) {
  throw new Error(`usage: audience-probe ${MODES.join('|')} <incident json>`);
}
const incident = JSON.parse(incidentJson) as Incident;

const { dynamoDb } = await import('#shared/clients/aws.ts');
const { tablesConfig } = await import('#shared/config.ts');
const { DynamoFlightCatalog } = await import('#shared/adapters/dynamodb/flight-catalog.ts');
const { DynamoBookingIndex } = await import('#shared/adapters/dynamodb/booking-index.ts');
const { DynamoCustomerDirectory } = await import('#shared/adapters/dynamodb/customer-directory.ts');
const { findAffectedFlights } = await import('#shared/domain/affected-flights.ts');
const { resolveAudience } = await import('#shared/use-cases/resolve-audience.ts');

const flights = await findAffectedFlights(incident, new DynamoFlightCatalog());
const started = performance.now();
let items = 0;
let recipients = 0;
let pages = 0;

/** The floor: the same index pages, nothing done with them. */
async function readPages(flight: (typeof flights)[number], table: string): Promise<void> {
  let ExclusiveStartKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page: QueryCommandOutput = await dynamoDb.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byFlight',
        KeyConditionExpression: 'flightKey = :flight',
        ExpressionAttributeValues: { ':flight': `${flight.flightNumber}#${flight.date}` },
        ExclusiveStartKey,
      }),
    );
    items += page.Items?.length ?? 0;
    pages++;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

if (mode === 'raw') {
  for (const flight of flights) await readPages(flight, tablesConfig().bookings);
} else if (mode === 'raw-parallel') {
  // As many Queries in flight as Herald's resolver keeps: the ceiling for its first stage.
  let next = 0;
  const lane = async () => {
    for (let flight = flights[next++]; flight; flight = flights[next++])
      await readPages(flight, tablesConfig().bookings);
  };
  await Promise.all(Array.from({ length: 6 }, lane));
} else {
  const deps = { bookings: new DynamoBookingIndex(), customers: new DynamoCustomerDirectory() };
  for await (const member of resolveAudience(flights, deps)) {
    items++;
    if (!member.exclusion) recipients++;
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
