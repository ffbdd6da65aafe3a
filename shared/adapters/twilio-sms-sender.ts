/**
 * SmsSender on Twilio's Programmable Messaging API through the official `twilio` SDK. Twilio's
 * error codes become PermanentDeliveryError / TransientDeliveryError so the SMS worker can
 * decide about retries without knowing them. `findSent` reads Twilio's Message list, filtered by
 * `To`, newest first: Twilio has no idempotency key, so that list is how a send whose answer was
 * lost is told apart from one that never arrived. `messageState` reads one message (Twilio's
 * Message fetch): how a status callback that never came is recovered.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { MessagePage } from 'twilio/lib/rest/api/v2010/account/message.js';
import { neverReachedProvider } from '#shared/adapters/connection-errors.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import { DESTINATION_NOT_PERMITTED } from '#shared/domain/sms-routing.ts';
import type { SmsOrigin } from '#shared/domain/sms-senders.ts';
import type {
  SentSmsQuery,
  SmsMessage,
  SmsMessageState,
  SmsSender,
  SmsStatusSource,
} from '#shared/ports/providers.ts';

export interface TwilioSmsSenderSettings {
  accountSid: string;
  authToken: string;
  /**
   * The sender of a message that names none: a number in E.164, or a Messaging Service SID
   * ("MG…") to let Twilio pick from its pool.
   */
  from: string;
  /** Replaces the origin of api.twilio.com (the local sandbox); the SDK's own hosts when absent. */
  apiBaseUrl?: string;
  /** Per-request timeout; a slow Twilio becomes a TransientDeliveryError. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Twilio's own default; a passenger gets a handful of messages, so one page is the usual read. */
const LIST_PAGE_SIZE = 50;
/**
 * How far past `since` the list is still read. Twilio documents the list as newest first but
 * not whether by date_created or date_sent, and a message queued earlier can be sent later:
 * reading a few minutes further costs a page at most, stopping at the first older one could
 * miss a match.
 */
const LIST_ORDER_GRACE_MS = 5 * 60_000;

/** Twilio's "resource not found": a Message fetch for a SID the account does not hold. */
const NOT_FOUND_CODE = 20404;

/** Twilio error codes that retrying cannot fix, mapped to Herald's permanent-failure codes. */
const PERMANENT_CODES = new Map<number, string>([
  [21211, 'invalid_phone'], // Invalid 'To' phone number
  [21614, 'invalid_phone'], // 'To' is not a mobile number
  [21610, 'opted_out'], // Recipient replied STOP
  [21408, DESTINATION_NOT_PERMITTED], // Sending to the number's region is not enabled: another provider may
  [21612, DESTINATION_NOT_PERMITTED], // Twilio cannot route to the number: another provider may
]);

/**
 * Twilio's RestException keeps the body but drops the headers, so Retry-After would be lost:
 * the HTTP client turns retryable statuses into this error before the SDK sees them.
 */
class TwilioRetryableStatusError extends Error {
  override readonly name = 'TwilioRetryableStatusError';
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`Twilio answered HTTP ${status}`);
  }
}

/** Delta-seconds or HTTP-date, as RFC 9110 allows. */
function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The SDK's HTTP client, pointed at another origin when asked (the sandbox) and with the
 * SDK's own 429 retries off: the worker's retry policy is the only one.
 */
class TwilioHttpClient extends twilio.RequestClient {
  readonly #origin: string | undefined;

  constructor(apiBaseUrl: string | undefined, timeoutMs: number) {
    super({ timeout: timeoutMs, autoRetry: false });
    this.#origin = apiBaseUrl === undefined ? undefined : new URL(apiBaseUrl).origin;
  }

  // Return type inferred from super.request: the SDK's `export default` Response type reads as a namespace from ESM.
  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const uri = this.#origin === undefined ? opts.uri : `${this.#origin}${target.pathname}${target.search}`;
    const response = await super.request({ ...opts, uri });
    if (response.statusCode === 429 || response.statusCode >= 500) {
      const headers: Record<string, unknown> = response.headers ?? {};
      throw new TwilioRetryableStatusError(response.statusCode, parseRetryAfter(headers['retry-after']));
    }
    return response;
  }
}

/** The fields of RestException (and the newer TwilioServiceException) that the mapping needs. */
function isTwilioApiError(error: unknown): error is { status: number; code?: number } {
  return (
    error instanceof Error &&
    'status' in error &&
    typeof error.status === 'number' &&
    (!('code' in error) || error.code === undefined || typeof error.code === 'number')
  );
}

