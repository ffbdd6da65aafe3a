import pMap from 'p-map';
import type { PassengerLookup, PassengerMessage } from '#shared/api/passengers.ts';
import { deliveryProblem } from '#shared/domain/delivery-problems.ts';
import { deliveryTimes } from '#shared/domain/delivery-times.ts';
import { NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import { maskPhone, maskPhonesIn } from '#shared/domain/masking.ts';
import type { Broadcast, Customer, IncidentSummary, TimeWindow } from '#shared/domain/model.ts';
import type { BookingLookup, SmsRecordReader } from '#shared/ports/passenger-lookup.ts';
import type { BroadcastStore, CustomerDirectory, IncidentStore, PageRequest } from '#shared/ports/stores.ts';

export interface LookupPassengerDeps {
  customers: CustomerDirectory;
  bookings: BookingLookup;
  incidents: IncidentStore;
  broadcasts: BroadcastStore;
  smsRecords: SmsRecordReader;
}

/** Exactly one of the three names the passenger; `limit` is how many incidents a page covers. */
export interface PassengerQuery extends PageRequest {
  bookingRef?: string;
  phone?: string;
  customerId?: string;
}

const DAY_MS = 86_400_000;
/**
 * How far around a flight's date an incident's window may lie and still concern it: the local
 * date starts up to 14 h before its UTC day, a flight may land the day after, and an area's
 * overflights count from 20 h before the window. Two days either side hold all of these; the
 * SMS records read decide.
 */
const FLIGHT_DATE_MARGIN_MS = 2 * DAY_MS;
/** Incidents whose broadcasts are listed at once. */
const INCIDENTS_IN_FLIGHT = 8;
const BROADCASTS_PAGE = { limit: 100 };

/** Who the query names, and the flight dates that narrow the incidents (a booking's only). */
interface Passengers {
  customers: Customer[];
  flightDates?: string[];
}

/** `exactly one` as a 422 naming the three fields. */
function onlyKey(query: PassengerQuery): ['bookingRef' | 'phone' | 'customerId', string] {
  const given = (['bookingRef', 'phone', 'customerId'] as const).flatMap((field) => {
    const value = query[field]?.trim();
    return value ? [[field, value] as [typeof field, string]] : [];
  });
  const [only] = given;
  if (given.length !== 1 || !only) {
    const message = 'Give exactly one of bookingRef, phone and customerId.';
    throw new ValidationError(message, [
      { path: 'bookingRef', message },
      { path: 'phone', message },
      { path: 'customerId', message },
    ]);
  }
  return only;
}

/** A number whose `+` a query string turned into a space (and `trim` removed) gets it back. */
const internationalPhone = (phone: string) => (/^\d/.test(phone) ? `+${phone}` : phone);

async function resolvePassengers(query: PassengerQuery, deps: LookupPassengerDeps): Promise<Passengers> {
  const [field, value] = onlyKey(query);
  if (field === 'bookingRef') {
    // References are capitals and digits (import-formats.ts): a lower-case query is the same booking.
    const bookingRef = value.toUpperCase();
    const segments = await deps.bookings.segmentsOf(bookingRef);
    if (segments.length === 0) throw new NotFoundError('Booking', bookingRef);
    return {
      customers: await deps.customers.getMany(segments.map((segment) => segment.customerId)),
      flightDates: [...new Set(segments.map((segment) => segment.date))],
    };
  }
  if (field === 'phone') {
    const phone = internationalPhone(value);
    const customers = await deps.customers.findByPhone(phone);
    // The problem names the number masked: an error never echoes a phone number.
    if (customers.length === 0) throw new NotFoundError('Passenger with phone', maskPhone(phone));
    return { customers };
  }
  const customers = await deps.customers.getMany([value]);
  if (customers.length === 0) throw new NotFoundError('Customer', value);
  return { customers };
}

function concerns(window: TimeWindow, flightDates: string[] | undefined): boolean {
  if (!flightDates) return true;
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  return flightDates.some((date) => {
    const day = Date.parse(`${date}T00:00:00Z`);
    return start < day + DAY_MS + FLIGHT_DATE_MARGIN_MS && end > day - FLIGHT_DATE_MARGIN_MS;
  });
}

/** An incident's broadcasts that sent SMS, newest first: every page of its partition. */
async function smsBroadcastsOf(incidentId: string, deps: LookupPassengerDeps): Promise<Broadcast[]> {
  const found: Broadcast[] = [];
  let next: string | undefined;
  do {
    const page = await deps.broadcasts.listByIncident(incidentId, { ...BROADCASTS_PAGE, next });
    found.push(...page.items);
    next = page.next;
  } while (next !== undefined);
  // One waiting for approval has written no record yet.
  return found.filter(
    (broadcast) => broadcast.channels.includes('sms') && broadcast.status !== 'pending_approval',
  );
}

/**
 * Every SMS Herald sent a passenger, across incidents, a page of incidents at a time:
 * 1. resolves the passenger to customers: a booking's passengers (one Query on its partition,
 *    then a BatchGet of the customers), the customers with a phone number (the byPhone index),
 *    or one customer (GetItem); 404 when there is none;
 * 2. reads a page of incidents, newest first (`limit` of them, after `next`), and for a booking
 *    keeps those whose window lies near one of its flight dates;
 * 3. lists those incidents' broadcasts that sent SMS (a Query each, a few at a time);
 * 4. reads the customers' SMS records in those broadcasts by key (BatchGet, no index);
 * 5. answers each record with its incident, broadcast, status, times, attempts and problem (the
 *    provider's code and a readable reason), numbers masked, newest incident first.
 * A page may hold no message while `next` says more incidents follow.
 */
export async function lookupPassenger(
  query: PassengerQuery,
  deps: LookupPassengerDeps,
): Promise<PassengerLookup> {
  const { customers, flightDates } = await resolvePassengers(query, deps);
  const incidents = await deps.incidents.summaries({ limit: query.limit, next: query.next });
  const concerned = incidents.items.filter((incident) => concerns(incident.window, flightDates));
  const broadcastsByIncident = await pMap(concerned, (incident) => smsBroadcastsOf(incident.id, deps), {
    concurrency: INCIDENTS_IN_FLIGHT,
  });
  const broadcasts = broadcastsByIncident.flat();
  const customerIds = customers.map((customer) => customer.customerId);
  const records = await deps.smsRecords.smsRecords(
    broadcasts.map((broadcast) => broadcast.id),
    customerIds,
  );
  const recordOf = new Map(records.map((record) => [`${record.broadcastId}#${record.recipientId}`, record]));
  const phoneOf = new Map(customers.map((customer) => [customer.customerId, maskPhone(customer.phone)]));
  const incidentOf = new Map<string, IncidentSummary>(concerned.map((incident) => [incident.id, incident]));

  const items = broadcasts.flatMap((broadcast) =>
    customerIds.flatMap((customerId): PassengerMessage[] => {
      const record = recordOf.get(`${broadcast.id}#${customerId}`);
      if (!record) return [];
      const problem = deliveryProblem(record, broadcast.status);
      const payload = record.payload ?? {};
      return [
        {
          incidentId: broadcast.incidentId,
          incidentTitle: incidentOf.get(broadcast.incidentId)?.title ?? '',
          broadcastId: broadcast.id,
          kind: broadcast.kind,
          broadcastStatus: broadcast.status,
          channel: 'sms',
          customerId,
          phone: phoneOf.get(customerId) ?? '',
          ...(payload.bookingRef ? { bookingRef: payload.bookingRef } : {}),
          ...(payload.flightNumber ? { flightNumber: payload.flightNumber } : {}),
          ...(payload.date ? { flightDate: payload.date } : {}),
          status: record.status,
          attempts: record.attempts,
          ...deliveryTimes(record, broadcast),
          updatedAt: record.updatedAt,
          ...(record.lastError === undefined ? {} : { lastError: maskPhonesIn(record.lastError) }),
          ...(problem ? { errorCode: problem.code, reason: problem.reason } : {}),
        },
      ];
    }),
  );
  return {
    passengers: customers.map((customer) => ({
      customerId: customer.customerId,
      phone: maskPhone(customer.phone),
      language: customer.language,
      smsConsent: customer.smsConsent,
      optedOut: customer.optedOut === true,
    })),
    items,
    ...(incidents.next === undefined ? {} : { next: incidents.next }),
  };
}
