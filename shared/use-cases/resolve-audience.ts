import { type Exclusion, messageLanguage, smsExclusion } from '#shared/domain/eligibility.ts';
import type { Customer, Flight, Language, PassengerSegment } from '#shared/domain/model.ts';
import type { BookingIndex, CustomerDirectory } from '#shared/ports/stores.ts';

/** One affected customer, at their soonest affected segment. */
export interface AudienceMember {
  customer: Customer;
  flight: Flight;
  segment: PassengerSegment;
  language: Language;
  /** Why they get no SMS, or undefined when they get one. */
  exclusion?: Exclusion;
}

export interface AudienceDeps {
  bookings: BookingIndex;
  customers: CustomerDirectory;
  /** Flights read ahead at once; output order never changes. */
  readAhead?: number;
}

const DEFAULT_READ_AHEAD = 4;

async function membersOf(flight: Flight, deps: AudienceDeps): Promise<AudienceMember[]> {
  const members: AudienceMember[] = [];
  for await (const page of deps.bookings.passengersOn(flight)) {
    const customers = new Map(
      (await deps.customers.getMany(page.map((segment) => segment.customerId))).map((customer) => [
        customer.customerId,
        customer,
      ]),
    );
    for (const segment of page) {
      const customer = customers.get(segment.customerId);
      if (!customer) continue;
      members.push({
        customer,
        flight,
        segment,
        language: messageLanguage(customer.language),
        exclusion: smsExclusion(customer),
      });
    }
  }
  return members;
}

/**
 * Every customer booked on the affected flights, once each, soonest affected departure first.
 * 1. reads the passengers of a few flights at a time (Query pages, then one BatchGetItem per page),
 *    so I/O overlaps while memory stays bounded by the read-ahead, not the audience;
 * 2. yields flight by flight in the order given (the caller sorts by departure);
 * 3. skips customers already yielded for an earlier flight: one recipient per customer.
 * Only the ids seen so far are kept, a few bytes a customer.
 */
export async function* resolveAudience(flights: Flight[], deps: AudienceDeps): AsyncIterable<AudienceMember> {
  const readAhead = Math.max(1, deps.readAhead ?? DEFAULT_READ_AHEAD);
  const pending: Promise<AudienceMember[]>[] = [];
  const seen = new Set<string>();
  let next = 0;
  const fill = () => {
    while (pending.length < readAhead && next < flights.length) {
      const flight = flights[next++];
      if (!flight) continue;
      const members = membersOf(flight, deps);
      // Awaited in turn below; this only keeps a failure that comes early from being "unhandled".
      members.catch(() => undefined);
      pending.push(members);
    }
  };
  fill();
  for (let head = pending.shift(); head; head = pending.shift()) {
    fill();
    const members = await head;
    for (const member of members) {
      if (seen.has(member.customer.customerId)) continue;
      seen.add(member.customer.customerId);
      yield member;
    }
  }
}
