/**
 * Who the brief says is affected in the demo airline, worked out from the demo data directly
 * rather than through Herald's audience code: passengers of flights departing from or arriving
 * at the airport inside the window, once each.
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { demoAirline } from '#infra/local/seed/demo-airline.ts';
import type { Customer } from '#shared/domain/model.ts';
import type { CreateIncidentInput } from '#shared/use-cases/create-incident.ts';

export function affectedDemoCustomers(
  airport: string,
  start: string,
  end: string,
  customers?: number,
): Customer[] {
  const airline = demoAirline(start.slice(0, 10), customers);
  const inWindow = (iso: string) => Date.parse(iso) >= Date.parse(start) && Date.parse(iso) < Date.parse(end);
  const affected = new Set(
    airline.flights
      .filter(
        (f) =>
          (f.origin === airport && inWindow(f.departure)) ||
          (f.destination === airport && inWindow(f.arrival)),
      )
      .map((f) => `${f.flightNumber}#${f.date}`),
  );
  const customerIds = new Set(
    airline.bookings
      .filter((booking) => booking.segments.some((s) => affected.has(`${s.flightNumber}#${s.date}`)))
      .flatMap((booking) => booking.passengers),
  );
  return airline.customers.filter((c) => customerIds.has(c.customerId));
}

/** Of those, the numbers that must get an SMS: consent and a valid E.164 number, sorted. */
export function expectedDemoPhones(
  airport: string,
  start: string,
  end: string,
  customers?: number,
): string[] {
  return affectedDemoCustomers(airport, start, end, customers)
    .filter((c) => c.smsConsent && isValidPhoneNumber(c.phone))
    .map((c) => c.phone)
    .sort();
}

/** Today and tomorrow, UTC: the whole demo schedule. */
export function demoWindow(): { start: string; end: string } {
  const today = new Date().toISOString().slice(0, 10);
  const dayAfter = new Date(Date.parse(`${today}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
  return { start: `${today}T00:00:00+00:00`, end: `${dayAfter}T00:00:00+00:00` };
}

/** A POST /incidents body: a minor strike at HEL over the whole demo schedule, unless `overrides` say otherwise. */
export function demoStrike(overrides: Partial<CreateIncidentInput> = {}): CreateIncidentInput {
  return {
    type: 'strike',
    title: 'Strike',
    severity: 'minor',
    window: demoWindow(),
    scope: { airports: ['HEL'] },
    ...overrides,
  };
}
