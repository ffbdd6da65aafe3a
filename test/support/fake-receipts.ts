/**
 * In-memory ports of receipt reconciliation (shared/ports/receipts.ts), over the fakes' broadcasts
 * and ledger, and a Twilio that answers its Message fetch from a script.
 */
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { SmsMessageState, SmsStatusSource } from '#shared/ports/providers.ts';
import type { AwaitingReceipts, ReceiptWatch } from '#shared/ports/receipts.ts';
import type { FakeBroadcastStore, FakeDeliveryStore } from './fakes.ts';

/** The watch list as the adapter keeps it: broadcasts in the order they joined, each with its notes. */
export class FakeReceiptWatch implements ReceiptWatch {
  readonly ids = new Set<string>();

  constructor(private readonly broadcasts: FakeBroadcastStore) {}

  watch(broadcastId: string): void {
    this.ids.add(broadcastId);
  }

  async *watched(): AsyncIterable<Broadcast> {
    for (const id of [...this.ids]) {
      const broadcast = await this.broadcasts.get(id);
      if (broadcast) yield broadcast;
    }
  }

  async checked(broadcastId: string, at: string): Promise<void> {
    const broadcast = this.broadcasts.items.get(broadcastId);
    if (broadcast) broadcast.receiptsCheckedAt = at;
  }

  async unwatch(broadcastId: string): Promise<void> {
    this.ids.delete(broadcastId);
  }
}

/** A broadcast's SMS records still `sent`, read from the fake ledger; `reads` counts the passes. */
export class FakeAwaitingReceipts implements AwaitingReceipts {
  reads = 0;

  constructor(private readonly deliveries: FakeDeliveryStore) {}

  async *awaitingReceipt(broadcastId: string): AsyncIterable<LedgerRecord> {
    this.reads++;
    for (const record of [...this.deliveries.records.values()]) {
      if (record.broadcastId === broadcastId && record.channel === 'sms' && record.status === 'sent')
        yield structuredClone(record);
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
  private inFlight = 0;

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
