/**
 * Twilio's Programmable Messaging API as the `twilio` SDK sees it: `POST
 * /2010-04-01/Accounts/{sid}/Messages.json` with Basic auth, Twilio's error JSON, and signed
 * status callbacks posted after each accepted message; `GET` on the same path lists the
 * accepted messages as Twilio's Message list does (below), and `GET …/Messages/{Sid}.json` fetches
 * one message as Twilio's Message fetch does (the message's JSON, or 404 with error 20404 for a SID
 * it does not hold).
 *
 * A number under a prefix set with `POST /__sandbox/refused-prefixes` `{ prefixes }` is refused
 * with error 21408 (sending to its region is not enabled), as Twilio refuses a region the account
 * has not enabled in its geographic permissions.
 *
 * Every accepted message is "sent" at once: it is stored `delivered` (or `undelivered` for a
 * number in `POST /__sandbox/undeliverable`) with `date_sent` set, while the create answer says
 * `queued` (`accepted` through a Messaging Service) with `date_sent` null, as Twilio's does.
 *
 * The sender is `From` (a long code in E.164, a short code, or an alphanumeric sender ID of up to
 * 11 characters with a letter; else error 21212) or `MessagingServiceSid` (`MG` and 32 hex
 * digits; else 21705), recorded on the message as `from` and `messaging_service_sid`.
 *
 * The list (`GET …/Messages.json`): filters `To`, `From`, `DateSent`, `DateSent<` (on or before)
 * and `DateSent>` (on or after), compared on the UTC date of `date_sent` as Twilio does (a time
 * in the value is ignored); newest first by `date_created`; `PageSize` (default 50, at most 1000),
 * `Page` and Twilio's `PageToken` (`PA<sid>`: after that message, `PB<sid>`: before it), with
 * `next_page_uri` and `previous_page_uri` carrying the token so a page does not shift when new
 * messages arrive. It holds every message accepted since the sandbox started: `DELETE
 * /__sandbox/messages` clears the test log, not what the provider knows (a sender reconciling
 * after a crash must still find what it sent before the log was cleared).
 *
 * Status callbacks are retried like Twilio's webhooks with connection overrides: a callback that
 * cannot be delivered (connection refused or reset, no answer within 5 s, or a 5xx) is posted
 * again after 1 s, 2 s, 4 s, 8 s, then every 10 s, for about 2 minutes in all, with the same
 * `I-Twilio-Idempotency-Token`; a 2xx–4xx answer ends it. `close()` stops the retries. The status
 * callbacks of a number in `POST /__sandbox/callbacks-lost` `{ numbers }` are never posted, as a
 * callback refused under load (a 429) is lost: its message keeps its final status for the fetch.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import { SENDER_FORMATS } from '#shared/domain/sms-senders.ts';
import type { FormFields } from './http-io.ts';
import {
  E164,
  type RunningSandbox,
  replaceSetRoute,
  type SandboxReply,
  startSandboxServer,
  undeliverableRoute,
} from './sandbox-server.ts';

export interface TwilioSandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** Checked against Basic auth and used to sign status callbacks, as Twilio does. */
  authToken: string;
}

