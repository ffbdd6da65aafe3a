/**
 * Which SMS provider a record goes to, and when a failed call lets it move to the other one.
 * The rule that keeps a passenger from being texted twice: a record moves only when the
 * provider it tried is known not to have accepted it.
 */
import { PermanentDeliveryError, TransientDeliveryError } from './errors.ts';

export const SMS_PROVIDERS = ['twilio', 'aws-sms'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/**
 * The code the Twilio adapter gives a refusal for the destination itself (21408: sending to the
 * number's region is not enabled; 21612: Twilio cannot route to the number): Twilio will refuse
 * every retry, another provider may not.
 */
export const DESTINATION_NOT_PERMITTED = 'destination_not_permitted';

export interface RouteInput {
  to: string;
  /** Number prefixes (`+7`, `+8869`) Twilio is known to refuse: they go to the fallback first. */
  fallbackPrefixes: readonly string[];
  /** Whether the primary's breaker lets a call through now. */
  primaryAvailable: boolean;
  /** Whether a fallback is configured. */
  hasFallback: boolean;
}

/** The provider to try first: Twilio, unless the number's prefix or Twilio's breaker says otherwise. */
export function firstProvider(input: RouteInput): SmsProvider {
  if (!input.hasFallback) return 'twilio';
  if (input.fallbackPrefixes.some((prefix) => input.to.startsWith(prefix))) return 'aws-sms';
  return input.primaryAvailable ? 'twilio' : 'aws-sms';
}

/**
 * Whether a failed call to one provider lets the record go to the other in the same attempt:
 * - a refusal of the destination (DESTINATION_NOT_PERMITTED): the provider created no message;
 * - a transient failure the provider answered (5xx, 429) or a connection never made: no message
 *   was created either.
 * Not a timeout or a connection lost mid-request (the provider may hold the message: the record is
 * reconciled first), and not any other refusal (an invalid number is invalid everywhere).
 */
export function mayFailOver(error: unknown): boolean {
  if (error instanceof PermanentDeliveryError) return error.code === DESTINATION_NOT_PERMITTED;
  if (error instanceof TransientDeliveryError) return !error.mayHaveBeenAccepted;
  return false;
}

/** Whether a failed call counts against the provider's breaker: it is down or overloaded, not refusing one number. */
export function isProviderFailure(error: unknown): boolean {
  return error instanceof TransientDeliveryError;
}
