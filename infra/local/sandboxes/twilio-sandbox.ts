/**
 * Twilio's Programmable Messaging API as the `twilio` SDK sees it: `POST
 * /2010-04-01/Accounts/{sid}/Messages.json` with Basic auth, Twilio's error JSON, and signed
 * status callbacks posted after each accepted message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { z } from 'zod';
import { fieldErrorsFromZod } from '#shared/http/problem.ts';
import type { FormFields } from './http-io.ts';
import { problem, type RunningSandbox, type SandboxReply, startSandboxServer } from './sandbox-server.ts';

export interface TwilioSandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** Checked against Basic auth and used to sign status callbacks, as Twilio does. */
  authToken: string;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const API_VERSION = '2010-04-01';
/** Twilio's "Unreachable destination handset", the usual reason for `undelivered`. */
const UNDELIVERED_ERROR_CODE = '30003';
const CALLBACK_TIMEOUT_MS = 5_000;

const undeliverableSchema = z.strictObject({ numbers: z.array(z.string().regex(E164)) });

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
  const pendingCallbacks = new Set<AbortController>();

  /** Posts one signed status callback; failures are dropped, as Twilio gives up after its own retries. */
  async function postStatusCallback(url: string, params: Record<string, string>): Promise<void> {
    const abort = new AbortController();
    pendingCallbacks.add(abort);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TwilioProxy/1.1',
          'i-twilio-idempotency-token': randomUUID(),
          'x-twilio-signature': twilio.getExpectedTwilioSignature(options.authToken, url, params),
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
    } catch {
      // The receiver is down or slow: the message stays at its last known status, as with Twilio.
    } finally {
      pendingCallbacks.delete(abort);
    }
  }

  function createMessage(accountSid: string, authorization: string | undefined, body: unknown): SandboxReply {
    const credentials = basicAuth(authorization);
    if (credentials?.username !== accountSid || credentials.password !== options.authToken) {
      return twilioError(401, 20003, 'Authenticate');
    }
    const fields = asForm(body);
    const to = field(fields, 'To');
    const from = field(fields, 'From');
    const messagingServiceSid = field(fields, 'MessagingServiceSid');
    const text = field(fields, 'Body');
    const statusCallback = field(fields, 'StatusCallback');

    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !messagingServiceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!text) return twilioError(400, 21602, 'Message body is required.');

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = rfc2822(new Date());
    const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
    const message = {
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
      status: 'queued',
      subresource_uris: { media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to,
      uri,
    };

    const afterReply = statusCallback
      ? () => {
          const delivered = !undeliverable.has(to);
          const status = delivered ? 'delivered' : 'undelivered';
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
      ],
      controlRoutes: [
        {
          method: 'POST',
          path: /^\/__sandbox\/undeliverable$/,
          handle: ({ body }) => {
            const parsed = undeliverableSchema.safeParse(body);
            if (!parsed.success) {
              return problem(
                400,
                'Bad Request',
                'Expected { "numbers": [E.164…] }.',
                fieldErrorsFromZod(parsed.error),
              );
            }
            undeliverable.clear();
            for (const number of parsed.data.numbers) undeliverable.add(number);
            return { status: 200, body: { numbers: [...undeliverable] } };
          },
        },
      ],
      faults: {
        rateLimited: () => twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }),
        serverError: () => twilioError(500, 20500, 'An internal server error has occurred'),
      },
      async onClose() {
        for (const abort of pendingCallbacks) abort.abort();
      },
    },
    options.port,
  );
}
