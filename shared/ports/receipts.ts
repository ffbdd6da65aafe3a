/**
 * What receipt reconciliation reads besides the ledger's own writes: which ended broadcasts may
 * still hold SMS records without a delivery receipt, and those records.
 */
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Broadcast } from '#shared/domain/model.ts';

/** A watched broadcast, and where its unfinished pass stopped, if one did (`pausedAt`). */
export interface WatchedBroadcast {
  broadcast: Broadcast;
  /** A position from `AwaitingReceipts`: the pass goes on from there. */
  resumeFrom?: string;
}

/**
 * Ended broadcasts (completed, partial, failed, or cancelled with final counts) whose SMS may still
 * wait for a receipt: a sparse list, joined when a broadcast ends and left once nothing waits.
 */
export interface ReceiptWatch {
  /** The broadcasts watched, oldest first. */
  watched(): AsyncIterable<WatchedBroadcast>;
  /** Notes a pass over the broadcast's waiting records finished at `at` (ISO): `receiptsCheckedAt`. */
  checked(broadcastId: string, at: string): Promise<void>;
  /** Notes where an unfinished pass stopped, for the next run to go on from. */
  pausedAt(broadcastId: string, resumeFrom: string): Promise<void>;
  /** Stops watching the broadcast: nothing waits any more, or it waited too long. */
  unwatch(broadcastId: string): Promise<void>;
}

/** What reconciliation reads of a record awaiting its receipt. */
export type AwaitingReceipt = Pick<LedgerRecord, 'recipientId' | 'status' | 'providerId' | 'provider'>;

/** A record awaiting its receipt, and where a later read starts to read it (and the rest) again. */
export interface AwaitingRecord {
  record: AwaitingReceipt;
  position: string;
}

/** The ledger's SMS records a provider accepted (`sent`) and no receipt has settled yet. */
export interface AwaitingReceipts {
  /** A broadcast's `sent` SMS records, from the start or from a `position` read earlier. */
  awaitingReceipt(broadcastId: string, from?: string): AsyncIterable<AwaitingRecord>;
}
