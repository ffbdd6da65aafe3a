/**
 * The lease rules of the delivery ledger. A record is claimed for one send at a time, right
 * before that send; its lease covers one provider call and a margin, so a holder that dies
 * frees the record soon, and a live holder never sees it taken over mid-call.
 */
import type { Delivery } from './model.ts';

/** Covers the claim's own write, the wait between claim and call, and clocks a little apart. */
const LEASE_MARGIN_MS = 5_000;

/** A call is only started while the lease will outlast it by this much. */
export const CALL_START_MARGIN_MS = 1_000;

/**
 * How far before an uncertain attempt's claim the provider's records are searched: its clock and
 * ours may differ, and Twilio's times have whole seconds.
 */
export const RECONCILE_CLOCK_SKEW_MS = 5_000;

/** The lease of one send through a provider whose calls time out after `providerTimeoutMs`. */
export function leaseMs(providerTimeoutMs: number): number {
  return providerTimeoutMs + LEASE_MARGIN_MS;
}

/** Whether a claim can take the record now: still queued, or left sending by a holder whose lease ran out. */
export function isClaimable(record: Pick<Delivery, 'status' | 'leaseExpiresAt'>, nowMs: number): boolean {
  return (
    record.status === 'queued' ||
    (record.status === 'sending' && (record.leaseExpiresAt === undefined || record.leaseExpiresAt < nowMs))
  );
}
