/**
 * In-memory fakes of the ports, faithful to the ledger's rules (the same conditions the
 * DynamoDB adapters write), for fast tests of the use cases.
 */
import { isClaimable } from '#shared/domain/leases.ts';
import type { Broadcast, BroadcastStatus, Channel, ChannelCounts, Delivery } from '#shared/domain/model.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SentSmsQuery, SmsMessage, SmsSender } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  Claim,
  CountField,
  DeliveryChange,
  DeliveryKey,
  DeliveryStore,
  Fanout,
  Lease,
  LeaseStore,
  StatusChange,
  TransitionOptions,
} from '#shared/ports/stores.ts';

type Stored = Delivery & { payload?: Record<string, string> };

const recordKey = ({ broadcastId, channel, recipientId }: DeliveryKey) =>
  `${broadcastId}#${channel}#${recipientId}`;

function emptyCounts(): ChannelCounts {
  return {
    recipients: 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    optedOut: 0,
    notSent: 0,
    attempts: 0,
    duplicatesSuspected: 0,
  };
}

/** Broadcasts with counters that move with the ledger, `queued` and `notSent` derived as stored ones are. */
export class FakeBroadcastStore implements BroadcastStore {
  readonly items = new Map<string, Broadcast>();

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

  async create(broadcast: Broadcast): Promise<Broadcast> {
    return this.add(broadcast);
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const broadcast = this.items.get(id);
    if (!broadcast) return undefined;
    const copy = structuredClone(broadcast);
    for (const counts of Object.values(copy.counts)) {
      const left = counts.recipients - counts.sent - counts.delivered - counts.failed - counts.optedOut;
      if (copy.status === 'cancelled') counts.notSent = left;
      else counts.queued = left;
    }
    return copy;
  }

  async listByIncident(incidentId: string): Promise<Broadcast[]> {
    return [...this.items.values()].filter((broadcast) => broadcast.incidentId === incidentId);
  }

  async setStatus(id: string, status: BroadcastStatus, change: StatusChange = {}): Promise<boolean> {
    const broadcast = this.items.get(id);
    const { from, ...milestones } = change;
    if (!broadcast || (from && !from.includes(broadcast.status))) return false;
    Object.assign(broadcast, milestones, { status });
    return true;
  }

  async *listActive(): AsyncIterable<Broadcast> {
    for (const { id, status } of this.items.values()) {
      const broadcast = status === 'queued' || status === 'sending' ? await this.get(id) : undefined;
      if (broadcast) yield broadcast;
    }
  }

  async setRecipients(id: string, channel: Channel, recipients: number): Promise<void> {
    this.countsOf(id, channel).recipients = recipients;
  }

  async addCounts(id: string, channel: Channel, deltas: Partial<Record<CountField, number>>): Promise<void> {
    const counts = this.countsOf(id, channel);
    for (const [field, delta] of Object.entries(deltas) as [CountField, number][]) counts[field] += delta;
    const broadcast = this.items.get(id);
    if (broadcast) broadcast.lastActivityAt = new Date().toISOString();
  }

  private countsOf(id: string, channel: Channel): ChannelCounts {
    const broadcast = this.items.get(id);
    if (!broadcast) throw new Error(`No broadcast ${id}`);
    broadcast.counts[channel] ??= emptyCounts();
    return broadcast.counts[channel];
  }
}

/** The delivery ledger in a Map, with the DynamoDB adapter's conditions. */
export class FakeDeliveryStore implements DeliveryStore {
  readonly records = new Map<string, Stored>();

  constructor(private readonly broadcasts: FakeBroadcastStore) {}

  record(key: DeliveryKey): Stored | undefined {
    return this.records.get(recordKey(key));
  }

  async getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<Stored[]> {
    return recipientIds.flatMap((recipientId) => {
      const found = this.record({ broadcastId, channel, recipientId });
      return found ? [structuredClone(found)] : [];
    });
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

  async createMany(deliveries: Stored[]): Promise<Stored[]> {
    const created = deliveries.filter((delivery) => !this.records.has(recordKey(delivery)));
    for (const delivery of created) {
      const broadcast = this.broadcasts.items.get(delivery.broadcastId);
      if (!broadcast || broadcast.status === 'cancelled') throw new Error('Broadcast closed');
    }
    for (const delivery of created) {
      this.records.set(recordKey(delivery), structuredClone(delivery));
      await this.broadcasts.addCounts(delivery.broadcastId, delivery.channel, { recipients: 1 });
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
    Object.assign(record, {
      status: 'sending',
      leaseOwner: lease.owner,
      leaseExpiresAt: lease.expiresAt,
      updatedAt: now.toISOString(),
      uncertainSince: record.uncertainSince ?? now.toISOString(),
      attempts: record.attempts + 1,
    });
    return uncertainSince === undefined ? {} : { uncertainSince };
  }

  async transition(
    key: DeliveryKey,
    to: Delivery['status'],
    options: TransitionOptions = {},
  ): Promise<boolean> {
    return (await this.transitionMany([{ ...options, key, to }])).length === 1;
  }

  async transitionMany(changes: DeliveryChange[]): Promise<DeliveryChange[]> {
    const applied: DeliveryChange[] = [];
    for (const change of changes) {
      const record = this.record(change.key);
      if (!record) continue;
      if (change.from && !change.from.includes(record.status)) continue;
      if (change.owner !== undefined && record.leaseOwner !== change.owner) continue;
      record.status = change.to;
      record.updatedAt = new Date().toISOString();
      if (change.providerId !== undefined) record.providerId = change.providerId;
      if (change.lastError !== undefined) record.lastError = change.lastError;
      delete record.leaseOwner;
      delete record.leaseExpiresAt;
      if (!change.uncertain) delete record.uncertainSince;
      if (change.counts)
        await this.broadcasts.addCounts(change.key.broadcastId, change.key.channel, change.counts);
      applied.push(change);
    }
    return applied;
  }
}

/** What was published, by target. */
export class FakeFanout implements Fanout {
  readonly published: { target: string; message: object }[] = [];

  async publish(target: string, message: object): Promise<void> {
    this.published.push({ target, message });
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
  readonly accepted: { id: string; to: string; body: string; at: Date }[] = [];
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
    this.accepted.push({ id, to: message.to, body: message.body, at: new Date() });
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
    ...rest,
  };
}
