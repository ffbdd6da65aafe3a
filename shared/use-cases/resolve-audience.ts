import { type Exclusion, messageLanguage, smsExclusion } from '#shared/domain/eligibility.ts';
import type { Customer, Flight, Language, PassengerSegment } from '#shared/domain/model.ts';
import type { BookingIndex, CustomerDirectory } from '#shared/ports/stores.ts';

/**
 * A place in the audience stream: the affected flight's index in the list given (soonest first)
 * and the segment's index among that flight's passengers, in the booking index's order.
 */
export interface AudiencePosition {
  flight: number;
  passenger: number;
}

/** One affected customer, at their soonest affected segment. */
export interface AudienceMember {
  customer: Customer;
  flight: Flight;
  segment: PassengerSegment;
  language: Language;
  /** Why they get no SMS, or undefined when they get one. */
  exclusion?: Exclusion;
  /** Where their segment stands: a stream resumed from here yields them first. */
  position: AudiencePosition;
}

/** One passenger segment of an affected flight, where it stands in the stream. */
interface Sighting {
  flight: Flight;
  segment: PassengerSegment;
  position: AudiencePosition;
}

export interface AudienceDeps {
  bookings: BookingIndex;
  customers: CustomerDirectory;
  /** Requests in flight at once at each stage; output order never changes. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 6;
/** One BatchGetItem reads at most 100 keys. */
const CUSTOMERS_PER_LOOKUP = 100;
/**
 * The first lookup reads only this many customers, so the first members (the first SMS) do not
 * wait for a hundred passengers' flights to be read.
 */
export const FIRST_LOOKUP_SIZE = 10;

/**
 * Maps `source` through `work` with up to `concurrency` calls in flight, yielding results in the
 * source's order, each as soon as it is done (not once the window is full, which would keep the
 * first result back until `concurrency` calls are out). A failure surfaces when its turn comes.
 */
async function* inOrder<T, U>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<U>,
): AsyncIterable<U> {
  const items = (async function* () {
    yield* source;
  })();
  const pending: Promise<U>[] = [];
  let next: Promise<IteratorResult<T>> | undefined;
  let exhausted = false;
  while (!exhausted || pending.length > 0) {
    const [head] = pending;
    if (!exhausted && pending.length < concurrency) {
      if (!next) {
        next = items.next();
        // Awaited below, unless the consumer stops first: a failure then is no unhandled one.
        next.catch(() => undefined);
      }
      // Whichever comes first: the next item, to start its work, or the head's result, to yield it.
      const item = head ? await Promise.race([next, head.then(noItem, noItem)]) : await next;
      if (item) {
        next = undefined;
        if (item.done) exhausted = true;
        else {
          const result = work(item.value);
          // Awaited in turn below; this only keeps an early failure from counting as unhandled.
          result.catch(() => undefined);
          pending.push(result);
        }
        continue;
      }
    }
    const done = pending.shift();
    if (done) yield await done;
  }
}

const noItem = () => undefined;

async function passengersOf(flight: Flight, index: number, bookings: BookingIndex) {
  const passengers: Sighting[] = [];
  for await (const page of bookings.passengersOn(flight)) {
    for (const segment of page)
      passengers.push({ flight, segment, position: { flight: index, passenger: passengers.length } });
  }
  return passengers;
}

const isBefore = (a: AudiencePosition, b: AudiencePosition) =>
  a.flight < b.flight || (a.flight === b.flight && a.passenger < b.passenger);

/**
 * First sightings only, in flight order, cut into lookups of up to 100 customers, the first of
 * FIRST_LOOKUP_SIZE. Those before `from` are only remembered as seen: a customer first seen there
 * is not yielded again later.
 */
async function* firstSightings(
  perFlight: AsyncIterable<Sighting[]>,
  from: AudiencePosition,
): AsyncIterable<Sighting[]> {
  const seen = new Set<string>();
  let chunk: Sighting[] = [];
  let size = FIRST_LOOKUP_SIZE;
  for await (const passengers of perFlight) {
    for (const passenger of passengers) {
      if (seen.has(passenger.segment.customerId)) continue;
      seen.add(passenger.segment.customerId);
      if (isBefore(passenger.position, from)) continue;
      chunk.push(passenger);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
        size = CUSTOMERS_PER_LOOKUP;
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function lookUp(chunk: Sighting[], customers: CustomerDirectory) {
  const found = new Map(
    (await customers.getMany(chunk.map(({ segment }) => segment.customerId))).map((customer) => [
      customer.customerId,
      customer,
    ]),
  );
  return chunk.flatMap(({ flight, segment, position }): AudienceMember[] => {
    const customer = found.get(segment.customerId);
    if (!customer) return [];
    return [
      {
        customer,
        flight,
        segment,
        language: messageLanguage(customer.language),
        exclusion: smsExclusion(customer),
        position,
      },
    ];
  });
}

/**
 * Every customer booked on the affected flights, once each, soonest affected departure first.
 * 1. queries the passengers of several flights at a time (index pages), in flight order;
 * 2. keeps each customer's first sighting — their soonest flight, as the caller sorts flights by
 *    departure — and drops the rest before any lookup: one recipient per customer;
 * 3. looks customers up 100 to a BatchGetItem (the first lookup FIRST_LOOKUP_SIZE), several at a
 *    time, across flight boundaries;
 * 4. yields in that same order. Memory holds the requests in flight and the ids seen so far
 *    (a few bytes a customer), never the audience.
 * Resumed `from` a member's position, it yields what the whole stream yields from that member on:
 * the flights before are queried again only to know whom they saw (no customer lookups).
 */
export async function* resolveAudience(
  flights: Flight[],
  deps: AudienceDeps,
  from: AudiencePosition = { flight: 0, passenger: 0 },
): AsyncIterable<AudienceMember> {
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const perFlight = inOrder(
    flights.map((flight, index) => ({ flight, index })),
    concurrency,
    ({ flight, index }) => passengersOf(flight, index, deps.bookings),
  );
  for await (const members of inOrder(firstSightings(perFlight, from), concurrency, (chunk) =>
    lookUp(chunk, deps.customers),
  )) {
    yield* members;
  }
}
