/**
 * In-memory fakes of the ports, faithful to the ledger's rules (the same conditions the
 * DynamoDB adapters write), for fast tests of the use cases.
 */
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor.ts';
import type { ApprovalNotice } from '#shared/domain/approval-notice.ts';
import {
  addDeltas,
  type CounterDeltas,
  deriveCounts,
  emptyCounts,
  recordCounts,
} from '#shared/domain/channel-counts.ts';
import { firstTimeFields } from '#shared/domain/delivery-times.ts';
import { isClaimable } from '#shared/domain/leases.ts';
import type {
  AuditEntry,
  Broadcast,
  BroadcastStatus,
  Channel,
  ChannelCounts,
  Customer,
  Delivery,
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
import type { SmsOrigin } from '#shared/domain/sms-senders.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { ApprovalNotifier } from '#shared/ports/notifications.ts';
import type { BookingLookup, SmsRecordReader } from '#shared/ports/passenger-lookup.ts';
import type { SentSmsQuery, SmsMessage, SmsSender } from '#shared/ports/providers.ts';
import type {
  AuditQuery,
  AuditStore,
  BookingIndex,
  BroadcastStore,
  Claim,
  CountField,
  CreateOutcome,
  CustomerDirectory,
  DeliveryKey,
  DeliveryQuery,
  DeliveryStore,
  Fanout,
  FlightCatalog,
  IdempotencyClaim,
  InboundMessageLedger,
  IncidentStore,
  KeyedBroadcast,
  Lease,
  LeaseStore,
  OptChangeRecorder,
  Page,
  PageRequest,
  RateLimiter,
  StatusChange,
  StreamedCounts,
  StreamedCountsOutcome,
  TemplateStore,
  TransitionOptions,
} from '#shared/ports/stores.ts';
import { countDeliveries, type LedgerChange, paddedSequence } from '#shared/use-cases/count-deliveries.ts';

type Stored = Delivery & { payload?: Record<string, string> };

/** A page of `items` (already in list order) as the adapters page them; the cursor names the last item. */
function pageOf<T>(items: T[], request: PageRequest, idOf: (item: T) => string): Page<T> {
  const after = request.next && decodeCursor(request.next, { attributes: ['after'], partition: {} }).after;
  const start = after === undefined ? 0 : items.findIndex((item) => idOf(item) === after) + 1;
  const page = items.slice(start, start + request.limit);
  const last = page.at(-1);
  return last && start + request.limit < items.length
    ? { items: page, next: encodeCursor({ after: idOf(last) }) }
    : { items: page };
}

const recordKey = ({ broadcastId, channel, recipientId }: DeliveryKey) =>
  `${broadcastId}#${channel}#${recipientId}`;

const scopedKey = ({ user, incidentId, key }: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>) =>
  `${user}#${incidentId}#${key}`;

/**
 * Broadcasts whose counters only the ledger's change stream moves (exactly once per shard and
 * sequence number, as the adapter's condition holds), `queued` and `notSent` derived as stored
 * ones are, and a channel's recipient total, once set, standing for its recipients.
 */
export class FakeBroadcastStore implements BroadcastStore {
  readonly items = new Map<string, Broadcast>();
  private readonly recipientTotals = new Map<string, number>();
  private readonly streamed = new Map<string, string>();

  add(broadcast: Partial<Broadcast> & Pick<Broadcast, 'id'>): Broadcast {
    const full: Broadcast = {
      incidentId: 'incident-1',
      templateId: 'template-1',
      templateVersion: 1,
      variables: {},
      channels: ['sms'],
      kind: 'initial',
      status: 'sending',
      createdAt: new Date().toISOString(),
      createdBy: 'olli.operator',
      counts: {},
      ...broadcast,
    };
    for (const channel of full.channels) full.counts[channel] ??= emptyCounts();
    this.items.set(full.id, full);
    return full;
  }

  /** What is stored under each scoped idempotency key, written with the broadcast as the adapter does. */
  readonly idempotencyKeys = new Map<string, { broadcastId: string; requestHash: string; expiresAt: Date }>();

  async create(broadcast: Broadcast, idempotency?: IdempotencyClaim): Promise<CreateOutcome> {
    if (idempotency === undefined) return { created: true, broadcast: this.add(broadcast) };
    const earlier = await this.findByIdempotencyKey(idempotency);
    if (earlier) return { created: false, ...earlier };
    this.idempotencyKeys.set(scopedKey(idempotency), { ...idempotency, broadcastId: broadcast.id });
    return { created: true, broadcast: this.add(broadcast) };
  }

  async findByIdempotencyKey(
    idempotency: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>,
  ): Promise<KeyedBroadcast | undefined> {
    const earlier = this.idempotencyKeys.get(scopedKey(idempotency));
    // An expired key counts as absent, as the adapter's condition treats one DynamoDB has not deleted yet.
    const broadcast =
      earlier && earlier.expiresAt > new Date() ? await this.get(earlier.broadcastId) : undefined;
    return earlier && broadcast && { broadcast, requestHash: earlier.requestHash };
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const broadcast = this.items.get(id);
    if (!broadcast) return undefined;
    const copy = structuredClone(broadcast);
    for (const [channel, counts] of Object.entries(copy.counts)) {
      counts.recipients = this.recipientTotals.get(`${id}#${channel}`) ?? counts.recipients;
      deriveCounts(counts, copy.status);
    }
    return copy;
  }

  async listByIncident(incidentId: string, request: PageRequest): Promise<Page<Broadcast>> {
    const newestFirst = [...this.items.values()]
      .filter((broadcast) => broadcast.incidentId === incidentId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return pageOf(newestFirst, request, (broadcast) => broadcast.id);
  }

  async setStatus(id: string, status: BroadcastStatus, change: StatusChange = {}): Promise<boolean> {
    const broadcast = this.items.get(id);
    const { from, ...milestones } = change;
    if (!broadcast || (from && !from.includes(broadcast.status))) return false;
    Object.assign(broadcast, milestones, { status });
    return true;
  }

  async *listActive(): AsyncIterable<Broadcast> {
    for (const { id, status, countsFinalAt } of this.items.values()) {
      const listed =
        status === 'queued' || status === 'sending' || (status === 'cancelled' && !countsFinalAt);
      const broadcast = listed ? await this.get(id) : undefined;
      if (broadcast) yield broadcast;
    }
  }

  async *listPendingApproval(): AsyncIterable<Broadcast> {
    for (const { id, status } of this.items.values()) {
      const broadcast = status === 'pending_approval' ? await this.get(id) : undefined;
      if (broadcast) yield broadcast;
    }
  }

  async setRecipients(id: string, channel: Channel, recipients: number): Promise<void> {
    if (!this.items.has(id)) throw new Error(`No broadcast ${id}`);
    this.recipientTotals.set(`${id}#${channel}`, recipients);
  }

  async addStreamedCounts(id: string, counts: StreamedCounts): Promise<StreamedCountsOutcome> {
    const broadcast = this.items.get(id);
    if (!broadcast) return 'unknown-broadcast';
    const through = this.streamed.get(`${id}#${counts.shard}`);
    if (through !== undefined && through >= counts.first) return 'overlap';
    for (const [channel, fields] of Object.entries(counts.deltas) as [Channel, CounterDeltas[Channel]][]) {
      const stored = this.countsOf(id, channel);
      for (const [field, delta] of Object.entries(fields ?? {}) as [CountField, number][])
        stored[field] += delta;
    }
    this.streamed.set(`${id}#${counts.shard}`, counts.last);
    broadcast.lastActivityAt = new Date().toISOString();
    return 'added';
  }

  async streamedThrough(id: string, shard: string): Promise<string | undefined> {
    return this.streamed.get(`${id}#${shard}`);
  }

  private countsOf(id: string, channel: Channel): ChannelCounts {
    const broadcast = this.items.get(id);
    if (!broadcast) throw new Error(`No broadcast ${id}`);
    broadcast.counts[channel] ??= emptyCounts();
    return broadcast.counts[channel];
  }
}

/**
 * The ledger's change stream: every write of a fake record, with its images before and after,
 * counted by the stream consumer's use case on one shard, at once or, while `lagging`, when
 * `flush` delivers what waits (as a batch, which may be delivered again: `redeliver`).
 */
export class FakeLedgerStream {
  lagging = false;
  private waiting: LedgerChange[] = [];
  private delivered: LedgerChange[] = [];
  private sequence = 0;

  constructor(private readonly broadcasts: FakeBroadcastStore) {}

  async write(before: Stored | undefined, after: Stored | undefined): Promise<void> {
    this.waiting.push({
      sequence: paddedSequence(String(++this.sequence)),
      ...(before ? { before: structuredClone(before) } : {}),
      ...(after ? { after: structuredClone(after) } : {}),
    });
    if (!this.lagging) await this.flush();
  }

  /** Counts every change waiting, as one batch. */
  async flush(): Promise<void> {
    this.delivered = this.waiting;
    this.waiting = [];
    if (this.delivered.length > 0)
      await countDeliveries('fake-shard', this.delivered, { broadcasts: this.broadcasts });
  }

  /** Delivers the last batch again, as Lambda retries one whose invocation failed. */
  async redeliver(): Promise<void> {
    await countDeliveries('fake-shard', this.delivered, { broadcasts: this.broadcasts });
  }
}

/** The delivery ledger in a Map, with the DynamoDB adapter's conditions, feeding its change stream. */
export class FakeDeliveryStore implements DeliveryStore, SmsRecordReader {
  readonly records = new Map<string, Stored>();
  readonly stream: FakeLedgerStream;

  constructor(broadcasts: FakeBroadcastStore) {
    this.stream = new FakeLedgerStream(broadcasts);
  }

  record(key: DeliveryKey): Stored | undefined {
    return this.records.get(recordKey(key));
  }

  async getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<Stored[]> {
    return recipientIds.flatMap((recipientId) => {
      const found = this.record({ broadcastId, channel, recipientId });
      return found ? [structuredClone(found)] : [];
    });
  }

  /** Keys read, as the adapter's BatchGets would name them: what a lookup costs. */
  smsKeysRead = 0;

  async smsRecords(broadcastIds: string[], customerIds: string[]): Promise<Stored[]> {
    const broadcasts = [...new Set(broadcastIds)];
    this.smsKeysRead += broadcasts.length * new Set(customerIds).size;
    return (
      await Promise.all(
        broadcasts.map((broadcastId) => this.getMany(broadcastId, 'sms', [...new Set(customerIds)])),
      )
    ).flat();
  }

  async list(broadcastId: string, query: DeliveryQuery): Promise<Page<Delivery>> {
    const records = [...this.records.values()]
      .filter(
        (record) =>
          record.broadcastId === broadcastId &&
          (!query.status || record.status === query.status) &&
          (!query.channel || record.channel === query.channel),
      )
      .sort((a, b) => recordKey(a).localeCompare(recordKey(b)))
      .map(({ payload: _payload, ...record }) => structuredClone(record));
    return pageOf(records, query, recordKey);
  }

  async *unsettled(broadcastId: string): AsyncIterable<Stored> {
    for (const record of this.records.values()) {
      if (record.broadcastId === broadcastId && (record.status === 'queued' || record.status === 'sending'))
        yield structuredClone(record);
    }
  }

  async count(broadcastId: string, channel: Channel): Promise<number> {
    return [...this.records.values()].filter(
      (record) => record.broadcastId === broadcastId && record.channel === channel,
    ).length;
  }

  async tally(broadcastId: string): Promise<CounterDeltas> {
    const sums: CounterDeltas = {};
    for (const record of this.records.values())
      if (record.broadcastId === broadcastId) addDeltas(sums, record.channel, recordCounts(record));
    return sums;
  }

  async createMany(deliveries: Stored[]): Promise<Stored[]> {
    const created = deliveries.filter((delivery) => !this.records.has(recordKey(delivery)));
    for (const delivery of created) {
      this.records.set(recordKey(delivery), structuredClone(delivery));
      await this.stream.write(undefined, delivery);
    }
    return created;
  }

  async get(broadcastId: string, channel: Channel, recipientId: string): Promise<Stored | undefined> {
    const found = this.record({ broadcastId, channel, recipientId });
    return found && structuredClone(found);
  }

  async claim(key: DeliveryKey, lease: Lease): Promise<Claim | undefined> {
    const record = this.record(key);
    const now = new Date();
    if (!record || !isClaimable(record, now.getTime())) return undefined;
    const uncertainSince =
      record.uncertainSince ?? (record.status === 'sending' ? record.updatedAt : undefined);
    const before = structuredClone(record);
    Object.assign(record, {
      status: 'sending',
      leaseOwner: lease.owner,
      leaseExpiresAt: lease.expiresAt,
      updatedAt: now.toISOString(),
      uncertainSince: record.uncertainSince ?? now.toISOString(),
      attempts: record.attempts + 1,
    });
    await this.stream.write(before, record);
    const { attempts } = record;
    return uncertainSince === undefined ? { attempts } : { uncertainSince, attempts };
  }

  async transition(
    key: DeliveryKey,
    to: Delivery['status'],
    options: TransitionOptions = {},
  ): Promise<boolean> {
    const record = this.record(key);
    if (!record) return false;
    if (options.from && !options.from.includes(record.status)) return false;
    if (options.owner !== undefined && record.leaseOwner !== options.owner) return false;
    const before = structuredClone(record);
    record.status = to;
    record.updatedAt = new Date().toISOString();
    for (const timeField of firstTimeFields(to)) record[timeField] ??= record.updatedAt;
    if (options.providerId !== undefined) record.providerId = options.providerId;
    if (options.provider !== undefined) record.provider = options.provider;
    if (options.lastError !== undefined) record.lastError = options.lastError;
    if (options.textSha256 !== undefined) record.textSha256 = options.textSha256;
    if (options.calls) record.calls = (record.calls ?? 0) + options.calls;
    if (options.duplicatesSuspected)
      record.duplicatesSuspected = (record.duplicatesSuspected ?? 0) + options.duplicatesSuspected;
    delete record.leaseOwner;
    delete record.leaseExpiresAt;
    if (!options.uncertain) delete record.uncertainSince;
    await this.stream.write(before, record);
    return true;
  }

  async noteDuplicate(key: DeliveryKey): Promise<void> {
    const record = this.record(key);
    if (!record) throw new Error(`No record ${recordKey(key)}`);
    const before = structuredClone(record);
    record.duplicatesSuspected = (record.duplicatesSuspected ?? 0) + 1;
    await this.stream.write(before, record);
  }

  async noteFallbackAttempt(key: DeliveryKey, owner: string): Promise<boolean> {
    const record = this.record(key);
    if (record?.status !== 'sending' || record.leaseOwner !== owner) return false;
    record.fallbackAt = new Date().toISOString();
    return true;
  }
}

/** What was published, by target. */
export class FakeFanout implements Fanout {
  readonly published: { target: string; message: object }[] = [];

  async publish(target: string, message: object): Promise<void> {
    this.published.push({ target, message });
  }

  async publishMany(target: string, messages: object[]): Promise<void> {
    for (const message of messages) this.published.push({ target, message });
  }
}

export class FakeLeaseStore implements LeaseStore {
  readonly leases = new Map<string, Lease>();

  async acquire(name: string, lease: Lease): Promise<boolean> {
    const held = this.leases.get(name);
    if (held && held.expiresAt >= Date.now() && held.owner !== lease.owner) return false;
    this.leases.set(name, lease);
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }
}

/**
 * A provider that keeps what it accepted, as Twilio does, and answers each send with the next
 * scripted behaviour: accept, accept but lose the answer, or throw.
 */
export class FakeSmsProvider implements SmsSender {
  readonly accepted: { id: string; to: string; body: string; at: Date; sender?: SmsOrigin }[] = [];
  private readonly script: ((message: SmsMessage) => void)[] = [];
  private next = 1;

  /** Scripts the next sends: accept, accept and then throw (the answer lost), or throw without accepting. */
  willAnswer(...steps: ('accept' | { acceptThenThrow: Error } | { throw: Error })[]): this {
    for (const step of steps) {
      this.script.push((message) => {
        if (step === 'accept') return;
        if ('acceptThenThrow' in step) {
          this.store(message);
          throw step.acceptThenThrow;
        }
        throw step.throw;
      });
    }
    return this;
  }

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    this.script.shift()?.(message);
    return { providerId: this.store(message) };
  }

  async findSent({ to, body, since }: SentSmsQuery): Promise<string[]> {
    return this.accepted
      .filter((message) => message.to === to && message.body === body && message.at >= since)
      .reverse()
      .map((message) => message.id);
  }

  /** Messages accepted per phone number. */
  perPhone(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { to } of this.accepted) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  }

  private store(message: SmsMessage): string {
    const id = `SM${this.next++}`;
    this.accepted.push({ id, to: message.to, body: message.body, at: new Date(), sender: message.sender });
    return id;
  }
}

