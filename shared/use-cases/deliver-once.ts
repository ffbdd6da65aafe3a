import { GaveUpError, PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import { CALL_START_MARGIN_MS, leaseMs, RECONCILE_CLOCK_SKEW_MS } from '#shared/domain/leases.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '#shared/domain/retry-policy.ts';
import { logger } from '#shared/logger.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';
import type { CancellationWatch } from './cancellation-watch.ts';

/** One record's send through its provider, and how to ask the provider whether it has it already. */
export interface DeliveryAttempt {
  /** A refusal known before any call (the customer opted out since planning): recorded without a rate slot or a call. */
  refusal?: PermanentDeliveryError;
  /** One call to the provider; throws PermanentDeliveryError or TransientDeliveryError. */
  send(): Promise<{ providerId: string; provider?: string }>;
  /** The provider ids of what it accepted for this record since `since`, newest first. */
  findAccepted(since: Date): Promise<string[]>;
  /** The provider `findAccepted` asks, recorded with what it finds (SMS: Twilio). */
  reconcilesWith?: string;
  /** The SHA-256 of the text `send` hands over, recorded with the send as evidence. */
  textSha256?: string;
}

export interface DeliverOnceDeps {
  deliveries: DeliveryStore;
  /** Waits for the provider's rate limit: before the claim and before every retry. */
  pace?: (signal: AbortSignal) => Promise<void>;
  /** Read between the rate slot and the claim, so a cancel stops the next send. */
  cancellation?: CancellationWatch;
  retryPolicy?: RetryPolicy;
  /** The provider calls' timeout: a lease covers one call and a margin. */
  providerTimeoutMs: number;
}

/**
 * What became of the record: sent now, found at the provider, refused for good, not claimable
 * (another holder has it, or it is settled), cancelled before the claim, or not tried because
 * the invocation's time would not cover a send.
 */
export type DeliveryOutcome = 'sent' | 'reconciled' | 'refused' | 'skipped' | 'cancelled' | 'out_of_time';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * Sends one delivery record at most once in effect, whatever crashes, timeouts or redeliveries
 * happen around it:
 * 1. takes a rate slot, then, if the broadcast is not cancelled and the invocation's time covers
 *    a whole send, claims the record under a lease (queued → sending; a record left sending by a
 *    holder whose lease ran out is taken over);
 * 2. if an earlier attempt may have reached the provider unrecorded, asks the provider first:
 *    found → recorded as sent with the provider's id, not sent again;
 * 3. sends, retrying what the provider answered with a transient refusal while the lease covers
 *    another call; a call that may have been accepted (a timeout) is never retried blind;
 * 4. records the outcome only while still holding the lease: sent, failed or opted out; a
 *    transient failure goes back to queued (still uncertain if a call may have been accepted) and
 *    is rethrown, for the queue to deliver again (on a batch's last receive, for the batch to hand
 *    on in a new message), or fails for good on the queue's last delivery once the record itself
 *    has been claimed as often as the queue delivers a message (GaveUpError);
 * 5. a send whose record was settled meanwhile by another attempt counts as a suspected duplicate.
 * Every move is one conditional write of the record, its provider calls included; the ledger's
 * change stream moves the broadcast's counters and settles the broadcast (count-deliveries).
 */
export async function deliverOnce(
  key: DeliveryKey,
  attempt: DeliveryAttempt,
  deps: DeliverOnceDeps,
  invocation: Invocation,
): Promise<DeliveryOutcome> {
  const leaseLength = leaseMs(deps.providerTimeoutMs);
  if (invocation.remainingMs() < leaseLength) return 'out_of_time';
  // Each step's time at debug level: where a send waited (bench/first-sms.ts reads them).
  const record = { channel: key.channel, recipientId: key.recipientId };
  if (!attempt.refusal && deps.pace) {
    await deps.pace(invocation.signal);
    logger.debug('Rate slot taken', record);
  }
  if (await deps.cancellation?.isCancelled(key.broadcastId)) return 'cancelled';
  if (invocation.remainingMs() < leaseLength) return 'out_of_time';
  const lease = { owner: invocation.id, expiresAt: Date.now() + leaseLength };
  const claim = await deps.deliveries.claim(key, lease);
  if (!claim) return 'skipped';
  logger.debug('Record claimed', record);

  const held = { from: ['sending' as const], owner: lease.owner };
  // Whether the provider may hold a message of this record that the ledger does not know of.
  let uncertain = claim.uncertainSince !== undefined;
  let calls = 0;
  try {
    if (claim.uncertainSince !== undefined) {
      const since = new Date(Date.parse(claim.uncertainSince) - RECONCILE_CLOCK_SKEW_MS);
      const found = await attempt.findAccepted(since);
      const earliest = found.at(-1);
      if (earliest !== undefined) {
        await deps.deliveries.transition(key, 'sent', {
          ...held,
          providerId: earliest,
          provider: attempt.reconcilesWith,
          textSha256: attempt.textSha256,
          duplicatesSuspected: found.length - 1,
        });
        return 'reconciled';
      }
      uncertain = false;
    }
    if (attempt.refusal) throw attempt.refusal;
    const { providerId, provider } = await withRetry(
      async () => {
        if (calls > 0) await deps.pace?.(invocation.signal);
        calls++;
        uncertain = true;
        try {
          return await attempt.send();
        } catch (error) {
          if (!(error instanceof TransientDeliveryError && error.mayHaveBeenAccepted)) uncertain = false;
          throw error;
        }
      },
      deps.retryPolicy ?? DEFAULT_RETRY_POLICY,
      {
        signal: invocation.signal,
        mayRetry: (error, waitMs) =>
          !error.mayHaveBeenAccepted &&
          Date.now() + waitMs + deps.providerTimeoutMs + CALL_START_MARGIN_MS < lease.expiresAt,
      },
    );
    const recorded = await deps.deliveries.transition(key, 'sent', {
      ...held,
      providerId,
      provider,
      textSha256: attempt.textSha256,
      calls,
    });
    if (!recorded) await noteLostLease(key, providerId, deps);
    return 'sent';
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      const optedOut = error.code === 'opted_out';
      await deps.deliveries.transition(key, optedOut ? 'opted_out' : 'failed', {
        ...held,
        lastError: error.message,
        calls,
      });
      return 'refused';
    }
    // A batch's last receive may be one of its records' first tries (it came back for its other
    // records' failures): the message's receive count says nothing of this record's own claims.
    if (invocation.lastChance && !uncertain && claim.attempts >= invocation.maxReceives) {
      const gaveUp = new GaveUpError(`Gave up after retries: ${reason(error)}`, { cause: error });
      // Still a failure for the queue: the message ends in the dead-letter queue as evidence. Unless
      // the lease ran out and another attempt holds the record now: that one settles it.
      if (await deps.deliveries.transition(key, 'failed', { ...held, lastError: gaveUp.message, calls }))
        throw gaveUp;
      throw error;
    }
    // An uncertain record is never given up as failed: the provider may have it. Nor is one that
    // has not had its own tries yet. It goes back to queued for a later claim (a batch hands it on
    // to a new message; the sweeper brings back any other), which asks the provider first.
    await deps.deliveries.transition(key, 'queued', {
      ...held,
      uncertain,
      lastError: reason(error),
      calls,
    });
    throw error;
  }
}

