/** Persistence and messaging ports. The DynamoDB, SNS and S3 adapters implement them. */

import type { BusTarget } from '#functions/manifest.ts';
import type {
  Booking,
  Broadcast,
  BroadcastStatus,
  Channel,
  ChannelCounts,
  Customer,
  Delivery,
  DeliveryStatus,
  Flight,
  FlightRef,
  Incident,
  PassengerSegment,
  TemplateVersion,
  TimeWindow,
} from '#shared/domain/model.ts';

export interface IncidentStore {
  create(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** Newest first. */
  list(limit: number): Promise<Incident[]>;
}

/** A public update on an incident's timeline, one text per language. */
export interface TimelineEntry {
  incidentId: string;
  broadcastId: string;
  kind: Broadcast['kind'];
  publishedAt: string;
  texts: Partial<Record<string, { title: string; body: string }>>;
}

export interface TimelineStore {
  append(entry: TimelineEntry): Promise<void>;
  /** Oldest first. */
  entries(incidentId: string): Promise<TimelineEntry[]>;
}

export interface TemplateStore {
  getVersion(id: string, version: number): Promise<TemplateVersion | undefined>;
  /** The highest approved version, if any. */
  latestApproved(id: string): Promise<TemplateVersion | undefined>;
  put(template: TemplateVersion): Promise<void>;
}

export type CountField = keyof ChannelCounts;
export type BroadcastMilestones = Partial<Pick<Broadcast, 'startedAt' | 'plannedAt' | 'completedAt'>>;

export interface BroadcastStore {
  /** Stores a new broadcast; with an idempotency key, returns the broadcast stored earlier under it instead. */
  create(broadcast: Broadcast, idempotencyKey?: string): Promise<Broadcast>;
  get(id: string): Promise<Broadcast | undefined>;
  setStatus(id: string, status: BroadcastStatus, at?: BroadcastMilestones): Promise<void>;
  /** Atomically adds to the per-channel counters. */
  addCounts(id: string, channel: Channel, deltas: Partial<Record<CountField, number>>): Promise<void>;
}

export interface FlightCatalog {
  get(ref: FlightRef): Promise<Flight | undefined>;
  departingFrom(airport: string, window: TimeWindow): AsyncIterable<Flight>;
  arrivingAt(airport: string, window: TimeWindow): AsyncIterable<Flight>;
  departingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight>;
  arrivingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight>;
  /** Every flight departing inside the (half-open) window, whatever its airports or carrier. */
  departingBetween(window: TimeWindow): AsyncIterable<Flight>;
  put(flight: Flight): Promise<void>;
}

export interface BookingIndex {
  /** Every passenger booked on a flight, page by page. */
  passengersOn(ref: FlightRef): AsyncIterable<PassengerSegment[]>;
  putSegments(segments: PassengerSegment[]): Promise<void>;
}

/** The import's side of the bookings, kept apart so readers and their fakes need not know it. */
export interface BookingWriter {
  /**
   * Stores each booking as its passenger × segment items and deletes the items an earlier
   * version had that this one no longer has, so re-importing a booking updates it in place.
   */
  replaceBookings(bookings: Booking[]): Promise<void>;
}

export interface CustomerDirectory {
  getMany(customerIds: string[]): Promise<Customer[]>;
  put(customer: Customer): Promise<void>;
  /** Records an opt-out (STOP, or the provider saying the number unsubscribed) or an opt-in (START). */
  setOptedOut(customerId: string, optedOut: boolean): Promise<void>;
  findByPhone(phone: string): Promise<Customer[]>;
}

/** The import's side of the customers. */
export interface CustomerWriter {
  /** Upserts many customers, keeping an opt-out recorded since (a re-import must not undo a STOP). */
  putMany(customers: Customer[]): Promise<void>;
}

export type DeliveryKey = { broadcastId: string; channel: Channel; recipientId: string };

export interface TransitionOptions {
  from?: DeliveryStatus[];
  providerId?: string;
  lastError?: string;
  counts?: Partial<Record<CountField, number>>;
}

export interface DeliveryStore {
  /** Writes the record unless one exists for the same broadcast, channel and recipient; true when written. */
  createIfAbsent(delivery: Delivery & { payload?: Record<string, string> }): Promise<boolean>;
  get(
    broadcastId: string,
    channel: Channel,
    recipientId: string,
  ): Promise<(Delivery & { payload?: Record<string, string> }) | undefined>;
  /**
   * Moves a record to a new status; with `from`, only if it is currently in one of those
   * statuses (false otherwise); with `counts`, the broadcast's counters change in the same
   * transaction.
   */
  transition(key: DeliveryKey, to: DeliveryStatus, options?: TransitionOptions): Promise<boolean>;
}

/** Puts work on the broadcast topic; the `target` attribute routes it to one worker's queue. */
export interface Fanout {
  publish(target: BusTarget, message: object): Promise<void>;
}

/** A provider's send rate, shared by every worker that sends through it. */
export interface RateLimiter {
  /** Resolves when one more send fits in the rate. */
  acquire(): Promise<void>;
}

export interface StaticSite {
  put(key: string, body: string, contentType: string): Promise<void>;
}
