import { TransientDeliveryError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { logger } from '#shared/logger.ts';
import { count, METRIC } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SmsStatusSource } from '#shared/ports/providers.ts';
import type {
  AwaitingReceipt,
  AwaitingReceipts,
  ReceiptWatch,
  WatchedBroadcast,
} from '#shared/ports/receipts.ts';
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
  /** Broadcasts whose pass this run began or went on with (due, or left unfinished before). */
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

/**
 * Whether a Twilio fetch fits in the function's time limit at all: with a provider timeout too
 * long for it no fetch would ever start, and the handler refuses to start instead.
 */
export function fetchFitsIn(functionTimeoutMs: number, providerTimeoutMs: number): boolean {
  return providerTimeoutMs + WRAP_UP_MS < functionTimeoutMs;
}

/** When a broadcast stopped sending: completed (or partial, failed), or cancelled with final counts. */
function endedAt(broadcast: Broadcast): number {
  return Date.parse(
    broadcast.completedAt ?? broadcast.countsFinalAt ?? broadcast.cancelledAt ?? broadcast.createdAt,
  );
}

/**
 * Whether a watched broadcast's waiting records are due to be read: `graceMs` after it ended,
 * then after twice as long as it had ended at the last pass (at least `graceMs` again), and at
 * RECEIPT_HORIZON_MS after the end at the latest: with a 5-minute grace, 5, 10, 20, 40 … 1,280
 * minutes after the end, then 24 hours, when it leaves the watch.
 */
export function receiptPassDue(broadcast: Broadcast, nowMs: number, graceMs: number): boolean {
  const ended = endedAt(broadcast);
  if (broadcast.receiptsCheckedAt === undefined) return nowMs >= ended + graceMs;
  const checked = Date.parse(broadcast.receiptsCheckedAt);
  return nowMs >= Math.min(checked + Math.max(graceMs, checked - ended), ended + RECEIPT_HORIZON_MS);
}

/**
 * Recovers the delivery receipts that never reached the ledger (a status callback refused under
 * load, lost, or given up by Twilio after its retries): the record stays `sent` while the
 * passenger's phone said delivered, or undelivered.
 * 1. takes the run's lease (short, renewed as it goes), so two runs never overlap;
 * 2. lists the ended broadcasts still watched (a sparse index, no scan), a pass left unfinished
 *    last (so one large backlog does not keep the others waiting); one whose counts show no SMS
 *    `sent` any more leaves the watch without a read of its ledger, and so does one that ended
 *    RECEIPT_HORIZON_MS ago, its records still `sent` staying so;
 * 3. when a broadcast's pass is due (receiptPassDue), or an earlier run left it unfinished, reads
 *    its SMS records still `sent` (from where that run stopped) and asks Twilio for each message
 *    Twilio accepted (its Message fetch, RECEIPT_FETCHES_IN_FLIGHT at a time); the AWS fallback's
 *    records are left to its events, which arrive through a queue;
 * 4. records a final status exactly as the status webhook would (recordDeliveryReceipt): a
 *    callback that comes after it changes nothing, nor does this after the callback;
 * 5. a broadcast whose pass, read whole in this run, left nothing waiting leaves the watch; any
 *    other notes its pass (`receiptsCheckedAt`) for the next one's time;
 * 6. stops when Twilio is unavailable (a 429, a 5xx, no connection) or the invocation's time is
 *    nearly spent, noting the record it stopped at (`pausedAt`): the next run goes on from that
 *    record, so every run makes headway through a pass however many records wait.
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
  const unwatch = async (broadcastId: string) => {
    await deps.watch.unwatch(broadcastId);
    result.unwatched++;
  };
  try {
    const watched: WatchedBroadcast[] = [];
    for await (const entry of deps.watch.watched()) watched.push(entry);
    // Unfinished passes last: the watch is sparse, a few broadcasts a day.
    watched.sort((a, b) => Number(a.resumeFrom !== undefined) - Number(b.resumeFrom !== undefined));
    for (const { broadcast, resumeFrom } of watched) {
      if (!(await lease.hold())) break;
      const now = Date.now();
      const stillSent = broadcast.counts.sms?.sent ?? 0;
      if (stillSent === 0) {
        await unwatch(broadcast.id);
        continue;
      }
      if (now >= endedAt(broadcast) + RECEIPT_HORIZON_MS) {
        logger.warn('Delivery receipts never came', { broadcastId: broadcast.id, stillSent });
        await unwatch(broadcast.id);
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
      if (pass.waiting === 0 && resumeFrom === undefined) await unwatch(broadcast.id);
      else await deps.watch.checked(broadcast.id, new Date().toISOString());
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
 * `resumeFrom` the record the next run goes on from: the first it read that Twilio could not be
 * asked about, or else the last it read. `waiting`: the Twilio records it left `sent`. Any other
 * error stops every lane and is thrown once they have all stopped: none runs on after the run.
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
  let failure: { error: unknown } | undefined;

  const reconcile = async (record: AwaitingReceipt): Promise<void> => {
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

  /** One record after another until the pass ends or stops; never rejects: a failure stops every lane. */
  const lane = async (): Promise<void> => {
    while (!interrupted) {
      let index: number | undefined;
      try {
        if (!(await mayGoOn())) {
          interrupted = true;
          return;
        }
        const next = await records.next();
        if (next.done) return;
        index = positions.push(next.value.position) - 1;
        await reconcile(next.value.record);
      } catch (error) {
        interrupted = true;
        if (!(error instanceof TransientDeliveryError) || index === undefined) {
          failure ??= { error };
          return;
        }
        logger.warn('Twilio unavailable for receipt reconciliation', { broadcastId, error: error.message });
        firstFailed = Math.min(firstFailed ?? index, index);
      }
    }
  };
  await Promise.all(Array.from({ length: RECEIPT_FETCHES_IN_FLIGHT }, lane));
  if (failure) throw failure.error;
  const stoppedAt = positions[firstFailed ?? positions.length - 1] ?? resumeFrom;
  return { interrupted, waiting, ...(stoppedAt === undefined ? {} : { resumeFrom: stoppedAt }) };
}
