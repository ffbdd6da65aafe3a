/**
 * The fallback SMS provider, AWS End User Messaging SMS, through its SDK
 * (`@aws-sdk/client-pinpoint-sms-voice-v2`, `SendTextMessage`). Its errors become
 * PermanentDeliveryError / TransientDeliveryError as Twilio's do. The service has no API that
 * lists sent messages and no idempotency key: what it accepted is learnt from its delivery events
 * (an SNS topic, see functions/sms-events), so a send whose answer was lost is reported as
 * possibly accepted and never repeated blind.
 */
import {
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  PinpointSMSVoiceV2ServiceException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { neverReachedProvider } from '#shared/adapters/connection-errors.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { SmsMessage } from '#shared/ports/providers.ts';

export interface AwsSmsSenderSettings {
  /** Phone number, sender ID or pool (id or ARN) the SMS is sent from. */
  originationIdentity: string;
  /** The configuration set whose event destination (an SNS topic) receives the delivery events. */
  configurationSetName?: string;
  /** The service's endpoint (the local sandbox); the region's own when absent. */
  endpoint?: string;
  /** Per-request timeout; a slow service becomes a TransientDeliveryError. */
  timeoutMs: number;
}

/** Where a message came from, echoed in every delivery event's `context`. */
export type SmsContext = Record<string, string>;

/**
 * A 5xx whose error type the SDK does not model (`ServiceUnavailableException`, or a load
 * balancer's 503 with no body, both of which it names an unknown service error): the service
 * failed, not the number, so it is no refusal of the message.
 */
function isUntypedServerError(error: unknown): error is PinpointSMSVoiceV2ServiceException {
  return error instanceof PinpointSMSVoiceV2ServiceException && (error.$metadata.httpStatusCode ?? 0) >= 500;
}

/** Maps an SDK failure to a delivery error; the SDK's error is not the cause (its message may echo the number). */
function toDeliveryError(error: unknown): unknown {
  if (error instanceof ThrottlingException || error instanceof ServiceQuotaExceededException) {
    // Refused before anything was sent: a spend or rate limit that time (or an operator) lifts.
    return new TransientDeliveryError(`AWS SMS refused the message for now (${error.name})`);
  }
  if (error instanceof InternalServerException || isUntypedServerError(error)) {
    // Unlike Twilio's 5xx, AWS does not say whether a failed SendTextMessage created a message.
    return new TransientDeliveryError(`AWS SMS failed (${error.name})`, undefined, {
      mayHaveBeenAccepted: true,
    });
  }
  if (error instanceof ConflictException && error.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') {
    return new PermanentDeliveryError('AWS SMS: the number opted out', 'opted_out');
  }
  if (error instanceof PinpointSMSVoiceV2ServiceException) {
    const reason = 'Reason' in error && typeof error.Reason === 'string' ? ` ${error.Reason}` : '';
    return new PermanentDeliveryError(`AWS SMS refused the message: ${error.name}${reason}`, 'rejected');
  }
  if (error instanceof Error) {
    return new TransientDeliveryError(`AWS SMS request failed (${error.name})`, undefined, {
      mayHaveBeenAccepted: !neverReachedProvider(error),
    });
  }
  return error;
}

/** Sends SMS through AWS End User Messaging SMS; construct once per process. */
export class AwsSmsSender {
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #settings: AwsSmsSenderSettings;

  constructor(settings: AwsSmsSenderSettings) {
    this.#settings = settings;
    this.#client = new PinpointSMSVoiceV2Client({
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      // The worker's retry policy is the only one: an SDK retry of a lost answer could text twice.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: settings.timeoutMs, requestTimeout: settings.timeoutMs },
    });
  }

  /** `context` names the delivery record; the events carry it back to the ledger. */
  async send(message: SmsMessage, context: SmsContext): Promise<{ providerId: string }> {
    try {
      const { MessageId } = await this.#client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          OriginationIdentity: this.#settings.originationIdentity,
          MessageBody: message.body,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: this.#settings.configurationSetName,
          Context: context,
        }),
      );
      if (!MessageId) throw new Error('AWS SMS answered without a MessageId');
      return { providerId: MessageId };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}