/** An invocation with plenty of time, or the time given. */
export function fakeInvocation(overrides: Partial<Invocation> & { timeMs?: number } = {}): Invocation {
  const { timeMs = 60_000, ...rest } = overrides;
  const stopAt = Date.now() + timeMs;
  return {
    id: `invocation-${Math.random().toString(36).slice(2)}`,
    signal: new AbortController().signal,
    remainingMs: () => Math.max(0, stopAt - Date.now()),
    lastChance: false,
    maxReceives: 1,
    ...rest,
  };
}

/** Incidents by id, with thread roots kept first-come as the adapter keeps them. */
export class FakeIncidentStore implements IncidentStore {
  readonly items = new Map<string, Incident>();
  private readonly roots = new Map<string, string>();

  async create(incident: Incident): Promise<void> {
    if (this.items.has(incident.id)) throw new Error(`Incident ${incident.id} exists`);
    this.items.set(incident.id, structuredClone(incident));
  }

  async get(id: string): Promise<Incident | undefined> {
    const incident = this.items.get(id);
    return incident && structuredClone(incident);
  }

  async list(limit: number): Promise<Incident[]> {
    return [...this.items.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((incident) => structuredClone(incident));
  }

  async summaries(request: PageRequest): Promise<Page<IncidentSummary>> {
    const summaries = (await this.list(this.items.size)).map(({ scope: _scope, ...summary }) => summary);
    return pageOf(summaries, request, (incident) => incident.id);
  }

  async resolve(id: string, resolvedAt: string) {
    const incident = this.items.get(id);
    if (!incident) return undefined;
    const resolvedNow = incident.status === 'open';
    if (resolvedNow) Object.assign(incident, { status: 'resolved', resolvedAt });
    return { incident: structuredClone(incident), resolvedNow };
  }

  async threadRoot(incidentId: string, channel: PostChannel, language: Language) {
    return this.roots.get(`${incidentId}#${channel}#${language}`);
  }

  async recordThreadRoot(
    incidentId: string,
    channel: PostChannel,
    language: Language,
    providerId: string,
  ): Promise<void> {
    const key = `${incidentId}#${channel}#${language}`;
    if (!this.roots.has(key)) this.roots.set(key, providerId);
  }
}

/** Template versions by id and version; `transition` and `createVersion` are conditional as in DynamoDB. */
export class FakeTemplateStore implements TemplateStore {
  private readonly items = new Map<string, TemplateVersion>();

