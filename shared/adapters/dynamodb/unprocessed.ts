/**
 * DynamoDB's batch calls may leave part of a request unprocessed (throttling, a response over
 * 16 MB) and still succeed: that part is sent again after a backoff until none is left.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, type RetryPolicy } from '#shared/domain/retry-policy.ts';

/**
 * Up to 7 tries after the first, after exponential backoff with full jitter (a ceiling of 50 ms,
 * 100 ms, … 2 s): a table throttled for longer fails the call, and the caller's own retry (the
 * queue, the client) takes over.
 */
export const UNPROCESSED_RETRY: RetryPolicy = {
  attempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  maxWaitMs: 2_000,
};

/**
 * Sends `requests`, then what each call answers as unprocessed, until nothing is left.
 * @param send - one batch call; resolves with the requests it left unprocessed.
 * @param describe - the failure's message, given how many requests were still left.
 */
export async function untilProcessed<T>(
  requests: T[],
  send: (requests: T[]) => Promise<T[]>,
  describe: (left: number) => string,
): Promise<void> {
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      if (attempt > UNPROCESSED_RETRY.attempts) throw new Error(describe(pending.length));
      await sleep(backoffMs(attempt - 1, UNPROCESSED_RETRY));
    }
    pending = await send(pending);
  }
}
