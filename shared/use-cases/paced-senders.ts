import { chooseSender, type SmsSenderPool } from '#shared/domain/sms-senders.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';
import type { PacedSender } from './send-sms-batch.ts';

/** A limiter shared by every worker under `key` (the DynamoDB one in Lambda), allowing `perSecond`. */
export type LimiterFactory = (key: string, perSecond: number) => RateLimiter;

/**
 * The SMS worker's choice of sender per number: the pool's sender for it, paced by a limiter of
 * its own (one per long code of a list), made once per process. Without a pool, the provider's
 * own sender at `singlePerSecond` under the key it always had, so a deployment without one is
 * paced as before.
 */
export function pacedSenders(
  pool: SmsSenderPool | undefined,
  singlePerSecond: number,
  limiter: LimiterFactory,
): (phone: string) => PacedSender {
  if (!pool) {
    const single = { rate: limiter('sms', singlePerSecond) };
    return () => single;
  }
  const limiters = new Map<string, RateLimiter>();
  return (phone) => {
    const { origin, paceKey, perSecond, replyTo } = chooseSender(pool, phone);
    let rate = limiters.get(paceKey);
    if (!rate) {
      rate = limiter(`sms#${paceKey}`, perSecond);
      limiters.set(paceKey, rate);
    }
    return { origin, rate, ...(replyTo === undefined ? {} : { replyTo }) };
  };
}
