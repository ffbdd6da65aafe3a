/**
 * What the channel workers need from the outside world. Adapters throw
 * `PermanentDeliveryError` or `TransientDeliveryError` (shared/domain/errors.ts) so the
 * workers decide about retries without knowing any provider's error codes.
 */

export interface SmsMessage {
  /** E.164 number. */
  to: string;
  body: string;
  /** Where the provider should post delivery status callbacks, if anywhere. */
  statusCallback?: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerId: string }>;
}

export interface SocialPost {
  text: string;
  /** Provider id of an earlier post this one continues (a reply in the same thread). */
  inReplyTo?: string;
}

export interface SocialPoster {
  post(post: SocialPost): Promise<{ providerId: string }>;
}
