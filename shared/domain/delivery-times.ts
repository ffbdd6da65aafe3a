/**
 * When a delivery record was queued, first sent and first delivered: the evidence of when a
 * passenger was informed (EU 261/2004 Art. 5(4)). The moves that reach `sent` and `delivered`
 * stamp their time once; records written before the stamps existed fall back on what the ledger
 * had: the broadcast's start, and the latest move's time while the record is in that status.
 */
import type { Broadcast, Delivery, DeliveryStatus } from './model.ts';

/**
 * The time fields a move to `status` stamps once. A receipt proves the provider accepted the
 * message, so a move to `delivered` or `undelivered` stamps `sentAt` too when the record never
 * passed through `sent` (the receipt overtook the worker's own write); a record that did keeps its
 * earlier stamp.
 */
export function firstTimeFields(status: DeliveryStatus): ('sentAt' | 'deliveredAt')[] {
  if (status === 'sent' || status === 'undelivered') return ['sentAt'];
  if (status === 'delivered') return ['sentAt', 'deliveredAt'];
  return [];
}

export interface DeliveryTimes {
  queuedAt: string;
  sentAt?: string;
  deliveredAt?: string;
}

export function deliveryTimes(
  record: Pick<Delivery, 'status' | 'updatedAt' | 'queuedAt' | 'sentAt' | 'deliveredAt'>,
  broadcast: Pick<Broadcast, 'startedAt' | 'createdAt'>,
): DeliveryTimes {
  const latestIf = (status: DeliveryStatus) => (record.status === status ? record.updatedAt : undefined);
  const sentAt = record.sentAt ?? latestIf('sent');
  const deliveredAt = record.deliveredAt ?? latestIf('delivered');
  return {
    queuedAt: record.queuedAt ?? broadcast.startedAt ?? broadcast.createdAt,
    ...(sentAt === undefined ? {} : { sentAt }),
    ...(deliveredAt === undefined ? {} : { deliveredAt }),
  };
}
