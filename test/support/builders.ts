/** Small valid domain objects for the use-case tests, each overridable field by field. */
import type {
  Broadcast,
  Customer,
  Flight,
  FlightRef,
  Incident,
  PassengerSegment,
  TemplateVersion,
} from '#shared/domain/model.ts';

export function anIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'incident-1',
    type: 'strike',
    title: 'Strike at Helsinki Airport',
    severity: 'severe',
    window: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
    scope: { airports: ['HEL'] },
    status: 'open',
    createdAt: '2026-11-30T12:00:00Z',
    createdBy: 'olli.operator',
    ...overrides,
  };
}

/** An approved template that says which language it speaks and names the passenger and flight. */
export function aBroadcast(overrides: Partial<Broadcast> = {}): Broadcast {
  return {
    id: 'b1',
    incidentId: 'incident-1',
    templateId: 'strike-disruption',
    templateVersion: 1,
    variables: {},
    channels: ['sms', 'status'],
    kind: 'update',
    status: 'pending_approval',
    createdAt: '2026-12-01T06:00:00.000Z',
    createdBy: 'olli.operator',
    counts: {},
    ...overrides,
  };
}

export function aTemplate(overrides: Partial<TemplateVersion> = {}): TemplateVersion {
  const content = (sms: string) => ({
    sms,
    social: 'Flights at {{incident.airports}} are disrupted.',
    statusTitle: 'Strike at {{incident.airports}}',
    statusBody: 'Flights at {{incident.airports}} are disrupted.',
  });
  return {
    id: 'template-1',
    version: 1,
    name: 'Strike',
    status: 'approved',
    content: {
      en: content('EN {{customer.firstName}}: {{flight.number}} {{booking.ref}}'),
      fi: content('FI {{customer.firstName}}: {{flight.number}} {{booking.ref}}'),
      sv: content('SV {{customer.firstName}}: {{flight.number}} {{booking.ref}}'),
    },
    createdBy: 'tiina.writer',
    createdAt: '2026-11-01T00:00:00Z',
    approvedBy: 'kaisa.lead',
    approvedAt: '2026-11-02T00:00:00Z',
    ...overrides,
  };
}

let nextPhone = 1_234_500;

/** A customer who may be texted: consent and a valid Finnish mobile number of their own. */
export function aCustomer(customerId: string, overrides: Partial<Customer> = {}): Customer {
  return {
    customerId,
    firstName: `Name-${customerId}`,
    lastName: 'Virtanen',
    phone: `+35840${nextPhone++}`,
    language: 'fi',
    smsConsent: true,
    ...overrides,
  };
}

export function aFlight(overrides: Partial<Flight> = {}): Flight {
  return {
    flightNumber: 'AY123',
    date: '2026-12-01',
    carrier: 'AY',
    origin: 'HEL',
    destination: 'ARN',
    departure: '2026-12-01T08:00:00+02:00',
    arrival: '2026-12-01T08:00:00+01:00',
    ...overrides,
  };
}

/** A customer's booking on a flight (by default aFlight's AY123), as the booking index holds it. */
export function aSegment(
  customerId: string,
  flight: FlightRef = aFlight(),
  bookingRef = `BK-${customerId}`,
): PassengerSegment {
  return { bookingRef, customerId, flightNumber: flight.flightNumber, date: flight.date };
}
