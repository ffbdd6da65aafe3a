/**
 * The DynamoDB tables, described once: the local stack creates them from this list and
 * the CDK stateful stack declares them from it, so both always have the same keys and
 * indexes. Every access pattern is a GetItem, BatchGetItem or Query on these keys.
 */

export type TableKey = 'flights' | 'customers' | 'bookings' | 'herald' | 'deliveries';

export interface KeyDefinition {
  partitionKey: string;
  sortKey?: string;
}

export interface IndexDefinition extends KeyDefinition {
  indexName: string;
}

export interface TableDefinition extends KeyDefinition {
  key: TableKey;
  /** Name used locally and as the CDK construct id; the env variable points handlers at it. */
  name: string;
  envVar: string;
  indexes: IndexDefinition[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item. */
  timeToLiveAttribute?: string;
  /** A change stream with each write's old and new item, for the table's stream consumers. */
  stream?: boolean;
}

export const TABLES: readonly TableDefinition[] = [
  {
    key: 'flights',
    name: 'herald-flights',
    envVar: 'FLIGHTS_TABLE',
    // flightKey = "<flightNumber>#<date>"
    partitionKey: 'flightKey',
    indexes: [
      { indexName: 'byOrigin', partitionKey: 'origin', sortKey: 'departureUtc' },
      { indexName: 'byDestination', partitionKey: 'destination', sortKey: 'arrivalUtc' },
      { indexName: 'byCarrierDeparture', partitionKey: 'carrier', sortKey: 'departureUtc' },
      { indexName: 'byCarrierArrival', partitionKey: 'carrier', sortKey: 'arrivalUtc' },
      // departureHour = UTC "YYYY-MM-DDTHH": every flight in the air over an area, one Query per hour.
      { indexName: 'byDepartureHour', partitionKey: 'departureHour', sortKey: 'departureUtc' },
    ],
  },
  {
    key: 'customers',
    name: 'herald-customers',
    envVar: 'CUSTOMERS_TABLE',
    partitionKey: 'customerId',
    indexes: [{ indexName: 'byPhone', partitionKey: 'phone' }],
  },
  {
    key: 'bookings',
    name: 'herald-bookings',
    envVar: 'BOOKINGS_TABLE',
    // One item per passenger per segment: sk = "<flightKey>#<customerId>"
    partitionKey: 'bookingRef',
    sortKey: 'sk',
    indexes: [{ indexName: 'byFlight', partitionKey: 'flightKey', sortKey: 'paxKey' }],
  },
  {
    key: 'herald',
    name: 'herald-main',
    envVar: 'HERALD_TABLE',
    // Incidents, broadcasts, templates, idempotency keys, inbound messages ("INBOUND#<MessageSid>"):
    // pk/sk by entity ("INCIDENT#<id>", "META").
    partitionKey: 'pk',
    sortKey: 'sk',
    // Rate-limiter windows, leases and inbound messages (400 days) expire; nothing else sets it.
    timeToLiveAttribute: 'expiresAt',
    indexes: [{ indexName: 'byType', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  {
    key: 'deliveries',
    // Named anew when its key became sharded: a table's key cannot change in place, and a data
    // directory (or stack) holding the old table keeps it apart (docs/operations.md).
    name: 'herald-delivery-ledger',
    envVar: 'DELIVERIES_TABLE',
    // pk = "<broadcastId>#<shard>", sk = "<channel>#<recipientId>": a broadcast's records spread
    // over LEDGER_SHARDS partition keys (shared/adapters/dynamodb/ledger-keys.ts).
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    // The broadcasts' counters are folded from it (count-deliveries), off the sends' write path.
    stream: true,
  },
];
