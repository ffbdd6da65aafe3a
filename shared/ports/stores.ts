/** Persistence and messaging ports. The DynamoDB, SNS and S3 adapters implement them. */

import type { BusMessage, BusTarget } from '#shared/domain/bus-messages.ts';
import type { CounterDeltas } from '#shared/domain/channel-counts.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type {
  AuditEntry,
  Booking,
  Broadcast,
  BroadcastStatus,
  Channel,
  Customer,
  Delivery,
  DeliveryStatus,
  Flight,
  FlightRef,
  Incident,
  IncidentSummary,
  Language,
  PassengerSegment,
  PostChannel,
  TemplateSummary,
  TemplateVersion,
  TimeWindow,
} from '#shared/domain/model.ts';
import type { Page, PageRequest } from '#shared/domain/page.ts';

// Every store's list speaks these: its adapters and callers take them from here.
export type { Page, PageRequest } from '#shared/domain/page.ts';

export interface IncidentStore {
  create(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** Newest first, whole (the status site renders their scopes). */
  list(limit: number): Promise<Incident[]>;
  /** Newest first, a page at a time, as summaries. */
  summaries(page: PageRequest): Promise<Page<IncidentSummary>>;
  /**
   * Marks an open incident resolved at `resolvedAt`; an incident resolved already keeps its
   * first resolvedAt (`resolvedNow` false). Undefined when there is no such incident.
   */
  resolve(id: string, resolvedAt: string): Promise<{ incident: Incident; resolvedNow: boolean } | undefined>;
  /** Provider id of the incident's first public post on a channel in a language: its thread. */
  threadRoot(incidentId: string, channel: PostChannel, language: Language): Promise<string | undefined>;
  /** Records the thread's first post; a root recorded earlier is kept. */
  recordThreadRoot(
    incidentId: string,
    channel: PostChannel,
    language: Language,
    providerId: string,
  ): Promise<void>;
}

/** A public update on an incident's timeline, one text per language. */
export interface TimelineEntry {
  incidentId: string;
  /** Absent for a resolution without a broadcast (`POST /incidents/{id}/resolve`). */
  broadcastId?: string;
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
  /** Stores a new version unless that id and version exist already (a concurrent edit); true when written. */
  createVersion(template: TemplateVersion): Promise<boolean>;
  /** Every version of a template, newest first; empty when there is no such template. */
  versions(id: string): Promise<TemplateVersion[]>;
  /** One line per template, by id, a page of templates at a time. */
  list(page: PageRequest): Promise<Page<TemplateSummary>>;
  /** Moves a version on, only if it is still in status `from`; true when it moved. */
  transition(
    id: string,
    version: number,
    from: TemplateVersion['status'],
    changes: Partial<Omit<TemplateVersion, 'id' | 'version'>> & Pick<TemplateVersion, 'status'>,
  ): Promise<boolean>;
}

export interface AuditQuery {
  limit: number;
  /** Oldest entry time to include (ISO 8601). */
  from?: string;
  /** The `next` cursor of an earlier page: only entries older than its last. */
  next?: string;
}

/** Append-only: nothing here can change or delete an entry. */
export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; `next` is set when there may be more. */
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}

export type { CountField } from '#shared/domain/channel-counts.ts';

/**
 * Counts folded from a run of the ledger's change stream for one broadcast: on which stream shard,
 * between which of its sequence numbers (zero-padded, so they compare as strings).
 */
export interface StreamedCounts {
  shard: string;
  first: string;
  last: string;
  deltas: CounterDeltas;
}

/**
 * What adding streamed counts did: `added`; `overlap` when the shard's counts already reach
 * `first` (a retried batch), changing nothing; `unknown-broadcast` when there is no such broadcast.
 */
export type StreamedCountsOutcome = 'added' | 'overlap' | 'unknown-broadcast';
export type BroadcastMilestones = Partial<
  Pick<
    Broadcast,
    | 'startedAt'
    | 'plannedAt'
    | 'completedAt'
    | 'cancelledAt'
    | 'lastActivityAt'
    | 'countsFinalAt'
    | 'approvedBy'
    | 'approvedAt'
  >
>;
export type StatusChange = BroadcastMilestones & { from?: BroadcastStatus[] };

/** An Idempotency-Key as stored: scoped to its caller and incident, with the hash of its request. */
export interface IdempotencyClaim {
  user: string;
  incidentId: string;
  key: string;
  requestHash: string;
  /** After it the key is forgotten (the table's TTL), and an item DynamoDB has not yet deleted counts as gone. */
  expiresAt: Date;
}