/** Axios errors are network failures and timeouts here: the client accepts every HTTP status. */
function isNetworkError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && 'isAxiosError' in error && error.isAxiosError === true;
}

/**
 * Maps an SDK failure to a delivery error. The SDK's errors are never attached as `cause`:
 * Twilio's messages echo the 'To' number and axios errors carry the request body, and both
 * would end up in logs. `request` says whether the failed call could have created a message.
 */
function toDeliveryError(error: unknown, request: 'send' | 'query'): unknown {
  if (error instanceof TwilioRetryableStatusError) {
    // Twilio answered, so it did not take the message.
    return new TransientDeliveryError(`Twilio unavailable (HTTP ${error.status})`, error.retryAfterMs);
  }
  if (isTwilioApiError(error)) {
    const description = `Twilio refused the ${request === 'send' ? 'message' : 'query'}: error ${error.code ?? 'unknown'} (HTTP ${error.status})`;
    if (error.status >= 500 || error.status === 429) return new TransientDeliveryError(description);
    const code = error.code === undefined ? undefined : PERMANENT_CODES.get(error.code);
    return new PermanentDeliveryError(description, code ?? 'rejected');
  }
  if (isNetworkError(error)) {
    return new TransientDeliveryError(`Twilio request failed (${error.code ?? 'network error'})`, undefined, {
      mayHaveBeenAccepted: request === 'send' && !neverReachedProvider(error),
    });
  }
  // Anything else is a bug on our side (a missing parameter…): retrying will not help, hiding it would.
  return error;
}

/** Sends SMS through Twilio; construct once per process (see shared/clients/providers.ts). */
export class TwilioSmsSender implements SmsSender, SmsStatusSource {
  readonly #client: twilio.Twilio;
  readonly #defaultSender: SmsOrigin;

  constructor(settings: TwilioSmsSenderSettings) {
    this.#client = twilio(settings.accountSid, settings.authToken, {
      httpClient: new TwilioHttpClient(settings.apiBaseUrl, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    this.#defaultSender = settings.from.startsWith('MG')
      ? { messagingServiceSid: settings.from }
      : { from: settings.from };
  }

  /** Sends from the message's own sender (`From` or `MessagingServiceSid`), else the default. */
  async send(message: SmsMessage): Promise<{ providerId: string }> {
    try {
      const created = await this.#client.messages.create({
        ...(message.sender ?? this.#defaultSender),
        to: message.to,
        body: message.body,
        ...(message.statusCallback === undefined ? {} : { statusCallback: message.statusCallback }),
      });
      return { providerId: created.sid };
    } catch (error) {
      throw toDeliveryError(error, 'send');
    }
  }

  /**
   * 1. Read the Message list filtered by `To`, page by page (not by DateSent: a message Twilio
   *    has only queued has no date_sent yet).
   * 2. Keep outbound messages with exactly `body` created at or after `since` floored to the
   *    second (Twilio's dates have whole seconds), from whichever sender: the pool may have
   *    changed since the earlier send.
   * 3. Stop once the list has gone well past `since` (LIST_ORDER_GRACE_MS).
   */
  async findSent(query: SentSmsQuery): Promise<string[]> {
    const since = Math.floor(query.since.getTime() / 1000) * 1000;
    const found: string[] = [];
    try {
      let page: Awaited<ReturnType<MessagePage['nextPage']>> = await this.#client.messages.page({
        to: query.to,
        pageSize: LIST_PAGE_SIZE,
      });
      while (page !== undefined) {
        let pastSince = false;
        for (const message of page.instances) {
          const created = message.dateCreated.getTime();
          if (created < since - LIST_ORDER_GRACE_MS) pastSince = true;
          if (
            created >= since &&
            message.to === query.to &&
            message.body === query.body &&
            message.direction.startsWith('outbound')
          ) {
            found.push(message.sid);
          }
        }
        page = pastSince ? undefined : await page.nextPage();
      }
    } catch (error) {
      throw toDeliveryError(error, 'query');
    }
    return found;
  }

  /** Twilio's Message fetch (`GET …/Messages/{Sid}.json`); undefined on its 20404. */
  async messageState(providerId: string): Promise<SmsMessageState | undefined> {
    try {
      const message = await this.#client.messages(providerId).fetch();
      return {
        status: message.status,
        // Typed a number, but null when the message has no error (there is no error code 0).
        ...(message.errorCode ? { errorCode: String(message.errorCode) } : {}),
      };
    } catch (error) {
      if (isTwilioApiError(error) && error.code === NOT_FOUND_CODE) return undefined;
      throw toDeliveryError(error, 'query');
    }
  }
}