/**
 * `deliverOnce` for a message that carries one record: a record not tried for lack of time
 * fails the message, so the queue delivers it again.
 */
export async function deliverOnlyOnce(
  key: DeliveryKey,
  attempt: DeliveryAttempt,
  deps: DeliverOnceDeps,
  invocation: Invocation,
): Promise<DeliveryOutcome> {
  const outcome = await deliverOnce(key, attempt, deps, invocation);
  if (outcome === 'out_of_time') throw new Error(`No time left to deliver ${key.channel} ${key.recipientId}`);
  return outcome;
}

/**
 * The provider accepted a send but the record was no longer this holder's: another attempt took
 * it over after the lease ran out. If that attempt settled it with another message, the
 * passenger got two.
 */
async function noteLostLease(key: DeliveryKey, providerId: string, deps: DeliverOnceDeps): Promise<void> {
  const record = await deps.deliveries.get(key.broadcastId, key.channel, key.recipientId);
  // Still in play (queued or sending): its next claim reconciles and finds this message.
  if (!record || record.status === 'queued' || record.status === 'sending') return;
  if (record.providerId === providerId) return;
  logger.error('A send outlived its lease and the record was settled by another attempt', {
    broadcastId: key.broadcastId,
    channel: key.channel,
  });
  await deps.deliveries.noteDuplicate(key);
}
