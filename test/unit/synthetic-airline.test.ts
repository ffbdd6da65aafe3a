import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  INVALID_PHONE_SHARE,
  NO_CONSENT_SHARE,
  SCHEDULE_DAYS,
  syntheticAirline,
} from '#infra/local/seed/synthetic-airline.ts';
import { findAirport } from '#shared/domain/airports.ts';
import { parseImportLine } from '#shared/domain/import-formats.ts';
import type { Booking, Customer, Flight } from '#shared/domain/model.ts';

const START = '2026-11-23';
const key = (ref: { flightNumber: string; date: string }) => `${ref.flightNumber}#${ref.date}`;

function build(customers: number, seed = 7) {
  const airline = syntheticAirline({ customers, seed, startDate: START });
  return {
    airline,
    flights: [...airline.flights()],
    customers: [...airline.customers()],
    bookings: [...airline.bookings()],
  };
}

describe('the synthetic airline', () => {
  const { airline, flights, customers, bookings } = build(5_000);
  const flightsByKey = new Map(flights.map((flight) => [key(flight), flight]));

  it('is the same airline for the same seed and another one for another seed', () => {
    const again = build(5_000);
    expect(again.customers).toEqual(customers);
    expect(again.bookings).toEqual(bookings);
    expect(again.flights).toEqual(flights);
    const other = build(5_000, 8);
    expect(other.customers).not.toEqual(customers);
    expect(other.bookings).not.toEqual(bookings);
  });

  it('has the customers asked for, about 1.1 bookings each, and the counts it announces', () => {
    expect(customers).toHaveLength(5_000);
    expect(new Set(customers.map((customer) => customer.customerId)).size).toBe(5_000);
    expect(bookings.length).toBeGreaterThanOrEqual(5_000);
    expect(bookings.length).toBeLessThanOrEqual(6_000);
    expect(new Set(bookings.map((booking) => booking.bookingRef)).size).toBe(bookings.length);
    expect(airline.counts).toEqual({
      flights: flights.length,
      customers: customers.length,
      bookings: bookings.length,
    });
    expect(flightsByKey.size).toBe(flights.length);
  });

  it('gives 100,000 customers at least 100,000 bookings without generating them', () => {
    expect(syntheticAirline({ customers: 100_000, startDate: START }).counts.bookings).toBeGreaterThanOrEqual(
      100_000,
    );
  });

  it('flies between real airports, at several hubs and 20–40 spokes, over a week', () => {
    const airports = new Set(flights.flatMap((flight) => [flight.origin, flight.destination]));
    for (const code of airports) expect(findAirport(code), code).toBeDefined();
    expect(airports.has('HEL')).toBe(true);
    expect(airports.size).toBeGreaterThanOrEqual(23);
    expect(airports.size).toBeLessThanOrEqual(43);
    const dates = new Set(flights.map((flight) => flight.date));
    expect(dates.size).toBe(SCHEDULE_DAYS);
  });

  it('times each flight by its distance: longer routes take longer', () => {
    const minutes = (flight: Flight) => (Date.parse(flight.arrival) - Date.parse(flight.departure)) / 60_000;
    const route = (origin: string, destination: string) =>
      flights.find((flight) => flight.origin === origin && flight.destination === destination);
    const tallinn = route('HEL', 'TLL');
    const lisbon = route('HEL', 'LIS');
    if (!tallinn || !lisbon) throw new Error('Expected HEL–TLL and HEL–LIS');
    expect(minutes(tallinn)).toBeGreaterThan(25);
    expect(minutes(tallinn)).toBeLessThan(60);
    expect(minutes(lisbon)).toBeGreaterThan(240);
  });

  it('writes every record in the import format, so the import API accepts all of them', () => {
    const rejected = [
      ...flights.map((flight) => parseImportLine('flights', JSON.stringify(flight))),
      ...customers.slice(0, 500).map((customer) => parseImportLine('customers', JSON.stringify(customer))),
      ...bookings.slice(0, 500).map((booking) => parseImportLine('bookings', JSON.stringify(booking))),
    ].filter((parsed) => !parsed.ok);
    expect(rejected).toEqual([]);
  });

  it('books existing customers, 1–4 to a booking, on existing flights', () => {
    const customerIds = new Set(customers.map((customer) => customer.customerId));
    const sizes = new Set<number>();
    for (const booking of bookings) {
      sizes.add(booking.passengers.length);
      for (const passenger of booking.passengers) expect(customerIds.has(passenger)).toBe(true);
      for (const segment of booking.segments) expect(flightsByKey.has(key(segment))).toBe(true);
    }
    expect([...sizes].sort()).toEqual([1, 2, 3, 4]);
  });

  it('connects multi-segment itineraries at a hub: the next flight leaves from where the last landed, after it lands', () => {
    const multi = bookings.filter((booking: Booking) => booking.segments.length > 1);
    expect(multi.length).toBeGreaterThan(bookings.length * 0.25);
    for (const booking of multi) {
      const legs = booking.segments.map((segment) => flightsByKey.get(key(segment)));
      for (let index = 1; index < legs.length; index++) {
        const [previous, next] = [legs[index - 1], legs[index]];
        if (!previous || !next) throw new Error(`Missing flight in ${booking.bookingRef}`);
        expect(next.origin).toBe(previous.destination);
        expect(Date.parse(next.departure)).toBeGreaterThanOrEqual(Date.parse(previous.arrival) + 45 * 60_000);
        expect(next.destination).not.toBe(previous.origin);
      }
    }
  });

  it('has about 3% of customers without consent and about 1% with an invalid number; the rest are valid E.164', () => {
    const share = (matching: (customer: Customer) => boolean) =>
      customers.filter(matching).length / customers.length;
    const noConsent = share((customer) => !customer.smsConsent);
    const invalid = share((customer) => !isValidPhoneNumber(customer.phone));
    expect(noConsent).toBeGreaterThan(NO_CONSENT_SHARE * 0.6);
    expect(noConsent).toBeLessThan(NO_CONSENT_SHARE * 1.4);
    expect(invalid).toBeGreaterThan(INVALID_PHONE_SHARE * 0.5);
    expect(invalid).toBeLessThan(INVALID_PHONE_SHARE * 1.5);
    const phones = customers.filter((customer) => isValidPhoneNumber(customer.phone)).map((c) => c.phone);
    expect(phones.every((phone) => /^\+[1-9]\d{6,14}$/.test(phone))).toBe(true);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('speaks mostly fi, sv and en, with a few languages that fall back to English', () => {
    const languages = new Map<string, number>();
    for (const customer of customers)
      languages.set(customer.language, (languages.get(customer.language) ?? 0) + 1);
    const main = (languages.get('fi') ?? 0) + (languages.get('sv') ?? 0) + (languages.get('en') ?? 0);
    expect(main / customers.length).toBeGreaterThan(0.85);
    expect(languages.get('de') ?? 0).toBeGreaterThan(0);
    expect(languages.size).toBeGreaterThan(3);
  });

  it('streams: a large airline yields its first bookings without building the rest', () => {
    const large = syntheticAirline({ customers: 10_000_000, startDate: START });
    const started = performance.now();
    const first = large.bookings().next();
    expect(first.done).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