  async getVersion(id: string, version: number): Promise<TemplateVersion | undefined> {
    const template = this.items.get(`${id}#${version}`);
    return template && structuredClone(template);
  }

  async latestApproved(id: string): Promise<TemplateVersion | undefined> {
    return (await this.versions(id)).find((template) => template.status === 'approved');
  }

  async put(template: TemplateVersion): Promise<void> {
    this.items.set(`${template.id}#${template.version}`, structuredClone(template));
  }

  async createVersion(template: TemplateVersion): Promise<boolean> {
    if (this.items.has(`${template.id}#${template.version}`)) return false;
    await this.put(template);
    return true;
  }

  async versions(id: string): Promise<TemplateVersion[]> {
    return [...this.items.values()]
      .filter((template) => template.id === id)
      .sort((a, b) => b.version - a.version)
      .map((template) => structuredClone(template));
  }

  async list(request: PageRequest): Promise<Page<TemplateSummary>> {
    const ids = new Set([...this.items.values()].map((template) => template.id));
    const summaries = await Promise.all(
      [...ids].sort().map(async (id): Promise<TemplateSummary> => {
        const versions = await this.versions(id);
        const [latest] = versions as [TemplateVersion, ...TemplateVersion[]];
        const updatedAt = [latest.createdAt, latest.submittedAt, latest.approvedAt, latest.rejectedAt]
          .filter((at): at is string => at !== undefined)
          .sort()
          .at(-1) as string;
        return {
          id,
          name: latest.name,
          latestVersion: latest.version,
          status: latest.status,
          approvedVersion: versions.find((template) => template.status === 'approved')?.version,
          updatedAt,
        };
      }),
    );
    return pageOf(summaries, request, (summary) => summary.id);
  }

