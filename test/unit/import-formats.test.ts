import { describe, expect, it } from 'vitest';
import { importKey, parseImportLine } from '#shared/domain/import-formats.ts';

const flight = {
  flightNumber: 'AY123',
  carrier: 'AY',
  date: '2026-11-23',
  origin: 'HEL',
  destination: 'ARN',
  departure: '2026-11-23T06:05:00+00:00',
  arrival: '2026-11-23T07:10:00+00:00',
};
const customer = {
  customerId: 'C1',
  firstName: 'Aino',
  lastName: 'Virtanen',
  phone: '+358401234567',
  language: 'fi',
  smsConsent: true,
};
const booking = {
  bookingRef: 'ABC123',
  passengers: ['C1', 'C2'],
  segments: [
    { flightNumber: 'AY123', date: '2026-11-23' },
    { flightNumber: 'AY456', date: '2026-11-23' },
  ],
};

const line = (value: unknown) => JSON.stringify(value);

function rejection(kind: 'flights' | 'customers' | 'bookings', text: string): string {
  const parsed = parseImportLine(kind, text);
  if (parsed.ok) throw new Error(`Expected ${text} to be rejected`);
  return parsed.message;
}

describe('import line formats', () => {
  it('accepts the contract example of each kind as the record it describes', () => {
    expect(parseImportLine('flights', line(flight))).toEqual({ ok: true, record: flight });
    expect(parseImportLine('customers', line(customer))).toEqual({ ok: true, record: customer });
    expect(parseImportLine('bookings', line(booking))).toEqual({ ok: true, record: booking });
  });

  it('accepts a customer whose phone number is not valid: eligibility excludes it later', () => {
    const parsed = parseImportLine('customers', line({ ...customer, phone: '040 123' }));
    expect(parsed).toEqual({ ok: true, record: { ...customer, phone: '040 123' } });
  });

  it('accepts a language Herald has no template for, which falls back to English when sent', () => {
    expect(parseImportLine('customers', line({ ...customer, language: 'de' })).ok).toBe(true);
  });

  it("rejects a customer id of the exercise test numbers' form, which the SMS worker would text a staff phone for", () => {
    expect(rejection('customers', line({ ...customer, customerId: 'exercise-1' }))).toContain(
      'exercise-<n> is reserved',
    );
    expect(parseImportLine('customers', line({ ...customer, customerId: 'exercise-team' })).ok).toBe(true);
  });

  it('rejects a line that is not JSON without quoting it', () => {
    const message = rejection('customers', '{"customerId": "C1", "phone": "+358401234567",');
    expect(message).toBe('Not valid JSON.');
    expect(message).not.toContain('+358');
  });

  it('rejects JSON that is not an object', () => {
    expect(rejection('flights', '[1, 2]')).toBe('Expected a JSON object.');
  });

  it('names a missing field', () => {
    const { smsConsent: _missing, ...withoutConsent } = customer;
    expect(rejection('customers', line(withoutConsent))).toBe(
      'smsConsent: Invalid input: expected boolean, received undefined',
    );
  });

  it('rejects an airport code that is not a real airport', () => {
    expect(rejection('flights', line({ ...flight, destination: 'XQZ' }))).toBe(
      'destination: Unknown airport code.',
    );
  });

  it('rejects a time without an offset', () => {
    expect(rejection('flights', line({ ...flight, departure: '2026-11-23 06:05' }))).toBe(
      'departure: Invalid ISO datetime',
    );
  });

  it('rejects an arrival before the departure', () => {
    expect(rejection('flights', line({ ...flight, arrival: '2026-11-23T05:00:00+00:00' }))).toBe(
      'arrival: The arrival must be after the departure.',
    );
  });

  it('rejects a flight number of another carrier and a date that is not the departure date', () => {
    const message = rejection('flights', line({ ...flight, flightNumber: 'SK123', date: '2026-11-30' }));
    expect(message).toContain('flightNumber: The flight number must start with the carrier code AY.');
    expect(message).toContain('date: The date must be the departure date.');
  });

  it('rejects a booking without passengers and one with a segment of a malformed date', () => {
    expect(rejection('bookings', line({ ...booking, passengers: [] }))).toBe(
      'passengers: Too small: expected array to have >=1 items',
    );
    expect(
      rejection('bookings', line({ ...booking, segments: [{ flightNumber: 'AY123', date: '23.11.2026' }] })),
    ).toBe('segments[0].date: Invalid ISO date');
  });

  it('rejects a booking that lists a passenger twice', () => {
    expect(rejection('bookings', line({ ...booking, passengers: ['C1', 'C1'] }))).toBe(
      'passengers: A passenger is listed twice.',
    );
  });

  it('keys records the way they are stored, so a later line replaces an earlier one', () => {
    expect(importKey('flights', flight)).toBe('AY123#2026-11-23');
    expect(importKey('customers', customer)).toBe('C1');
    expect(importKey('bookings', booking)).toBe('ABC123');
  });
});
