import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Flight, FlightRef, TimeWindow } from '#shared/domain/model.ts';
import type { FlightCatalog } from '#shared/ports/stores.ts';
import { writeAll } from './batch-write.ts';
import { flightKey, utc } from './keys.ts';
import { queryPages } from './paginate.ts';

function toFlight(item: Record<string, unknown>): Flight {
  const { flightNumber, date, carrier, origin, destination, departure, arrival } = item as unknown as Flight;
  return { flightNumber, date, carrier, origin, destination, departure, arrival };
}

const HOUR_MS = 60 * 60 * 1000;

/** The byDepartureHour partition of an instant: UTC "YYYY-MM-DDTHH". */
const hourOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 13);

/**
 * The hour partitions a half-open window touches, in order, one at a time: a window of
 * centuries held as an array filled the heap before the first Query ran.
 */
export function* hoursOf(window: TimeWindow): Generator<string> {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  for (let at = start - (start % HOUR_MS); at < end; at += HOUR_MS) yield hourOf(at);
}

/** Flights table: by key, by airport, carrier or departure hour inside a half-open window through the GSIs. */
export class DynamoFlightCatalog implements FlightCatalog {
  private readonly table = tablesConfig().flights;

  async get(ref: FlightRef): Promise<Flight | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: this.table, Key: { flightKey: flightKey(ref) } }),
    );
    return Item ? toFlight(Item) : undefined;
  }

  departingFrom(airport: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.inWindow('byOrigin', 'origin', airport, 'departureUtc', window);
  }

  arrivingAt(airport: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.inWindow('byDestination', 'destination', airport, 'arrivalUtc', window);
  }

  departingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.inWindow('byCarrierDeparture', 'carrier', carrier, 'departureUtc', window);
  }

  arrivingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.inWindow('byCarrierArrival', 'carrier', carrier, 'arrivalUtc', window);
  }

  async *departingBetween(window: TimeWindow): AsyncIterable<Flight> {
    for (const hour of hoursOf(window)) {
      yield* this.inWindow('byDepartureHour', 'departureHour', hour, 'departureUtc', window);
    }
  }

  /** Upserts flights 25 to a BatchWrite, with the derived index attributes. */
  async putMany(flights: Flight[]): Promise<void> {
    await writeAll(
      this.table,
      flights.map((flight) => ({
        ...flight,
        flightKey: flightKey(flight),
        departureUtc: utc(flight.departure),
        departureHour: hourOf(Date.parse(flight.departure)),
        arrivalUtc: utc(flight.arrival),
      })),
    );
  }

  private async *inWindow(
    indexName: string,
    partitionAttribute: string,
    partitionValue: string,
    timeAttribute: string,
    window: TimeWindow,
  ): AsyncIterable<Flight> {
    // Half-open window: BETWEEN is inclusive, so the end bound is excluded below.
    const end = utc(window.end);
    const pages = queryPages({
      TableName: this.table,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk AND #t BETWEEN :start AND :end',
      ExpressionAttributeNames: { '#pk': partitionAttribute, '#t': timeAttribute },
      ExpressionAttributeValues: { ':pk': partitionValue, ':start': utc(window.start), ':end': end },
    });
    for await (const items of pages) {
      for (const item of items) {
        if (item[timeAttribute] !== end) yield toFlight(item);
      }
    }
  }
}