  async transition(
    id: string,
    version: number,
    from: TemplateVersion['status'],
    changes: Partial<Omit<TemplateVersion, 'id' | 'version'>> & Pick<TemplateVersion, 'status'>,
  ): Promise<boolean> {
    const template = this.items.get(`${id}#${version}`);
    if (!template || template.status !== from) return false;
    for (const [field, value] of Object.entries(changes)) {
      if (value !== undefined) Object.assign(template, { [field]: value });
    }
    return true;
  }
}

/** The audit log: append-only, listed newest first, a page at a time. */
export class FakeAuditStore implements AuditStore {
  readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    if (this.entries.some(({ id }) => id === entry.id)) throw new Error(`Audit entry ${entry.id} exists`);
    this.entries.push(structuredClone(entry));
  }

  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const newestFirst = this.entries
      .filter((entry) => query.from === undefined || entry.at >= query.from)
      .sort((a, b) => `${b.at}#${b.id}`.localeCompare(`${a.at}#${a.id}`));
    return pageOf(newestFirst, query, (entry) => entry.id);
  }
}

/** Customers by id; `setOptedOut` fails for an unknown customer, as the adapter's condition does. */
export class FakeCustomerDirectory implements CustomerDirectory, OptChangeRecorder {
  readonly items = new Map<string, Customer>();

