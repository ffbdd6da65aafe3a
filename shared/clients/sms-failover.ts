/**
 * The SMS worker's failover (shared/use-cases/sms-failover.ts): the fallback provider from
 * smsFallbackConfig, and one circuit breaker per provider for the life of the process (their
 * state is the instance's own, see shared/domain/circuit-breaker.ts). The AWS SDK finds the
 * service's endpoint as the other AWS clients do (`AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2` points
 * it at the local sandbox).
 */
import { AwsSmsSender } from '#shared/adapters/aws-sms-sender.ts';
import { deliveryConfig, smsFallbackConfig } from '#shared/config.ts';
import { CircuitBreaker } from '#shared/domain/circuit-breaker.ts';
import type { SmsFailover } from '#shared/use-cases/sms-failover.ts';

let failover: Omit<SmsFailover, 'primary'> | undefined;

/** The failover behind Twilio, or none when no fallback is configured. */
export function smsFailover(): Omit<SmsFailover, 'primary'> | undefined {
  const config = smsFallbackConfig();
  if (!config) return undefined;
  failover ??= {
    fallback: new AwsSmsSender({
      originationIdentity: config.originationIdentity,
      configurationSetName: config.configurationSetName,
      timeoutMs: deliveryConfig().providerTimeoutMs,
    }),
    breakers: { twilio: new CircuitBreaker(), 'aws-sms': new CircuitBreaker() },
    fallbackPrefixes: config.prefixes,
    fallbackEventGraceMs: config.eventGraceMs,
  };
  return failover;
}
