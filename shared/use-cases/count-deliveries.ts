import {
  addDeltas,
  type CountedRecord,
  type CounterDeltas,
  type CountField,
  countsMoved,
} from '#shared/domain/channel-counts.ts';
import type { DeliveryStatus } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import { count, METRIC } from '#shared/metrics.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

/** One write of a ledger record as the deliveries table's change stream carries it. */
export interface LedgerChange {
  /** The stream's sequence number, zero-padded so that later ones compare greater as strings. */
  sequence: string;
  /** The record before the write; absent when the write created it. */
  before?: CountedRecord;
  /** The record after the write; absent when the write deleted it. */
  after?: CountedRecord;
}

/** Sequence numbers are decimal strings of up to 40 digits; padded, they compare as strings do. */
export function paddedSequence(sequence: string): string {
  return sequence.padStart(40, '0');
}

/** The sum of what the changes move, per channel, without the counters they leave as they were. */
export function foldChanges(changes: LedgerChange[]): CounterDeltas {
  const deltas: CounterDeltas = {};
  for (const { before, after } of changes) {
    const record = after ?? before;
    if (record) addDeltas(deltas, record.channel, countsMoved(before, after));
  }
  for (const fields of Object.values(deltas))
    for (const [field, delta] of Object.entries(fields) as [CountField, number][])
      if (delta === 0) delete fields[field];
  return deltas;
}

/** Statuses of a delivery that failed for good. */
const FAILED: ReadonlySet<DeliveryStatus> = new Set(['failed', 'undelivered']);

/** What counted changes tell the on-call engineer: SMS accepted and failed for good, and suspected duplicates. */
export function deliveryEvents(changes: LedgerChange[]) {
  const events = { smsSent: 0, smsFailed: 0, duplicatesSuspected: 0 };
  for (const { before, after } of changes) {
    if (!after) continue;
    events.duplicatesSuspected += Math.max(
      0,
      (after.duplicatesSuspected ?? 0) - (before?.duplicatesSuspected ?? 0),
    );
    if (after.channel !== 'sms') continue;
    if (after.status === 'sent' && before?.status !== 'sent') events.smsSent++;
    if (FAILED.has(after.status) && !(before && FAILED.has(before.status))) events.smsFailed++;
  }
  return events;
}

/**
 * Moves the broadcasts' counters by a batch of the ledger's change stream (one shard's records,
 * in order), exactly once however often the batch is delivered:
 * 1. groups the changes by broadcast;
 * 2. adds each broadcast's folded changes in one conditional write that also records the last
 *    sequence number counted on the shard, and holds only if the shard's counts end before the
 *    first change (a retried batch changes nothing);
 * 3. when they overlap (a batch retried in other halves after a failure), reads where the
 *    shard's counts end and adds only the changes after it;
 * 4. settles each broadcast whose counts moved: its counters, not the workers, know when the
 *    last delivery settled.
 * What it counted is also counted in metrics (SMS sent and failed, duplicates suspected): here
 * each change is counted once, whoever wrote it and however often the batch comes.
 */
export async function countDeliveries(
  shard: string,
  changes: LedgerChange[],
  deps: { broadcasts: BroadcastStore },
): Promise<void> {
  const byBroadcast = new Map<string, LedgerChange[]>();
  for (const change of changes) {
    const broadcastId = (change.after ?? change.before)?.broadcastId;
    if (broadcastId === undefined) continue;
    byBroadcast.set(broadcastId, [...(byBroadcast.get(broadcastId) ?? []), change]);
  }
  for (const [broadcastId, ofBroadcast] of byBroadcast) {
    if (await countOnce(broadcastId, shard, ofBroadcast, deps.broadcasts))
      await settleBroadcast(broadcastId, deps.broadcasts);
  }
}

/** Adds the changes not counted yet; true when anything was added. */
async function countOnce(
  broadcastId: string,
  shard: string,
  changes: LedgerChange[],
  broadcasts: BroadcastStore,
): Promise<boolean> {
  let pending = [...changes].sort((a, b) => a.sequence.localeCompare(b.sequence));
  for (;;) {
    const first = pending[0];
    const last = pending.at(-1);
    if (!first || !last) return false;
    const outcome = await broadcasts.addStreamedCounts(broadcastId, {
      shard,
      first: first.sequence,
      last: last.sequence,
      deltas: foldChanges(pending),
    });
    if (outcome === 'added') {
      const events = deliveryEvents(pending);
      count(METRIC.smsSent, events.smsSent);
      count(METRIC.smsFailed, events.smsFailed);
      count(METRIC.duplicatesSuspected, events.duplicatesSuspected);
      return true;
    }
    if (outcome === 'unknown-broadcast') {
      logger.warn('Ledger changes of an unknown broadcast not counted', {
        broadcastId,
        changes: pending.length,
      });
      return false;
    }
    const through = (await broadcasts.streamedThrough(broadcastId, shard)) ?? '';
    pending = pending.filter((change) => change.sequence > through);
  }
}
