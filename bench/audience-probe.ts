/**
 * One measurement in a fresh process, so its peak RSS is its own: either the bare Query loop
 * over the byFlight pages of the affected flights (`raw`), or Herald's audience resolution over
 * the same flights (`herald`). Prints one JSON line. Run by bench/audience.ts.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '#shared/domain/model.ts';

const [mode, incidentJson] = process.argv.slice(2);
if ((mode !== 'raw' && mode !== 'herald') || !incidentJson)
  throw new Error('usage: audience-probe raw|herald <incident json>');
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

if (mode === 'raw') {
  // The floor: the same index pages, nothing done with them.
  const table = tablesConfig().bookings;
  for (const flight of flights) {
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