  constructor(customers: Customer[] = []) {
    for (const customer of customers) this.items.set(customer.customerId, structuredClone(customer));
  }

  async getMany(customerIds: string[]): Promise<Customer[]> {
    return [...new Set(customerIds)].flatMap((id) => {
      const customer = this.items.get(id);
      return customer ? [structuredClone(customer)] : [];
    });
  }

  async put(customer: Customer): Promise<void> {
    this.items.set(customer.customerId, structuredClone(customer));
  }

  async setOptedOut(customerId: string, optedOut: boolean): Promise<void> {
    const customer = this.items.get(customerId);
    if (!customer) throw new Error(`No customer ${customerId}`);
    customer.optedOut = optedOut;
    customer.optChangedAt = new Date().toISOString();
  }

  async recordOptChange(customerId: string, optedOut: boolean, arrivedAt: string): Promise<boolean> {
    const customer = this.items.get(customerId);
    const at = new Date(arrivedAt).toISOString();
    if (!customer || (customer.optChangedAt !== undefined && customer.optChangedAt >= at)) return false;
    Object.assign(customer, { optedOut, optChangedAt: at });
    return true;
  }

  async findByPhone(phone: string): Promise<Customer[]> {
    return [...this.items.values()]
      .filter((customer) => customer.phone === phone)
      .map((customer) => structuredClone(customer));
  }
}

