/**
 * Finds personal data in text bound for a public channel (X, Facebook, the status site and its
 * feeds): phone numbers, e-mail addresses and booking references. Public posts never carry
 * personal data (GDPR); a passenger's details go only by private SMS.
 *
 * Tuned for few false positives in what operators type into public variables: flight numbers
 * (AY123, FIN1234), times (18:00), dates (2026-11-23, 23.11.2026) and gates (B12) are not
 * personal data. What is found is reported masked, so the refusal itself leaks nothing.
 */

export type PersonalDataKind = 'phone number' | 'e-mail address' | 'booking reference';

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** What was found, mostly hidden: `+35840•••••67`, `a•••@example.com`, `A••••3`. */
  masked: string;
}

const HIDDEN = '•';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Dates and times, blanked before looking for phone numbers: their digits and separators would
 * otherwise read as one ("2026-11-23 18:00" holds 12 digits).
 */
const DATES_AND_TIMES = [
  // ISO 8601 date, optionally with a time and offset.
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g,
  // 23.11.2026, 23/11/2026, 23.11., 11/23/26
  /\b\d{1,2}[./]\d{1,2}[./](?:\d{2,4})?/g,
  // 18:00, 18.00–20.30, 6:05:00
  /\b\d{1,2}[:.]\d{2}(?::\d{2})?\b/g,
];

/** A run of digits with the separators people write numbers with; at least 7 digits is a number to call. */
const PHONE_CANDIDATE = /(?:\+|\()?\d[\d\s().-]*\d/g;
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;

/**
 * A number to call: international (+, 00), national (a trunk 0 or an area code in brackets), or
 * digits in one piece ("555-123-4567"). Groups of digits split by spaces without either prefix
 * are a list ("buses 101 102 103"), not a number.
 */
function looksDialable(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) return false;
  return /^[+(0]/.test(candidate) || !/\s/.test(candidate);
}

/** Six letters and digits, as airlines' reservation systems issue them (PNR). */
const BOOKING_TOKEN = /\b[A-Z0-9]{6}\b/g;
/** A flight number: carrier (two characters, or three letters ICAO) and 1–4 digits, a suffix letter allowed. */
const FLIGHT_NUMBER = /^(?:[A-Z][A-Z0-9]|[0-9][A-Z]|[A-Z]{3})\d{1,4}[A-Z]?$/;
/**
 * Words that announce a booking reference; after one, six letters and digits count when they hold
 * a digit or are written in capitals as references are ("booking QWERTY", not "booking portal").
 */
const BOOKING_LABEL =
  /\b(?:booking(?:\s+(?:ref(?:erence)?|code|number))?|pnr|reservation(?:\s+(?:code|number))?|varaus(?:tunnus|numero)?|bokning(?:snummer|skod)?)\b[\s:#.-]*([A-Za-z0-9]{6})\b/giu;

function maskMiddle(value: string, head: number, tail: number): string {
  const hidden = Math.max(1, value.length - head - tail);
  return `${value.slice(0, value.length - hidden - tail)}${HIDDEN.repeat(hidden)}${value.slice(-tail)}`;
}

function maskPhone(candidate: string): string {
  const digits = candidate.replace(/\D/g, '');
  const international = candidate.startsWith('+') || candidate.startsWith('00');
  const normalized = `${international ? '+' : ''}${candidate.startsWith('00') ? digits.slice(2) : digits}`;
  return maskMiddle(normalized, Math.min(6, normalized.length - 4), 2);
}

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}${HIDDEN.repeat(3)}${address.slice(at)}`;
}

const blank = (text: string, pattern: RegExp) => text.replace(pattern, (match) => ' '.repeat(match.length));

function phoneNumbers(text: string): PersonalDataFinding[] {
  const withoutDates = DATES_AND_TIMES.reduce(blank, text);
  return [...withoutDates.matchAll(PHONE_CANDIDATE)].flatMap(([candidate]) =>
    looksDialable(candidate) ? [{ kind: 'phone number' as const, masked: maskPhone(candidate) }] : [],
  );
}

function bookingReferences(text: string): PersonalDataFinding[] {
  const labelled = [...text.matchAll(BOOKING_LABEL)].flatMap(([, reference]) =>
    reference && (/\d/.test(reference) || reference === reference.toUpperCase()) ? [reference] : [],
  );
  // Unlabelled, only a mix of letters and digits that is no flight number: "STRIKE" or "AY1234" are not.
  const bare = [...text.matchAll(BOOKING_TOKEN)]
    .map(([token]) => token)
    .filter((token) => /\d/.test(token) && /[A-Z]/.test(token) && !FLIGHT_NUMBER.test(token));
  return [...new Set([...labelled, ...bare])].map((reference) => ({
    kind: 'booking reference',
    masked: maskMiddle(reference, 1, 1),
  }));
}

/** Every phone number, e-mail address and booking reference in `text`, masked; empty when there is none. */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const emails = [...text.matchAll(EMAIL)].map(([address]) => address);
  // An address's digits are not a phone number as well.
  const rest = emails.reduce((remaining, address) => remaining.replace(address, ' '), text);
  return [
    ...emails.map((address) => ({ kind: 'e-mail address' as const, masked: maskEmail(address) })),
    ...phoneNumbers(rest),
    ...bookingReferences(rest),
  ];
}

/** "a phone number (+35840•••••67) and an e-mail address (a•••@example.com)": for error messages and warnings. */
export function describeFindings(findings: readonly PersonalDataFinding[]): string {
  const parts = findings.map(
    ({ kind, masked }) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} (${masked})`,
  );
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
