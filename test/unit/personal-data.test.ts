import { describe, expect, it } from 'vitest';
import { describeFindings, findPersonalData } from '#shared/domain/personal-data.ts';

const kinds = (text: string) => findPersonalData(text).map((finding) => finding.kind);

describe('findPersonalData', () => {
  it('finds phone numbers written the ways people write them, masked', () => {
    expect(findPersonalData('Call Aino on +358401234567')).toEqual([
      { kind: 'phone number', masked: '+35840•••••67' },
    ]);
    expect(kinds('+358 40 123 4567')).toEqual(['phone number']);
    expect(kinds('0046 8 797 50 00')).toEqual(['phone number']);
    expect(kinds('ring 040-123 4567 now')).toEqual(['phone number']);
    expect(kinds('(09) 818 81')).toEqual(['phone number']);
    expect(kinds('555-123-4567')).toEqual(['phone number']);
    expect(kinds('0401234567')).toEqual(['phone number']);
  });

  it('finds e-mail addresses, masking the mailbox and keeping the domain', () => {
    expect(findPersonalData('write to aino.virtanen@example.fi today')).toEqual([
      { kind: 'e-mail address', masked: 'a•••@example.fi' },
    ]);
    expect(kinds('päivi+strike@lentoyhtiö.fi')).toEqual(['e-mail address']);
  });

  it('finds booking references: six letters and digits, or any six after a label', () => {
    expect(findPersonalData('Booking ABC123 is rebooked')).toEqual([
      { kind: 'booking reference', masked: 'A••••3' },
    ]);
    expect(kinds('X7KQ2M')).toEqual(['booking reference']);
    expect(kinds('PNR: QWERTY')).toEqual(['booking reference']);
    expect(kinds('varaustunnus KXTRPQ')).toEqual(['booking reference']);
    expect(kinds('booking ref: abc123')).toEqual(['booking reference']);
    expect(kinds('bokning QWERTY')).toEqual(['booking reference']);
  });

  it('leaves flight numbers, times, dates, gates, counts and plain words alone', () => {
    for (const text of [
      'Flights AY123, AY1234, FIN1234, SK1429 and D82345 are cancelled',
      'Reopening expected 18:00',
      'Buses from 18.00–20.30, every 15 minutes',
      '2026-11-23T04:00:00+00:00 to 2026-11-23T16:00:00+00:00',
      'from 23.11.2026 until 24.11.',
      'on 11/23/2026 at 6:05:00',
      'Gate B12, terminal 2, door 3',
      'STRIKE AIRPORT CLOSED HELSINKI',
      'Over 10,000 customers; 1 500 passengers',
      'buses 101 102 103 leave every 20 minutes',
      'Airbus A320 and Boeing 737-800',
      'Lakko 23.–24.11. klo 04–16',
      'Use the booking portal or manage your booking online',
      'Varaus peruttu? Katso varaus sovelluksesta',
    ]) {
      expect(findPersonalData(text), text).toEqual([]);
    }
  });

  it('does not read an address’s digits as a phone number too', () => {
    expect(kinds('agent0401234567@example.com')).toEqual(['e-mail address']);
  });

  it('describes findings for a person to read', () => {
    expect(describeFindings(findPersonalData('+358401234567 or a@b.fi'))).toBe(
      'an e-mail address (a•••@b.fi) and a phone number (+35840•••••67)',
    );
  });
});
