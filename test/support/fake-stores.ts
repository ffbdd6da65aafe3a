/**
 * The stores a preview, a broadcast request and the planner read, as fakes holding one incident,
 * one template and the passengers booked on the flights; broadcasts, deliveries, fanout and audit
 * start empty. Each test says only what its case is about.
 */
import type { Customer, Flight, Incident, PassengerSegment, TemplateVersion } from '#shared/domain/model.ts';
import { aFlight, anIncident, aTemplate } from '#test/support/builders.ts';
import {
  FakeAuditStore,
  FakeBookingIndex,
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeFanout,
  FakeFlightCatalog,
  FakeIncidentStore,
  FakeTemplateStore,
} from '#test/support/fakes.ts';

export interface FakeWorld {
  /** anIncident() unless given. */
  incident?: Incident;
  /** aTemplate() unless given. */
  template?: TemplateVersion;
  /** aFlight() unless given. */
  flights?: Flight[];
  segments?: PassengerSegment[];
  /** How many segments the booking index answers per page (its default unless given). */
  segmentsPerPage?: number;
  customers?: Customer[];
}

export async function fakeStores({
  incident = anIncident(),
  template = aTemplate(),
  flights = [aFlight()],
  segments = [],
  segmentsPerPage,
  customers = [],
}: FakeWorld = {}) {
  const incidents = new FakeIncidentStore();
  await incidents.create(incident);
  const templates = new FakeTemplateStore();
  await templates.put(template);
  const broadcasts = new FakeBroadcastStore();
  return {
    incidents,
    templates,
    broadcasts,
    deliveries: new FakeDeliveryStore(broadcasts),
    fanout: new FakeFanout(),
    audit: new FakeAuditStore(),
    flights: new FakeFlightCatalog(flights),
    bookings: new FakeBookingIndex(segments, segmentsPerPage),
    customers: new FakeCustomerDirectory(customers),
  };
}

export type FakeStores = Awaited<ReturnType<typeof fakeStores>>;
