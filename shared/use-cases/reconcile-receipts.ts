import { TransientDeliveryError } from '#shared/domain/errors.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import { count, METRIC } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SmsStatusSource } from '#shared/ports/providers.ts';
import type { AwaitingReceipts, ReceiptWatch } from '#shared/ports/receipts.ts';
import type { BroadcastStore, DeliveryStore, LeaseStore } from '#shared/ports/stores.ts';
import { jobLease } from './job-lease.ts';
import { recordDeliveryReceipt } from './record-delivery-receipt.ts';

export interface ReconcileReceiptsDeps {
  watch: ReceiptWatch;
  awaiting: AwaitingReceipts;
  deliveries: DeliveryStore;
  broadcasts: BroadcastStore;
  leases: LeaseStore;
  twilio: SmsStatusSource;
  /** How long after a broadcast ended its receipts have to come before Twilio is asked. */
  graceMs: number;
  /** A Twilio call's timeout: a fetch starts only if the invocation outlasts it. */
  providerTimeoutMs: number;
}

export interface ReconcileReceiptsResult {
  /** False when another run held the lease: this one did nothing. */
  ran: boolean;
  /** Broadcasts whose waiting records were read. */
  passes: number;
  /** Messages fetched from Twilio. */
  asked: number;
  /** Records a fetched final status settled (delivered or undelivered). */
  reconciled: number;
  /** Records Twilio reported not final yet (queued, sent…): they wait for the next pass. */
  notFinal: number;
  /** Records whose message Twilio does not hold (its 20404). */
  unknownAtProvider: number;
  /** Broadcasts taken off the watch: nothing waits, or it waited past RECEIPT_HORIZON_MS. */
  unwatched: number;
}

/** The lease that keeps reconciliation runs from overlapping. */
const RECONCILE_LEASE = 'receipts';
/**
 * Twilio fetches in flight at once. Twilio limits an account's concurrent API requests (beyond
 * them it answers 429, error 20429), and the SMS workers' sends share that limit: ten leave them
 * the rest, and at Twilio's 100–300 ms a fetch they ask 30–100 messages a second.
 */
export const RECEIPT_FETCHES_IN_FLIGHT = 10;
/** A record Twilio still reports not final this long after its broadcast ended stays `sent`. */
export const RECEIPT_HORIZON_MS = 24 * 60 * 60_000;
/** Time the invocation keeps beyond a fetch's timeout, for the receipt's writes and the wrap-up. */
const WRAP_UP_MS = 5_000;

/** When a broadcast stopped sending: completed (or partial, failed), or cancelled with final counts. */
function endedAt(broadcast: Broadcast): number {
  return Date.parse(
    broadcast.completedAt ?? broadcast.countsFinalAt ?? broadcast.cancelledAt ?? broadcast.createdAt,
  );
}

/**
 * Whether a watched broadcast's waiting records are due to be read: `graceMs` after it ended,
 * then after twice as long as it had ended at the last pass (at least `graceMs` again): with a
 * 5-minute grace, 5, 10, 20, 40 minutes… after the end, about ten passes within a day.
 */
export function receiptPassDue(broadcast: Broadcast, nowMs: number, graceMs: number): boolean {
  const ended = endedAt(broadcast);
  if (broadcast.receiptsCheckedAt === undefined) return nowMs >= ended + graceMs;
  const checked = Date.parse(broadcast.receiptsCheckedAt);
  return nowMs >= checked + Math.max(graceMs, checked - ended);
}

/**
 * Recovers the delivery receipts that never reached the ledger (a status callback refused under
 * load, lost, or given up by Twilio after its retries): the record stays `sent` while the
 * passenger's phone said delivered, or undelivered.
 * 1. takes the run's lease (short, renewed as it goes), so two runs never overlap;
 * 2. lists the ended broadcasts still watched (a sparse index, no scan); one whose counts show no
 *    SMS `sent` any more leaves the watch without a read of its ledger;
 * 3. when a broadcast's pass is due (receiptPassDue), reads its SMS records still `sent` and asks
 *    Twilio for each message Twilio accepted (its Message fetch, RECEIPT_FETCHES_IN_FLIGHT at a
 *    time); the AWS fallback's records are left to its events, which arrive through a queue;
 * 4. records a final status exactly as the status webhook would (recordDeliveryReceipt): a
 *    callback that comes after it changes nothing, nor does this after the callback;
 * 5. a broadcast with nothing left waiting leaves the watch; one that ended RECEIPT_HORIZON_MS ago
 *    leaves it too, its records still `sent` staying so; any other notes its pass
 *    (`receiptsCheckedAt`) for the next one's time;
 * 6. stops when Twilio is unavailable (a 429, a 5xx, no connection) or the invocation's time is
 *    nearly spent, noting where (`pausedAt`): the next run goes on from there at once, so a
 *    broadcast with more records waiting than one run reconciles is read once, not once a run.
 */
