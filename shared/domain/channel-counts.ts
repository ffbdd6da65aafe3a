/** A broadcast's per-channel counts: the stored counters, and what is derived from them on read. */
import type { BroadcastStatus, Channel, ChannelCounts, Delivery, DeliveryStatus } from './model.ts';

/** Stored counters; `queued` and `notSent` are derived from them. */
export type CountField = Exclude<keyof ChannelCounts, 'queued' | 'notSent'>;

export const COUNT_FIELDS: readonly CountField[] = [
  'recipients',
  'sent',
  'delivered',
  'failed',
  'optedOut',
  'exercise',
  'attempts',
  'duplicatesSuspected',
];

/** Changes to a broadcast's counters, per channel and field. */
export type CounterDeltas = Partial<Record<Channel, Partial<Record<CountField, number>>>>;

/** What a ledger record holds that counts: its status and the tallies its writes add up. */
export type CountedRecord = Pick<
  Delivery,
  'broadcastId' | 'channel' | 'status' | 'calls' | 'duplicatesSuspected'
>;

/** The counter each status is counted in; queued and sending records are counted as recipients only. */
const STATUS_COUNTER: Partial<Record<DeliveryStatus, CountField>> = {
  sent: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  undelivered: 'failed',
  opted_out: 'optedOut',
  exercise: 'exercise',
};

export function emptyCounts(): ChannelCounts {
  return {
    recipients: 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    optedOut: 0,
    exercise: 0,
    notSent: 0,
    attempts: 0,
    duplicatesSuspected: 0,
  };
}

/** What one ledger record adds to its channel's counters. */
export function recordCounts(record: CountedRecord): Partial<Record<CountField, number>> {
  const counts: Partial<Record<CountField, number>> = {
    recipients: 1,
    attempts: record.calls ?? 0,
    duplicatesSuspected: record.duplicatesSuspected ?? 0,
  };
  const counter = STATUS_COUNTER[record.status];
  if (counter) counts[counter] = 1;
  return counts;
}

/**
 * How one write of a record (from `before` to `after`; absent when the record did not exist or
 * was deleted) moves its channel's counters: what the record adds after, less what it added
 * before. Counting every write this way keeps the counters equal to the ledger's sum.
 */
export function countsMoved(
  before?: CountedRecord,
  after?: CountedRecord,
): Partial<Record<CountField, number>> {
  const moved: Partial<Record<CountField, number>> = {};
  const add = (record: CountedRecord | undefined, sign: number) => {
    if (!record) return;
    for (const [field, value] of Object.entries(recordCounts(record)) as [CountField, number][])
      moved[field] = (moved[field] ?? 0) + sign * value;
  };
  add(after, 1);
  add(before, -1);
  for (const field of Object.keys(moved) as CountField[]) if (moved[field] === 0) delete moved[field];
  return moved;
}

/** Adds `deltas` of one channel into `sums`. */
export function addDeltas(
  sums: CounterDeltas,
  channel: Channel,
  deltas: Partial<Record<CountField, number>>,
): void {
  const fields = sums[channel] ?? {};
  sums[channel] = fields;
  for (const [field, delta] of Object.entries(deltas) as [CountField, number][])
    fields[field] = (fields[field] ?? 0) + delta;
}

/**
 * Fills in the derived counts: what is left of the recipients after those sent, delivered,
 * failed, opted out or recorded for an exercise is still `queued`, or, once the broadcast is
 * cancelled, `notSent`.
 */
export function deriveCounts(counts: ChannelCounts, status: BroadcastStatus): void {
  const left =
    counts.recipients - counts.sent - counts.delivered - counts.failed - counts.optedOut - counts.exercise;
  counts.queued = status === 'cancelled' ? 0 : left;
  counts.notSent = status === 'cancelled' ? left : 0;
}
