/**
 * Work a function does while it initializes, in a provisioned instance only: Lambda initializes
 * those before any invocation (AWS_LAMBDA_INITIALIZATION_TYPE says `provisioned-concurrency`), so
 * what their first invocation would otherwise pay for first (the SDK's first request and its
 * connection, a secret read) is paid before a broadcast's first SMS waits for it. An on-demand
 * instance skips it: its first invocation follows its initialization at once and pays the same
 * either way. A failed warm-up is logged and forgotten; the invocation does the same work again.
 */
import { logger } from './logger.ts';

/** An id no item has: a warm-up read by it finds nothing, at the price of any read. */
export const WARM_UP_ID = 'warm-up';

/** The value of AWS_LAMBDA_INITIALIZATION_TYPE in an instance of provisioned concurrency. */
export const PROVISIONED_INITIALIZATION = 'provisioned-concurrency';

export async function warmUpIfProvisioned(warmUp: () => Promise<unknown>): Promise<void> {
  if (process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== PROVISIONED_INITIALIZATION) return;
  try {
    await warmUp();
  } catch (error) {
    logger.warn('The warm-up of a provisioned instance failed; its first invocation does the work', {
      error,
    });
  }
}
