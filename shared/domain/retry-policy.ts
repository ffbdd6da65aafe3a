/**
 * The one retry policy for provider calls: exponential backoff with full jitter for transient
 * failures (429, 5xx, timeouts), waiting at least what the provider asked for (Retry-After,
 * X's x-rate-limit-reset), never retrying a permanent refusal.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientDeliveryError } from './errors.ts';

export interface RetryPolicy {
  /** Tries within one invocation, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider asking for a longer pause than this ends the invocation instead: the queue redelivers later. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxWaitMs: 20_000,
};

/** The pause before try number `attempt` (1 = the first retry). */
export function backoffMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs = 0,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(retryAfterMs, Math.round(random() * ceiling));
}

export interface RetryOptions {
  /** Ends the waiting between tries (the invocation's time is up). */
  signal?: AbortSignal;
  /** A further say on whether a transient failure is tried again after `waitMs`. */
  mayRetry?: (error: TransientDeliveryError, waitMs: number) => boolean;
}

/** Runs `call`, retrying transient failures under `policy`; anything else is thrown at once. */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  { signal, mayRetry = () => true }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TransientDeliveryError) || attempt >= policy.attempts) throw error;
      const wait = backoffMs(attempt, policy, error.retryAfterMs);
      if (wait > policy.maxWaitMs || !mayRetry(error, wait)) throw error;
      await sleep(wait, undefined, { signal });
    }
  }
}

/**
 * How long a queue message that failed its `receiveCount`-th receive waits before the next:
 * doubling from `firstSeconds` up to `maxSeconds`, with equal jitter (half fixed, half random) so
 * the batches a provider outage failed together do not all come back at once.
 */
export function redeliveryDelaySeconds(
  receiveCount: number,
  { firstSeconds, maxSeconds }: { firstSeconds: number; maxSeconds: number },
  random = Math.random,
): number {
  const ceiling = Math.min(maxSeconds, firstSeconds * 2 ** (Math.max(1, receiveCount) - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
