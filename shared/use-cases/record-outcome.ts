import { PermanentDeliveryError } from '#shared/domain/errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '#shared/domain/retry-policy.ts';
import type { BroadcastStore, DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface SendOnceDeps {
  deliveries: DeliveryStore;
  broadcasts: BroadcastStore;
  /** Waits for the provider's rate limit; called before every try. */
  pace?: () => Promise<void>;
  retryPolicy?: RetryPolicy;
}

export interface SendOnceOptions {
  /** The queue will not deliver this message again: a transient failure now fails the record for good. */
  lastChance?: boolean;
  /** Whether to check if the broadcast is done afterwards (default); a batch checks once at its end. */
  settle?: boolean;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * Runs one send for a queued delivery record and records what happened, so every worker
 * follows the same ledger rules:
 * 1. claims the record (queued → sending, attempts + 1); a record in any other state was
 *    handled already and is left alone — this is what makes redelivered messages harmless;
 * 2. sends, paced and retried under the one retry policy; success → sent with the provider id;
 * 3. a permanent refusal → failed (or opted_out) with the reason, never retried;
 * 4. a transient failure that outlived its retries → back to queued and rethrown, so the queue
 *    redelivers it; on the queue's last delivery → failed with the reason, and still rethrown so
 *    the message moves on to the dead-letter queue.
 * Every move of a record changes the broadcast's counters in the same transaction.
 */
export async function sendOnce(
  key: DeliveryKey,
  send: () => Promise<{ providerId: string }>,
  deps: SendOnceDeps,
  options: SendOnceOptions = {},
): Promise<void> {
  const claimed = await deps.deliveries.transition(key, 'sending', { from: ['queued'] });
  if (claimed) await sendClaimed(key, send, deps, options);
}

/**
 * Steps 2–4 of `sendOnce`, for a record the caller has claimed already (a batch claims all its
 * records in one write).
 */
export async function sendClaimed(
  key: DeliveryKey,
  send: () => Promise<{ providerId: string }>,
  deps: SendOnceDeps,
  options: SendOnceOptions = {},
): Promise<void> {
  try {
    const { providerId } = await withRetry(async () => {
      await deps.pace?.();
      return send();
    }, deps.retryPolicy ?? DEFAULT_RETRY_POLICY);
    await deps.deliveries.transition(key, 'sent', {
      from: ['sending'],
      providerId,
      counts: { sent: 1 },
    });
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      const optedOut = error.code === 'opted_out';
      await deps.deliveries.transition(key, optedOut ? 'opted_out' : 'failed', {
        from: ['sending'],
        lastError: error.message,
        counts: optedOut ? { optedOut: 1 } : { failed: 1 },
      });
    } else if (options.lastChance) {
      await deps.deliveries.transition(key, 'failed', {
        from: ['sending'],
        lastError: `Gave up after retries: ${reason(error)}`,
        counts: { failed: 1 },
      });
      if (options.settle !== false) await settleBroadcast(key.broadcastId, deps.broadcasts);
      // Still a failure for the queue: the message ends in the dead-letter queue as evidence.
      throw error;
    } else {
      await deps.deliveries.transition(key, 'queued', { from: ['sending'], lastError: reason(error) });
      throw error;
    }
  }
  if (options.settle !== false) await settleBroadcast(key.broadcastId, deps.broadcasts);
}