/** Inbound MessageSids with their first arrival, as the adapter's conditional put keeps them. */
export class FakeInboundMessageLedger implements InboundMessageLedger {
  readonly seen = new Map<string, { arrivedAt: string; expiresAt: Date }>();

  async firstArrival(messageSid: string, arrivedAt: string, expiresAt: Date) {
    const earlier = this.seen.get(messageSid);
    if (earlier) return { arrivedAt: earlier.arrivedAt, repeated: true };
    this.seen.set(messageSid, { arrivedAt, expiresAt });
    return { arrivedAt, repeated: false };
  }
}

/** Approval notices, kept in the order published; `failing` makes every publish throw. */
export class FakeApprovalNotifier implements ApprovalNotifier {
  readonly notices: ApprovalNotice[] = [];
  failing = false;

  async notify(notice: ApprovalNotice): Promise<void> {
    if (this.failing) throw new Error('SNS is unavailable');
    this.notices.push(notice);
  }
}

/** Flights, found by the same half-open windows (start ≤ t < end) as the catalog's index queries. */
export class FakeFlightCatalog implements FlightCatalog {
  readonly flights: Flight[] = [];

  constructor(flights: Flight[] = []) {
    this.flights.push(...flights);
  }

  async get(ref: FlightRef): Promise<Flight | undefined> {
    return this.flights.find(
      (flight) => flight.flightNumber === ref.flightNumber && flight.date === ref.date,
    );
  }

