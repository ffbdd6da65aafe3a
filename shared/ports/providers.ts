/**
 * What the channel workers need from the outside world. Adapters throw
 * `PermanentDeliveryError` or `TransientDeliveryError` (shared/domain/errors.ts) so the
 * workers decide about retries without knowing any provider's error codes.
 */
import type { SmsOrigin } from '#shared/domain/sms-senders.ts';

export interface SmsMessage {
  /** E.164 number. */
  to: string;
  body: string;
  /** Where the provider should post delivery status callbacks, if anywhere. */
  statusCallback?: string;
  /** The sender pool's choice for `to` (shared/domain/sms-senders.ts); absent: the provider's own default sender. */
  sender?: SmsOrigin;
}

/** What to look for among the messages a provider accepted earlier (reconciliation). */
export interface SentSmsQuery {
  to: string;
  body: string;
  /** Only messages the provider created at or after this time. */
  since: Date;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerId: string }>;
  /**
   * The provider ids of messages it accepted to `to` with exactly `body` since `since`, newest
   * first: how a send whose outcome was never recorded (a crash, a timeout) is told apart from
   * one that never reached the provider. Twilio has no idempotency key, so this is the check.
   * Whatever sender the earlier send went from: a pool changed since must not hide it.
   */
  findSent(query: SentSmsQuery): Promise<string[]>;
}

/** A message as the provider reports it now: its status (Twilio's words) and error code, if any. */
export interface SmsMessageState {
  status: string;
  errorCode?: string;
}

/** Asks the provider about one message it accepted: how a receipt that never came is recovered. */
export interface SmsStatusSource {
  /** The message's current state, or undefined when the provider holds no message with that id. */
  messageState(providerId: string): Promise<SmsMessageState | undefined>;
}

export interface SocialPost {
  text: string;
  /** Provider id of an earlier post this one continues (a reply in the same thread). */
  inReplyTo?: string;
}

/** What to look for among the account's own earlier posts (reconciliation). */
export interface PostedQuery {
  text: string;
  /** The thread the post continues, when it is a reply or comment. */
  inReplyTo?: string;
  /** Only posts created at or after this time. */
  since: Date;
}

export interface SocialPoster {
  post(post: SocialPost): Promise<{ providerId: string }>;
  /** The ids of the account's own posts with exactly `text` (in `inReplyTo`'s thread) since `since`, newest first. */
  findPosted(query: PostedQuery): Promise<string[]>;
}
