/**
 * The demo airline: a Helsinki hub with real Nordic and Baltic spokes, two days of flights
 * from `startDate`, and customers speaking fi, sv and en, a few of whom may not be texted.
 * Deterministic for a given date, so tests can reason about who is affected.
 */
import type { Booking, Customer, Flight } from '#shared/domain/model.ts';
import { addDays, blockMinutes, isoUtc } from './flight-times.ts';

export interface DemoAirline {
  flights: Flight[];
  customers: Customer[];
  bookings: Booking[];
}

const CARRIER = 'AY';
const HUB = 'HEL';
const SPOKES = ['ARN', 'OSL', 'CPH', 'TLL', 'RIX', 'OUL'] as const;
/** Departures from the hub, UTC hours; each returns two hours after it lands. */
const WAVES_UTC = [5, 11, 16] as const;

const FIRST_NAMES = {
  fi: ['Aino', 'Eero', 'Liisa', 'Juha', 'Maija', 'Ville'],
  sv: ['Astrid', 'Lars', 'Ingrid', 'Nils', 'Karin', 'Olof'],
  en: ['Emily', 'James', 'Olivia', 'Harry', 'Grace', 'Jack'],
} as const;
const LAST_NAMES = ['Virtanen', 'Lindqvist', 'Smith', 'Korhonen', 'Andersson', 'Brown', 'Nieminen', 'Berg'];
const PHONE_PREFIX = { fi: '+35840', sv: '+4670', en: '+44750' } as const;

function flight(
  number: number,
  date: string,
  origin: string,
  destination: string,
  departureMs: number,
): Flight {
  const arrivalMs = departureMs + blockMinutes(origin, destination) * 60_000;
  return {
    flightNumber: `${CARRIER}${number}`,
    carrier: CARRIER,
    date,
    origin,
    destination,
    departure: isoUtc(departureMs),
    arrival: isoUtc(arrivalMs),
  };
}

function schedule(startDate: string): Flight[] {
  const flights: Flight[] = [];
  for (const dayOffset of [0, 1]) {
    const date = addDays(startDate, dayOffset);
    SPOKES.forEach((spoke, spokeIndex) => {
      WAVES_UTC.forEach((hour, waveIndex) => {
        const number = 100 + spokeIndex * 20 + waveIndex * 2;
        const outbound = flight(
          number,
          date,
          HUB,
          spoke,
          Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`),
        );
        const turnaroundMs = Date.parse(outbound.arrival) + 2 * 3_600_000;
        flights.push(outbound, flight(number + 1, date, spoke, HUB, turnaroundMs));
      });
    });
  }
  return flights;
}

function customers(count: number): Customer[] {
  return Array.from({ length: count }, (_, index) => {
    const language = (['fi', 'sv', 'en'] as const)[index % 3] ?? 'en';
    const names = FIRST_NAMES[language];
    return {
      customerId: `C${String(index + 1).padStart(4, '0')}`,
      firstName: names[index % names.length] ?? 'Alex',
      lastName: LAST_NAMES[index % LAST_NAMES.length] ?? 'Doe',
      // Every 11th has a number too short to be E.164; every 13th has not consented.
      phone:
        index % 11 === 10
          ? '+3584012'
          : `${PHONE_PREFIX[language]}${String(1_000_000 + index * 7919).slice(-7)}`,
      language,
      smsConsent: index % 13 !== 12,
    };
  });
}

/** Builds the demo airline for the two days starting at `startDate` (YYYY-MM-DD, UTC). */
export function demoAirline(startDate: string, customerCount = 90): DemoAirline {
  const flights = schedule(startDate);
  const people = customers(customerCount);
  const bookings: Booking[] = [];
  // Mostly one passenger, every fourth booking a pair travelling together; every fifth connects through the hub.
  for (let index = 0, booking = 0; index < people.length; booking++) {
    const size = booking % 4 === 3 ? 2 : 1;
    const passengers = people.slice(index, index + size).map((customer) => customer.customerId);
    index += size;
    const first = flights[(booking * 7) % flights.length];
    if (!first) continue;
    const segments = [{ flightNumber: first.flightNumber, date: first.date }];
    const connection =
      booking % 5 === 4 && first.destination === HUB
        ? flights.find(
            (next) =>
              next.origin === HUB && Date.parse(next.departure) > Date.parse(first.arrival) + 45 * 60_000,
          )
        : undefined;
    if (connection) segments.push({ flightNumber: connection.flightNumber, date: connection.date });
    bookings.push({ bookingRef: `DEMO${String(booking + 1).padStart(2, '0')}`, passengers, segments });
  }
  return { flights, customers: people, bookings };
}