export async function reconcileReceipts(
  deps: ReconcileReceiptsDeps,
  invocation: Pick<Invocation, 'id' | 'remainingMs'>,
): Promise<ReconcileReceiptsResult> {
  const result: ReconcileReceiptsResult = {
    ran: false,
    passes: 0,
    asked: 0,
    reconciled: 0,
    notFinal: 0,
    unknownAtProvider: 0,
    unwatched: 0,
  };
  const lease = jobLease(deps.leases, RECONCILE_LEASE, invocation);
  if (!(await lease.hold())) return result;
  result.ran = true;
  try {
    for await (const { broadcast, resumeFrom } of deps.watch.watched()) {
      if (!(await lease.hold())) break;
      const now = Date.now();
      if ((broadcast.counts.sms?.sent ?? 0) === 0) {
        await deps.watch.unwatch(broadcast.id);
        result.unwatched++;
        continue;
      }
      if (resumeFrom === undefined && !receiptPassDue(broadcast, now, deps.graceMs)) continue;
      result.passes++;
      const pass = await reconcileBroadcast(
        broadcast.id,
        resumeFrom,
        deps,
        result,
        async () => invocation.remainingMs() > deps.providerTimeoutMs + WRAP_UP_MS && (await lease.hold()),
      );
      if (pass.interrupted) {
        if (pass.resumeFrom !== undefined) await deps.watch.pausedAt(broadcast.id, pass.resumeFrom);
        break;
      }
      // A pass that went on from an earlier run's saw only part of the records waiting.
      const nothingWaits = pass.waiting === 0 && resumeFrom === undefined;
      if (nothingWaits || now >= endedAt(broadcast) + RECEIPT_HORIZON_MS) {
        if (pass.waiting > 0)
          logger.warn('Delivery receipts never came', { broadcastId: broadcast.id, stillSent: pass.waiting });
        await deps.watch.unwatch(broadcast.id);
        result.unwatched++;
      } else {
        await deps.watch.checked(broadcast.id, new Date().toISOString());
      }
    }
  } finally {
    await lease.release();
  }
  if (result.asked > 0 || result.unwatched > 0) logger.info('Reconciled delivery receipts', { ...result });
  count(METRIC.receiptsReconciled, result.reconciled);
  return result;
}

/**
 * One pass over a broadcast's records still `sent`, from `resumeFrom` if an earlier run stopped
 * there. `interrupted` when it stopped before the end (Twilio unavailable, time spent), with
 * `resumeFrom` where the next run goes on: the earliest record it could not reconcile, or the
 * last it read. `waiting`: the Twilio records it left `sent`.
 */
async function reconcileBroadcast(
  broadcastId: string,
  resumeFrom: string | undefined,
  deps: ReconcileReceiptsDeps,
  result: ReconcileReceiptsResult,
  mayGoOn: () => Promise<boolean>,
): Promise<{ interrupted: boolean; waiting: number; resumeFrom?: string }> {
  const records = deps.awaiting.awaitingReceipt(broadcastId, resumeFrom)[Symbol.asyncIterator]();
  let interrupted = false;
  let waiting = 0;
  /** Positions of the records read, in reading order, and the first that failed, by its index. */
  const positions: string[] = [];
  let firstFailed: number | undefined;

  const reconcile = async (record: LedgerRecord): Promise<void> => {
    // Only Twilio's receipts can be lost: the fallback's events arrive through a queue.
    if ((record.provider ?? 'twilio') !== 'twilio') return;
    const { providerId } = record;
    if (providerId === undefined) {
      waiting++;
      return;
    }
    const state = await deps.twilio.messageState(providerId);
    result.asked++;
    if (state === undefined) {
      result.unknownAtProvider++;
      waiting++;
      return;
    }
    const outcome = await recordDeliveryReceipt(
      { broadcastId, channel: 'sms', recipientId: record.recipientId },
      { status: state.status, providerId, errorCode: state.errorCode },
      deps,
    );
    if (outcome === 'applied') result.reconciled++;
    if (outcome === 'not-final') {
      result.notFinal++;
      waiting++;
    }
  };

  const lane = async (): Promise<void> => {
    while (!interrupted) {
      if (!(await mayGoOn())) {
        interrupted = true;
        return;
      }
      const next = await records.next();
      if (next.done) return;
      const index = positions.push(next.value.position) - 1;
      try {
        await reconcile(next.value.record);
      } catch (error) {
        if (!(error instanceof TransientDeliveryError)) throw error;
        logger.warn('Twilio unavailable for receipt reconciliation', { broadcastId, error: error.message });
        interrupted = true;
        firstFailed = Math.min(firstFailed ?? index, index);
      }
    }
  };
  await Promise.all(Array.from({ length: RECEIPT_FETCHES_IN_FLIGHT }, lane));
  const stoppedAt = positions[firstFailed ?? positions.length - 1] ?? resumeFrom;
  return { interrupted, waiting, ...(stoppedAt === undefined ? {} : { resumeFrom: stoppedAt }) };
}
