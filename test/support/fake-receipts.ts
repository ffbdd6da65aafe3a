/**
 * In-memory ports of receipt reconciliation (shared/ports/receipts.ts), over the fakes' broadcasts
 * and ledger, and a Twilio that answers its Message fetch from a script.
 */
import type { SmsMessageState, SmsStatusSource } from '#shared/ports/providers.ts';
import type {
  AwaitingReceipts,
  AwaitingRecord,
  ReceiptWatch,
  WatchedBroadcast,
} from '#shared/ports/receipts.ts';
import type { FakeBroadcastStore, FakeDeliveryStore } from './fakes.ts';

/** The watch list as the adapter keeps it: broadcasts in the order they joined, each with its notes. */
export class FakeReceiptWatch implements ReceiptWatch {
  readonly ids = new Set<string>();
  /** Where each broadcast's unfinished pass stopped. */
  readonly resumeFrom = new Map<string, string>();

  constructor(private readonly broadcasts: FakeBroadcastStore) {}

  watch(broadcastId: string): void {
    this.ids.add(broadcastId);
  }

  async *watched(): AsyncIterable<WatchedBroadcast> {
    for (const id of [...this.ids]) {
      const broadcast = await this.broadcasts.get(id);
      const resumeFrom = this.resumeFrom.get(id);
      if (broadcast) yield { broadcast, ...(resumeFrom === undefined ? {} : { resumeFrom }) };
    }
  }

  async checked(broadcastId: string, at: string): Promise<void> {
    const broadcast = this.broadcasts.items.get(broadcastId);
    if (broadcast) broadcast.receiptsCheckedAt = at;
    this.resumeFrom.delete(broadcastId);
  }

  async pausedAt(broadcastId: string, resumeFrom: string): Promise<void> {
    this.resumeFrom.set(broadcastId, resumeFrom);
  }

  async unwatch(broadcastId: string): Promise<void> {
    this.ids.delete(broadcastId);
  }
}

/**
 * A broadcast's SMS records still `sent`, read from the fake ledger in recipient order, a record's
 * position its recipient id; `reads` counts the passes begun, `recordsRead` the records read.
 */
export class FakeAwaitingReceipts implements AwaitingReceipts {
  reads = 0;
  recordsRead = 0;

  constructor(private readonly deliveries: FakeDeliveryStore) {}

  async *awaitingReceipt(broadcastId: string, from?: string): AsyncIterable<AwaitingRecord> {
    this.reads++;
    const records = [...this.deliveries.records.values()]
      .filter((record) => record.broadcastId === broadcastId && record.channel === 'sms')
      .filter((record) => from === undefined || record.recipientId >= from)
      .sort((a, b) => (a.recipientId < b.recipientId ? -1 : 1));
    for (const record of records) {
      this.recordsRead++;
      if (record.status === 'sent') yield { record: structuredClone(record), position: record.recipientId };
    }
  }
}

/**
 * Twilio's Message fetch: each message's state as the test set it (`undefined`: Twilio holds no
 * such message), or an error to throw; counts the fetches and the most ever in flight at once.
 */
export class FakeTwilioStatuses implements SmsStatusSource {
  readonly states = new Map<string, SmsMessageState | Error>();
  fetches = 0;
  mostInFlight = 0;
  inFlight = 0;

  set(providerId: string, state: SmsMessageState | Error): this {
    this.states.set(providerId, state);
    return this;
  }

  async messageState(providerId: string): Promise<SmsMessageState | undefined> {
    this.fetches++;
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      // A fetch takes a moment, so the lanes overlap as they would against Twilio.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const state = this.states.get(providerId);
      if (state instanceof Error) throw state;
      return state;
    } finally {
      this.inFlight--;
    }
  }
}
