/**
 * One SMS record's send across two providers: Twilio first, AWS End User Messaging SMS when
 * Twilio refuses the destination, is down or its breaker is open, and the other way round for
 * the number prefixes Twilio is known to refuse. A record moves to the other provider only when
 * the one it tried is known not to have accepted it (sms-routing.ts `mayFailOver`).
 */
import type { CircuitBreaker } from '#shared/domain/circuit-breaker.ts';
import { TransientDeliveryError } from '#shared/domain/errors.ts';
import {
  firstProvider,
  isProviderFailure,
  mayFailOver,
  type SmsProvider,
} from '#shared/domain/sms-routing.ts';
import type { SmsMessage, SmsSender } from '#shared/ports/providers.ts';
import type { DeliveryKey, DeliveryStore } from '#shared/ports/stores.ts';

/** The fallback's send; its delivery events name the record by `context` (it has no list to reconcile with). */
export interface FallbackSmsSender {
  send(message: SmsMessage, context: Record<string, string>): Promise<{ providerId: string }>;
}

export interface SmsFailover {
  primary: SmsSender;
  /** None: every SMS goes to Twilio, as before. */
  fallback?: FallbackSmsSender;
  breakers: Record<SmsProvider, CircuitBreaker>;
  /** Number prefixes sent to the fallback first (Twilio refuses them). */
  fallbackPrefixes: readonly string[];
  /**
   * How long after a send handed to the fallback an uncertain record waits for its delivery
   * events before it counts as not accepted there.
   */
  fallbackEventGraceMs: number;
}

/** The providers in the order to try them for `to`. */
function providerOrder(to: string, failover: SmsFailover): SmsProvider[] {
  if (!failover.fallback) return ['twilio'];
  const first = firstProvider({
    to,
    fallbackPrefixes: failover.fallbackPrefixes,
    primaryAvailable: failover.breakers.twilio.state === 'closed',
    hasFallback: true,
  });
  return first === 'twilio' ? ['twilio', 'aws-sms'] : ['aws-sms', 'twilio'];
}

/**
 * Sends `message` for the record `key` (whose lease `owner` holds), trying the providers in order:
 * 1. a provider whose breaker is open is skipped (no call, so certainly not accepted);
 * 2. before a call to the fallback, `fallbackAt` is stamped on the record (reconciliation below);
 * 3. a failure that proves the provider took nothing moves on to the next provider; any other
 *    failure is thrown as it is (a timeout: the record is reconciled before any new send);
 * 4. when every provider failed, a transient failure wins over a refusal, so the record is retried.
 */
export async function sendWithFailover(
  key: DeliveryKey,
  owner: string,
  message: SmsMessage,
  failover: SmsFailover,
  deliveries: Pick<DeliveryStore, 'noteFallbackAttempt'>,
): Promise<{ providerId: string; provider: SmsProvider }> {
  const failures: unknown[] = [];
  for (const provider of providerOrder(message.to, failover)) {
    const breaker = failover.breakers[provider];
    if (!breaker.tryAcquire()) {
      failures.push(new TransientDeliveryError(`${provider} is skipped while its circuit breaker is open`));
      continue;
    }
    try {
      const { providerId } = await callProvider(provider, key, owner, message, failover, deliveries);
      breaker.recordSuccess();
      return { providerId, provider };
    } catch (error) {
      if (isProviderFailure(error)) breaker.recordFailure();
      else breaker.recordSuccess();
      if (!mayFailOver(error)) throw error;
      failures.push(error);
    }
  }
  throw failures.find((failure) => failure instanceof TransientDeliveryError) ?? failures.at(-1);
}

async function callProvider(
  provider: SmsProvider,
  key: DeliveryKey,
  owner: string,
  message: SmsMessage,
  failover: SmsFailover,
  deliveries: Pick<DeliveryStore, 'noteFallbackAttempt'>,
): Promise<{ providerId: string }> {
  if (provider === 'twilio' || !failover.fallback) return failover.primary.send(message);
  if (!(await deliveries.noteFallbackAttempt(key, owner))) {
    throw new Error('The record is no longer this attempt’s: not sent to the fallback');
  }
  // The status callback URL is Twilio's; the fallback's events name the record by its context.
  return failover.fallback.send(
    { to: message.to, body: message.body },
    { broadcastId: key.broadcastId, customerId: key.recipientId },
  );
}

/**
 * What the providers accepted for an uncertain record since `since`: Twilio's list; the fallback
 * has none, so a record handed to it within `fallbackEventGraceMs` waits (a transient failure)
 * for the delivery events that settle it (record-sms-event.ts), and counts as not accepted there
 * once they are overdue.
 */
export async function findAcceptedAcross(
  key: DeliveryKey,
  message: SmsMessage,
  since: Date,
  failover: SmsFailover,
  deliveries: Pick<DeliveryStore, 'get'>,
): Promise<string[]> {
  if (failover.fallback) {
    const record = await deliveries.get(key.broadcastId, key.channel, key.recipientId);
    const handedOverAt = record?.fallbackAt === undefined ? undefined : Date.parse(record.fallbackAt);
    if (handedOverAt !== undefined && Date.now() - handedOverAt < failover.fallbackEventGraceMs) {
      throw new TransientDeliveryError('Waiting for the fallback provider’s delivery events');
    }
  }
  return failover.primary.findSent({ to: message.to, body: message.body, since });
}
