import { describe, expect, it } from 'vitest';
import type { Customer, Flight, FlightRef, PassengerSegment } from '#shared/domain/model.ts';
import type { BookingIndex, CustomerDirectory } from '#shared/ports/stores.ts';
import {
  type AudienceMember,
  FIRST_LOOKUP_SIZE,
  resolveAudience,
} from '#shared/use-cases/resolve-audience.ts';

const flight = (flightNumber: string, departure: string): Flight => ({
  flightNumber,
  carrier: 'AY',
  date: departure.slice(0, 10),
  origin: 'HEL',
  destination: 'ARN',
  departure,
  arrival: departure,
});
const customer = (customerId: string, overrides: Partial<Customer> = {}): Customer => ({
  customerId,
  firstName: 'A',
  lastName: 'B',
  phone: '+358401234567',
  language: 'fi',
  smsConsent: true,
  ...overrides,
});

/** Passengers per flight, served in pages of two to exercise paging. */
function fakes(
  manifest: Record<string, string[]>,
  people: Customer[],
): { bookings: BookingIndex; customers: CustomerDirectory } {
  return {
    bookings: {
      async *passengersOn(ref: FlightRef) {
        const ids = manifest[ref.flightNumber] ?? [];
        for (let i = 0; i < ids.length; i += 2) {
          yield ids
            .slice(i, i + 2)
            .map((customerId): PassengerSegment => ({ bookingRef: `B-${customerId}`, customerId, ...ref }));
        }
      },
      async putSegments() {},
    },
    customers: {
      async getMany(ids: string[]) {
        return people.filter((person) => ids.includes(person.customerId)).reverse();
      },
      async put() {},
      async setOptedOut() {},
      async findByPhone() {
        return [];
      },
    },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('resolveAudience', () => {
  const flights = [
    flight('AY1', '2026-11-23T06:00:00Z'),
    flight('AY2', '2026-11-23T09:00:00Z'),
    flight('AY3', '2026-11-23T12:00:00Z'),
  ];
  const people = ['C1', 'C2', 'C3', 'C4', 'C5'].map((id) => customer(id));

  it('yields each customer once, at the soonest affected flight, in flight order', async () => {
    const deps = fakes({ AY1: ['C1', 'C2', 'C3'], AY2: ['C2', 'C4'], AY3: ['C1', 'C5'] }, people);
    const members = await collect(resolveAudience(flights, { ...deps, concurrency: 3 }));
    expect(members.map((m) => `${m.customer.customerId}@${m.flight.flightNumber}`)).toEqual([
      'C1@AY1',
      'C2@AY1',
      'C3@AY1',
      'C4@AY2',
      'C5@AY3',
    ]);
  });

  it('gives each member its position: the flight index and the passenger index on that flight', async () => {
    const deps = fakes({ AY1: ['C1', 'C2'], AY2: ['C2', 'C4'], AY3: ['C1', 'C5'] }, people);
    const members = await collect(resolveAudience(flights, deps));
    expect(members.map((m) => [m.customer.customerId, m.position])).toEqual([
      ['C1', { flight: 0, passenger: 0 }],
      ['C2', { flight: 0, passenger: 1 }],
      ['C4', { flight: 1, passenger: 1 }],
      ['C5', { flight: 2, passenger: 1 }],
    ]);
  });

  it('resumed from any member, yields what the whole stream yields from that member on', async () => {
    const deps = fakes({ AY1: ['C1', 'C2', 'C3'], AY2: ['C2', 'C4'], AY3: ['C1', 'C5', 'C3'] }, people);
    const whole = await collect(resolveAudience(flights, { ...deps, concurrency: 2 }));
    const idsOf = (members: AudienceMember[]) =>
      members.map((m) => `${m.customer.customerId}@${m.flight.flightNumber}`);

    for (const [index, member] of whole.entries()) {
      const resumed = await collect(resolveAudience(flights, { ...deps, concurrency: 2 }, member.position));
      // Customers seen before the position (C1 and C3 on AY3) are not yielded again.
      expect(idsOf(resumed)).toEqual(idsOf(whole.slice(index)));
    }
  });

  it('marks who gets no SMS and why, and falls back to English for other languages', async () => {
    const mixed = [
      customer('C1', { smsConsent: false }),
      customer('C2', { phone: '12345' }),
      customer('C3', { optedOut: true }),
      customer('C4', { language: 'de' }),
    ];
    const deps = fakes({ AY1: ['C1', 'C2', 'C3', 'C4'] }, mixed);
    const members = await collect(resolveAudience(flights.slice(0, 1), deps));
    expect(members.map((m) => [m.customer.customerId, m.exclusion ?? 'sms', m.language])).toEqual([
      ['C1', 'noConsent', 'fi'],
      ['C2', 'invalidPhone', 'fi'],
      ['C3', 'optedOut', 'fi'],
      ['C4', 'sms', 'en'],
    ]);
  });

  it('passes on a failure reading any flight', async () => {
    const deps = fakes({ AY1: ['C1'] }, people);
    const failing = {
      ...deps,
      bookings: {
        ...deps.bookings,
        passengersOn(): AsyncIterable<PassengerSegment[]> {
          return {
            [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('throttled')) }),
          };
        },
      },
    };
    await expect(collect(resolveAudience(flights, failing))).rejects.toThrow('throttled');
  });

  it('yields the first members once the first flight is read and looked up, while the next flight is still being read', async () => {
    const onFirst = Array.from({ length: FIRST_LOOKUP_SIZE + 2 }, (_, index) => `C${index + 1}`);
    const deps = fakes(
      { AY1: onFirst },
      onFirst.map((id) => customer(id)),
    );
    const nextFlightUnanswered = {
      ...deps,
      bookings: {
        ...deps.bookings,
        passengersOn: (ref: FlightRef) =>
          ref.flightNumber === 'AY1'
            ? deps.bookings.passengersOn(ref)
            : { [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => {}) }) },
      },
    };
    const members = resolveAudience(flights, { ...nextFlightUnanswered, concurrency: 2 });

    const first = await members[Symbol.asyncIterator]().next();

    expect(first.value?.customer.customerId).toBe('C1');
  });
});