  departingFrom(airport: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.matching((flight) => flight.origin === airport, 'departure', window);
  }

  arrivingAt(airport: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.matching((flight) => flight.destination === airport, 'arrival', window);
  }

  departingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.matching((flight) => flight.carrier === carrier, 'departure', window);
  }

  arrivingForCarrier(carrier: string, window: TimeWindow): AsyncIterable<Flight> {
    return this.matching((flight) => flight.carrier === carrier, 'arrival', window);
  }

  departingBetween(window: TimeWindow): AsyncIterable<Flight> {
    return this.matching(() => true, 'departure', window);
  }

  async putMany(flights: Flight[]): Promise<void> {
    for (const flight of flights) {
      const at = this.flights.findIndex(
        (stored) => stored.flightNumber === flight.flightNumber && stored.date === flight.date,
      );
      if (at >= 0) this.flights[at] = flight;
      else this.flights.push(flight);
    }
  }

  private async *matching(
    selects: (flight: Flight) => boolean,
    time: 'departure' | 'arrival',
    window: TimeWindow,
  ): AsyncIterable<Flight> {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    for (const flight of this.flights) {
      const at = Date.parse(flight[time]);
      if (selects(flight) && at >= start && at < end) yield flight;
    }
  }
}

/** Passenger segments, served per flight in pages of `pageSize` as the byFlight index pages them. */
export class FakeBookingIndex implements BookingIndex, BookingLookup {
  readonly segments: PassengerSegment[] = [];

  constructor(
    segments: PassengerSegment[] = [],
    private readonly pageSize = 100,
  ) {
    this.segments.push(...segments);
  }

  async *passengersOn(ref: FlightRef): AsyncIterable<PassengerSegment[]> {
    const onFlight = this.segments.filter(
      (segment) => segment.flightNumber === ref.flightNumber && segment.date === ref.date,
    );
    for (let at = 0; at < onFlight.length; at += this.pageSize) yield onFlight.slice(at, at + this.pageSize);
  }

  async segmentsOf(bookingRef: string): Promise<PassengerSegment[]> {
    return this.segments.filter((segment) => segment.bookingRef === bookingRef);
  }

  async putSegments(segments: PassengerSegment[]): Promise<void> {
    for (const segment of segments) {
      const same = (stored: PassengerSegment) =>
        stored.bookingRef === segment.bookingRef &&
        stored.customerId === segment.customerId &&
        stored.flightNumber === segment.flightNumber &&
        stored.date === segment.date;
      if (!this.segments.some(same)) this.segments.push(segment);
    }
  }
}

/** A rate with room for every send, counting the slots taken; a wait ends when its signal aborts. */
export class FakeRateLimiter implements RateLimiter {
  acquired = 0;

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.acquired++;
  }
}
