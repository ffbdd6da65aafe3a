/**
 * The NDJSON formats of `herald import` (contract.md, "Data import"): one schema per kind,
 * and the one function that turns a raw line into a record or a message saying why not.
 * A phone number is not checked here: an invalid number is data, which eligibility excludes
 * when a broadcast is planned.
 */
import { z } from 'zod';
import { findAirport } from './airports.ts';
import { isTestRecipient } from './exercise.ts';
import type { Booking, Customer, Flight } from './model.ts';

export const IMPORT_KINDS = ['flights', 'customers', 'bookings'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Longest line accepted: far above any real record, low enough that one line cannot exhaust memory. */
export const MAX_LINE_LENGTH = 20_000;

const DAY_MS = 86_400_000;

const flightNumber = z
  .string()
  .regex(/^[A-Z0-9]{2}\d{1,4}[A-Z]?$/, 'Use a flight number like AY123: carrier code, then 1–4 digits.');
const isoDate = z.iso.date();
const isoWithOffset = z.iso.datetime({ offset: true });
const airport = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Use a three-letter IATA airport code in capitals.')
  .refine((code) => findAirport(code) !== undefined, { message: 'Unknown airport code.' });

const FlightLine = z
  .object({
    flightNumber,
    carrier: z.string().regex(/^[A-Z0-9]{2}$/, 'Use a two-character IATA carrier code.'),
    date: isoDate,
    origin: airport,
    destination: airport,
    departure: isoWithOffset,
    arrival: isoWithOffset,
  })
  .superRefine((flight, context) => {
    if (!flight.flightNumber.startsWith(flight.carrier)) {
      context.addIssue({
        code: 'custom',
        path: ['flightNumber'],
        message: `The flight number must start with the carrier code ${flight.carrier}.`,
      });
    }
    if (flight.origin === flight.destination) {
      context.addIssue({
        code: 'custom',
        path: ['destination'],
        message: 'The destination must differ from the origin.',
      });
    }
    const departure = Date.parse(flight.departure);
    if (Date.parse(flight.arrival) <= departure) {
      context.addIssue({
        code: 'custom',
        path: ['arrival'],
        message: 'The arrival must be after the departure.',
      });
    }
    // `date` is the local departure date, which may differ from the UTC one by a day either way.
    if (
      Math.abs(Date.parse(`${flight.date}T00:00:00Z`) - Date.parse(flight.departure.slice(0, 10))) > DAY_MS
    ) {
      context.addIssue({
        code: 'custom',
        path: ['date'],
        message: 'The date must be the departure date.',
      });
    }
  });

const CustomerLine = z.object({
  // An exercise's staff test numbers are its ledger's `exercise-<n>`: no customer may take that id.
  customerId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine((id) => !isTestRecipient(id), 'exercise-<n> is reserved for the exercise test numbers.'),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  phone: z.string().trim().min(1).max(32),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language tag like fi, sv, en or pt-BR.'),
  smsConsent: z.boolean(),
});

const flightRefKey = (ref: { flightNumber: string; date: string }) => `${ref.flightNumber}#${ref.date}`;

const BookingLine = z.object({
  bookingRef: z.string().regex(/^[A-Z0-9]{1,16}$/, 'Use a booking reference of capital letters and digits.'),
  passengers: z
    .array(z.string().trim().min(1).max(64))
    .min(1)
    .max(99)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'A passenger is listed twice.' }),
  segments: z
    .array(z.object({ flightNumber, date: isoDate }))
    .min(1)
    .max(16)
    .refine((refs) => new Set(refs.map(flightRefKey)).size === refs.length, {
      message: 'A segment is listed twice.',
    }),
});

const SCHEMAS = { flights: FlightLine, customers: CustomerLine, bookings: BookingLine } as const;

export interface ImportRecords {
  flights: Flight;
  customers: Customer;
  bookings: Booking;
}

export type ParsedLine<K extends ImportKind> =
  | { ok: true; record: ImportRecords[K] }
  | { ok: false; message: string };

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Parses and validates one NDJSON line of `kind`. The message names each offending field
 * ("departure: Invalid ISO datetime") and never quotes the line, which may hold a phone number.
 */
export function parseImportLine<K extends ImportKind>(kind: K, line: string): ParsedLine<K> {
  if (line.length > MAX_LINE_LENGTH)
    return { ok: false, message: `Line longer than ${MAX_LINE_LENGTH} characters.` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // JSON.parse's own message quotes the input: a phone number must not end up in a report.
    return { ok: false, message: 'Not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'Expected a JSON object.' };
  const result = SCHEMAS[kind].safeParse(value);
  if (result.success) return { ok: true, record: result.data as ImportRecords[K] };
  const message = result.error.issues
    .map((issue) => {
      const path = issuePath(issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
  return { ok: false, message };
}

/** The key a record is stored under: a later line with the same key replaces an earlier one. */
export function importKey<K extends ImportKind>(kind: K, record: ImportRecords[K]): string {
  switch (kind) {
    case 'flights':
      return flightRefKey(record as Flight);
    case 'customers':
      return (record as Customer).customerId;
    default:
      return (record as Booking).bookingRef;
  }
}