/** A broadcast stored under a live idempotency key, with the hash of the request that created it. */
export interface KeyedBroadcast {
  broadcast: Broadcast;
  requestHash: string;
}

/** A new broadcast, or the one stored earlier under the same live key. */
export type CreateOutcome =
  | ({ created: true } & Pick<KeyedBroadcast, 'broadcast'>)
  | ({ created: false } & KeyedBroadcast);

export interface BroadcastStore {
  /**
   * Stores a new broadcast, with its idempotency claim in the same write; when the claim's key is
   * live already, stores nothing and returns what was stored under it (read consistently).
   */
  create(broadcast: Broadcast, idempotency?: IdempotencyClaim): Promise<CreateOutcome>;
  /** The broadcast stored under the claim's key while it is live (read consistently), if any. */
  findByIdempotencyKey(
    idempotency: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>,
  ): Promise<KeyedBroadcast | undefined>;
  get(id: string): Promise<Broadcast | undefined>;
  /** An incident's broadcasts, newest first, a page at a time (a Query on the incident's partition). */
  listByIncident(incidentId: string, page: PageRequest): Promise<Page<Broadcast>>;
  /** Sets the status (and milestones); with `from`, only if the status is one of those. True when set. */
  setStatus(id: string, status: BroadcastStatus, change?: StatusChange): Promise<boolean>;
  /**
   * Broadcasts still queued or sending, and cancelled ones whose counts are not final yet
   * (without `countsFinalAt`).
   */
  listActive(): AsyncIterable<Broadcast>;
  /** Broadcasts waiting for approval, oldest first (a sparse index: a handful at any time). */
  listPendingApproval(): AsyncIterable<Broadcast>;
  /**
   * Sets the recipient total of a channel, counted from the ledger once planning ended: from then
   * on it is the channel's `recipients`, whatever the stream has counted so far.
   */
  setRecipients(id: string, channel: Channel, recipients: number): Promise<void>;
  /**
   * Adds counts folded from the ledger's change stream, unless the shard's counts already reach
   * `first` (exactly once, however often a stream batch is retried).
   */
  addStreamedCounts(id: string, counts: StreamedCounts): Promise<StreamedCountsOutcome>;
  /** The last sequence number of `shard` counted for the broadcast (strongly consistent). */
  streamedThrough(id: string, shard: string): Promise<string | undefined>;
}

export interface FlightCatalog {
  get(ref: FlightRef): Promise<Flight | undefined>;
  departingFrom(airport: string, window: TimeWindow): AsyncIterable<Flight>;
  arrivingAt(airport: string, window: TimeWindow): AsyncIterable<Flight>;
  departingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight>;
  arrivingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight>;
  /** Every flight departing inside the (half-open) window, whatever its airports or carrier. */
  departingBetween(window: TimeWindow): AsyncIterable<Flight>;
  putMany(flights: Flight[]): Promise<void>;
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
  /** Records an opt-out (the provider saying the number unsubscribed) now, as the latest opt change. */
  setOptedOut(customerId: string, optedOut: boolean): Promise<void>;
  findByPhone(phone: string): Promise<Customer[]>;
}

/** The inbound webhook's side of the customers: opt changes in the order their messages arrived. */
export interface OptChangeRecorder {
  /**
   * Records an opt-out (STOP) or opt-in (START) whose message arrived at `arrivedAt` (ISO), unless
   * the customer's last opt change arrived at or after it; true when recorded. A message arriving
   * twice (a retry, a replay) changes nothing the second time.
   */
  recordOptChange(customerId: string, optedOut: boolean, arrivedAt: string): Promise<boolean>;
}

/** Twilio's inbound messages seen, by MessageSid, each kept until its expiry (the table's TTL). */
export interface InboundMessageLedger {
  /**
   * When the message first arrived: records `arrivedAt` for a MessageSid not seen before (one
   * conditional put), or returns the time recorded when it came first (`repeated`).
   */
  firstArrival(
    messageSid: string,
    arrivedAt: string,
    expiresAt: Date,
  ): Promise<{ arrivedAt: string; repeated: boolean }>;
}

/** The import's side of the customers. */
export interface CustomerWriter {
  /** Upserts many customers, keeping an opt-out recorded since (a re-import must not undo a STOP). */
  putMany(customers: Customer[]): Promise<void>;
}

export type DeliveryKey = { broadcastId: string; channel: Channel; recipientId: string };

