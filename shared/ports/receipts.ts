/**
 * What receipt reconciliation reads besides the ledger's own writes: which ended broadcasts may
 * still hold SMS records without a delivery receipt, and those records.
 */
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Broadcast } from '#shared/domain/model.ts';

/**
 * Ended broadcasts (completed, partial, failed, or cancelled with final counts) whose SMS may still
 * wait for a receipt: a sparse list, joined when a broadcast ends and left once nothing waits.
 */
export interface ReceiptWatch {
  /** The broadcasts watched, oldest first. */
  watched(): AsyncIterable<Broadcast>;
  /** Notes a pass over the broadcast's waiting records finished at `at` (ISO): `receiptsCheckedAt`. */
  checked(broadcastId: string, at: string): Promise<void>;
  /** Stops watching the broadcast: nothing waits any more, or it waited too long. */
  unwatch(broadcastId: string): Promise<void>;
}

/** The ledger's SMS records a provider accepted (`sent`) and no receipt has settled yet. */
export interface AwaitingReceipts {
  /** A broadcast's `sent` SMS records, a Query of each of its shards. */
  awaitingReceipt(broadcastId: string): AsyncIterable<LedgerRecord>;
}