const API_VERSION = '2010-04-01';
/** Twilio's "Unreachable destination handset", the usual reason for `undelivered`. */
const UNDELIVERED_ERROR_CODE = '30003';
const CALLBACK_TIMEOUT_MS = 5_000;
const CALLBACK_FIRST_RETRY_MS = 1_000;
const CALLBACK_MAX_RETRY_MS = 10_000;
/** How long a callback keeps being retried, from its first attempt. */
const CALLBACK_RETRY_WINDOW_MS = 120_000;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
/** The filters of the Message list, in the order they are echoed in the page URIs. */
const LIST_FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/** A Message resource as Twilio's JSON has it. */
interface TwilioMessage {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: string;
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: string;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** A message the sandbox accepted, with the UTC day of its `date_sent` for the DateSent filters. */
interface AcceptedMessage {
  resource: TwilioMessage;
  sentDay: string;
}

/** A number prefix as `POST /__sandbox/refused-prefixes` takes it: a country code and more digits. */
const DIALLING_PREFIX = /^\+[1-9]\d{0,5}$/;

/** Twilio's error body: `{ code, message, more_info, status }`. */
function twilioError(
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): SandboxReply {
  return {
    status,
    headers,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

/** A `From` Twilio takes: a long code (E.164), a short code, or an alphanumeric sender ID. */
function isSender(from: string): boolean {
  return [SENDER_FORMATS.longCode, SENDER_FORMATS.shortCode, SENDER_FORMATS.alphanumericId].some((format) =>
    format.test(from),
  );
}

function field(fields: FormFields, name: string): string | undefined {
  const value = fields[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

function asForm(body: unknown): FormFields {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as FormFields) : {};
}

/** Twilio's own date format in Message JSON (RFC 2822). */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** `YYYY-MM-DD` (UTC) of a date. */
function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date part of a DateSent value (`2026-05-01` or `2026-05-01T10:00:00Z`), or undefined when invalid. */
function dayOf(value: string): string | undefined {
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value)?.[1];
  const midnight = day === undefined ? Number.NaN : Date.parse(`${day}T00:00:00Z`);
  // The round trip turns away dates that do not exist (2026-02-30).
  return !Number.isNaN(midnight) && utcDay(new Date(midnight)) === day ? day : undefined;
}

function basicAuth(header: string | undefined): { username: string; password: string } | undefined {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

/** Starts the Twilio sandbox; `POST /__sandbox/undeliverable` `{ numbers }` replaces the undeliverable set. */
export function startTwilioSandbox(options: TwilioSandboxOptions): Promise<RunningSandbox> {
  const undeliverable = new Set<string>();
  /** Numbers whose status callbacks are lost on the way (never posted), as set by the test. */
  const callbacksLost = new Set<string>();
  /** Number prefixes whose region the account may not send to (error 21408), as set by the test. */
  const refusedPrefixes = new Set<string>();
  /** Every message accepted since start, oldest first; not cleared by `DELETE /__sandbox/messages`. */
  const accepted: AcceptedMessage[] = [];
  const acceptedBySid = new Map<string, TwilioMessage>();
  const pendingCallbacks = new Set<AbortController>();

  /**
   * Posts one signed status callback, retried with backoff while it cannot be delivered (see
   * the file header); after the retry window the message stays at its last known status, as
   * with Twilio.
   */
  async function postStatusCallback(url: string, params: Record<string, string>): Promise<void> {
    const abort = new AbortController();
    pendingCallbacks.add(abort);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      // The same token on every retry: it is how a receiver recognises a retried callback.
      'i-twilio-idempotency-token': randomUUID(),
      'x-twilio-signature': twilio.getExpectedTwilioSignature(options.authToken, url, params),
    };
    const startedAt = Date.now();
    try {
      for (let delay = CALLBACK_FIRST_RETRY_MS; ; delay = Math.min(delay * 2, CALLBACK_MAX_RETRY_MS)) {
        if (await deliverCallback(url, headers, params, abort.signal)) return;
        if (Date.now() - startedAt + delay > CALLBACK_RETRY_WINDOW_MS) return;
        await sleep(delay, undefined, { signal: abort.signal });
      }
    } catch {
      // Aborted by close(): the sandbox is going away.
    } finally {
      pendingCallbacks.delete(abort);
    }
  }

  /** One attempt; true when the receiver answered (any 2xx–4xx), false when it should be retried. */
  async function deliverCallback(
    url: string,
    headers: Record<string, string>,
    params: Record<string, string>,
    closed: AbortSignal,
  ): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams(params),
        signal: AbortSignal.any([closed, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      return response.status < 500;
    } catch (error) {
      if (closed.aborted) throw error;
      return false;
    }
  }

  /** Twilio's 20003 unless `authorization` is Basic auth of the account's SID and the auth token. */
  function unauthenticated(accountSid: string, authorization: string | undefined): SandboxReply | undefined {
    const credentials = basicAuth(authorization);
    return credentials?.username === accountSid && credentials.password === options.authToken
      ? undefined
      : twilioError(401, 20003, 'Authenticate');
  }

  function createMessage(accountSid: string, authorization: string | undefined, body: unknown): SandboxReply {
    const refused = unauthenticated(accountSid, authorization);
    if (refused) return refused;
    const fields = asForm(body);
    const to = field(fields, 'To');
    const from = field(fields, 'From');
    const messagingServiceSid = field(fields, 'MessagingServiceSid');
    const text = field(fields, 'Body');
    const statusCallback = field(fields, 'StatusCallback');

    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !messagingServiceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (from && !isSender(from)) return twilioError(400, 21212, `Invalid 'From' Number: ${from}`);
    if (messagingServiceSid && !SENDER_FORMATS.messagingServiceSid.test(messagingServiceSid))
      return twilioError(400, 21705, 'The Messaging Service is invalid');
    if (!text) return twilioError(400, 21602, 'Message body is required.');
    if ([...refusedPrefixes].some((prefix) => to.startsWith(prefix))) {
      return twilioError(
        400,
        21408,
        `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
      );
    }

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const createdAt = new Date();
    const now = rfc2822(createdAt);
    const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
    const message: TwilioMessage = {
      account_sid: accountSid,
      api_version: API_VERSION,
      body: text,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: messagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(text.length / 160))),
      price: null,
      price_unit: 'USD',
      sid,
      // A Messaging Service first accepts the message, then picks the number it goes from.
      status: from ? 'queued' : 'accepted',
      subresource_uris: { media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to,
      uri,
    };

    // Stored as sent and delivered at once; the answer keeps Twilio's `queued` with no date_sent.
    const delivered = !undeliverable.has(to);
    const status = delivered ? 'delivered' : 'undelivered';
    const stored: TwilioMessage = {
      ...message,
      status,
      date_sent: now,
      ...(delivered ? {} : { error_code: Number(UNDELIVERED_ERROR_CODE) }),
    };
    accepted.push({ resource: stored, sentDay: utcDay(createdAt) });
    acceptedBySid.set(sid, stored);

    const afterReply =
      statusCallback && !callbacksLost.has(to)
        ? () => {
            const params: Record<string, string> = {
              AccountSid: accountSid,
              ApiVersion: API_VERSION,
              MessageSid: sid,
              MessageStatus: status,
              SmsSid: sid,
              SmsStatus: status,
              To: to,
              ...(from ? { From: from } : {}),
              ...(messagingServiceSid ? { MessagingServiceSid: messagingServiceSid } : {}),
              ...(delivered ? {} : { ErrorCode: UNDELIVERED_ERROR_CODE }),
            };
            void postStatusCallback(statusCallback, params);
          }
        : undefined;

    return { status: 201, body: message, recordAs: sid, afterReply };
  }

  /** Twilio's Message fetch: the message as it stands now, or 20404 for a SID the account does not hold. */
  function fetchMessage(
    accountSid: string,
    authorization: string | undefined,
    messageSid: string,
    path: string,
  ): SandboxReply {
    const refused = unauthenticated(accountSid, authorization);
    if (refused) return refused;
    const message = acceptedBySid.get(messageSid);
    if (message?.account_sid !== accountSid)
      return twilioError(404, 20404, `The requested resource ${path} was not found`);
    return { status: 200, body: message };
  }

  /** Twilio's Message list: filtered, newest first, one page (see the file header). */
  function listMessages(
    accountSid: string,
    authorization: string | undefined,
    path: string,
    query: URLSearchParams,
  ): SandboxReply {
    const refused = unauthenticated(accountSid, authorization);
    if (refused) return refused;
    const pageSize = Number(query.get('PageSize') ?? DEFAULT_PAGE_SIZE);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      return twilioError(400, 20001, `PageSize must be between 1 and ${MAX_PAGE_SIZE}`);
    }
    const page = Number(query.get('Page') ?? 0);
    if (!Number.isInteger(page) || page < 0) return twilioError(400, 20001, 'Page must be 0 or more');

    const filters = new URLSearchParams();
    const days: Partial<Record<'DateSent' | 'DateSent<' | 'DateSent>', string>> = {};
    for (const name of LIST_FILTERS) {
      const value = query.get(name);
      if (value === null) continue;
      filters.set(name, value);
      if (name === 'To' || name === 'From') continue;
      const day = dayOf(value);
      if (day === undefined) return twilioError(400, 20001, `Invalid ${name}: ${value}`);
      days[name] = day;
    }
    const to = query.get('To');
    const from = query.get('From');
    const matching = accepted
      .filter(({ resource, sentDay }) => {
        if (resource.account_sid !== accountSid) return false;
        if (to !== null && resource.to !== to) return false;
        if (from !== null && resource.from !== from) return false;
        if (days.DateSent !== undefined && sentDay !== days.DateSent) return false;
        if (days['DateSent<'] !== undefined && sentDay > days['DateSent<']) return false;
        if (days['DateSent>'] !== undefined && sentDay < days['DateSent>']) return false;
        return true;
      })
      .map(({ resource }) => resource)
      .reverse();

    // PageToken (PA<sid>: after it, PB<sid>: before it) wins over Page, as it does at Twilio.
    const token = query.get('PageToken');
    const tokenIndex = token === null ? -1 : matching.findIndex((message) => message.sid === token.slice(2));
    let startIndex = page * pageSize;
    if (tokenIndex >= 0 && token?.startsWith('PA')) startIndex = tokenIndex + 1;
    if (tokenIndex >= 0 && token?.startsWith('PB')) startIndex = Math.max(0, tokenIndex - pageSize);
    const endIndex = tokenIndex >= 0 && token?.startsWith('PB') ? tokenIndex : startIndex + pageSize;
    const messages = matching.slice(startIndex, endIndex);

    const pageUri = (pageNumber: number, pageToken?: string) => {
      const params = new URLSearchParams(filters);
      params.set('PageSize', String(pageSize));
      params.set('Page', String(pageNumber));
      if (pageToken !== undefined) params.set('PageToken', pageToken);
      return `${path}?${params}`;
    };
    const first = messages[0];
    const last = messages.at(-1);
    const start = page * pageSize;
    return {
      status: 200,
      body: {
        messages,
        end: Math.max(start, start + messages.length - 1),
        first_page_uri: pageUri(0),
        next_page_uri: last && endIndex < matching.length ? pageUri(page + 1, `PA${last.sid}`) : null,
        page,
        page_size: pageSize,
        previous_page_uri: first && page > 0 ? pageUri(page - 1, `PB${first.sid}`) : null,
        start,
        uri: `${path}${query.size > 0 ? `?${query}` : ''}`,
      },
    };
  }

  return startSandboxServer(
    {
      name: 'Twilio sandbox',
      routes: [
        {
          method: 'POST',
          path: /^\/2010-04-01\/Accounts\/(?<accountSid>[^/]+)\/Messages\.json$/,
          handle: ({ params, headers, body }) =>
            createMessage(params.accountSid ?? '', headers.authorization, body),
        },
        {
          method: 'GET',
          path: /^\/2010-04-01\/Accounts\/(?<accountSid>[^/]+)\/Messages\.json$/,
          handle: ({ params, headers, path, query }) =>
            listMessages(params.accountSid ?? '', headers.authorization, path, query),
        },
        {
          method: 'GET',
          path: /^\/2010-04-01\/Accounts\/(?<accountSid>[^/]+)\/Messages\/(?<messageSid>[^/]+)\.json$/,
          handle: ({ params, headers, path }) =>
            fetchMessage(params.accountSid ?? '', headers.authorization, params.messageSid ?? '', path),
        },
      ],
      controlRoutes: [
        undeliverableRoute(undeliverable),
        replaceSetRoute(
          'callbacks-lost',
          'numbers',
          { pattern: E164, example: '"+358401234567"' },
          callbacksLost,
        ),
        replaceSetRoute(
          'refused-prefixes',
          'prefixes',
          { pattern: DIALLING_PREFIX, example: '"+7"' },
          refusedPrefixes,
        ),
      ],
      faults: {
        rateLimited: () => twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }),
        serverError: () => twilioError(500, 20500, 'An internal server error has occurred'),
        serviceUnavailable: () => twilioError(503, 20503, 'Service Unavailable'),
      },
      async onClose() {
        for (const abort of pendingCallbacks) abort.abort();
      },
    },
    options.port,
  );
}