export interface TransitionOptions {
  from?: DeliveryStatus[];
  /** Only while this invocation still holds the record's lease (it claimed it and nobody took it over). */
  owner?: string;
  /**
   * Back to `queued` after an attempt that may have reached the provider (a timeout): the record
   * stays uncertain, so the next claim reconciles. Any other move clears the uncertainty.
   */
  uncertain?: boolean;
  providerId?: string;
  /** The SMS provider that accepted it (a move to `sent`). */
  provider?: string;
  lastError?: string;
  /** The hash of the text the provider accepted (a move to `sent`). */
  textSha256?: string;
  /** Provider calls this attempt made, added to the record's `calls`. */
  calls?: number;
  /** Messages the provider holds beyond the one recorded, added to the record's `duplicatesSuspected`. */
  duplicatesSuspected?: number;
}

/** A claim on a record (or on a named job) for one holder until a time. */
export interface Lease {
  owner: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What claiming a record found out about its earlier attempts. */
export interface Claim {
  /** Set when an earlier attempt may have reached the provider unrecorded: ask it from this time on. */
  uncertainSince?: string;
  /** The record's claims so far, this one included (its `attempts` after the claim). */
  attempts: number;
}

/** A page of a broadcast's delivery records, only those in `status` and on `channel` if given. */
export interface DeliveryQuery extends PageRequest {
  status?: DeliveryStatus;
  channel?: Channel;
}

export interface DeliveryStore {
  /**
   * Several records of one broadcast and channel at once (BatchGetItem), as last written (a strongly
   * consistent read); missing ones are left out.
   */
  getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<LedgerRecord[]>;
  /**
   * A broadcast's records, a page at a time, its shards one after another and each by channel and
   * recipient (a page may span shards); with `status`, only those in it.
   */
  list(broadcastId: string, query: DeliveryQuery): Promise<Page<Delivery>>;
  /** A broadcast's records still queued or sending (a Query of each of its shards). */
  unsettled(broadcastId: string): AsyncIterable<LedgerRecord>;
  /** How many records a broadcast has on a channel. */
  count(broadcastId: string, channel: Channel): Promise<number>;
  /** A broadcast's stored counts summed from its records (a read of all its shards). */
  tally(broadcastId: string): Promise<CounterDeltas>;
  /**
   * Writes each record unless one exists for the same broadcast, channel and recipient (one
   * conditional put each, nothing else); returns those written. The broadcast's counters follow
   * from the ledger's change stream.
   */
  createMany(deliveries: LedgerRecord[]): Promise<LedgerRecord[]>;
  get(broadcastId: string, channel: Channel, recipientId: string): Promise<LedgerRecord | undefined>;
  /**
   * Moves a record to a new status (one conditional write); with `from`, only if it is currently
   * in one of those statuses (false otherwise).
   */
  transition(key: DeliveryKey, to: DeliveryStatus, options?: TransitionOptions): Promise<boolean>;
  /**
   * Claims a record for one send (→ sending, attempts + 1) under `lease`: only a queued record, or
   * one left sending by a holder whose lease has run out. Undefined when it cannot be claimed
   * (settled, or another holder's lease is live).
   */
  claim(key: DeliveryKey, lease: Lease): Promise<Claim | undefined>;
  /** Adds a duplicate found after the record was settled (a send that outlived its lease). */
  noteDuplicate(key: DeliveryKey): Promise<void>;
  /**
   * Stamps `fallbackAt` before a send to the fallback provider, while `owner` still holds the
   * record's lease (false when it does not): the one write a failover adds.
   */
  noteFallbackAttempt(key: DeliveryKey, owner: string): Promise<boolean>;
}

/** Puts work on the broadcast topic; the `target` attribute routes it to one worker's queue. */
export interface Fanout {
  publish<T extends BusTarget>(target: T, message: BusMessage<T>): Promise<void>;
  /** Several messages for one target, in as few requests as the topic allows; throws unless all were published. */
  publishMany<T extends BusTarget>(target: T, messages: BusMessage<T>[]): Promise<void>;
}

/** A provider's send rate, shared by every worker that sends through it. */
export interface RateLimiter {
  /** Resolves when one more send fits in the rate; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/** Named leases, so that only one runner at a time does a job (the sweep). */
export interface LeaseStore {
  /** Takes the lease unless another owner's is still live; true when taken. */
  acquire(name: string, lease: Lease): Promise<boolean>;
  /** Gives the lease up early, if `owner` still holds it. */
  release(name: string, owner: string): Promise<void>;
}

export interface StaticSite {
  put(key: string, body: string, contentType: string): Promise<void>;
}
