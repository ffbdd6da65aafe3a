/**
 * The three provider adapters end to end through the real SDKs (twilio, twitter-api-v2, fetch)
 * against the local sandboxes, plus the sandboxes' own control endpoints.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RecordedMessage, type Sandboxes, startSandboxes } from '#infra/local/sandboxes/index.ts';
import { FacebookPoster } from '#shared/adapters/facebook-poster.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio-sms-sender.ts';
import { XPoster } from '#shared/adapters/x-poster.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'integration-twilio-auth-token';
const FROM = '+15005550006';
const PAGE_ID = '1000000000001';
const GRAPH_VERSION = 'v21.0';

interface ReceivedCallback {
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

let sandboxes: Sandboxes;
let callbackServer: Server;
let callbackUrl: string;
const callbacks: ReceivedCallback[] = [];
let uniqueness = 0;

/** Sandboxes reject repeated texts (duplicate content), so every post gets its own. */
function unique(text: string): string {
  uniqueness += 1;
  return `${text} #${uniqueness}`;
}

async function control(baseUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function recorded(baseUrl: string): Promise<RecordedMessage[]> {
  const response = await control(baseUrl, 'GET', '/__sandbox/messages');
  expect(response.status).toBe(200);
  return (await response.json()) as RecordedMessage[];
}

async function setFaults(baseUrl: string, faults: Record<string, number>): Promise<void> {
  const response = await control(baseUrl, 'POST', '/__sandbox/faults', faults);
  expect(response.status).toBe(200);
}

/** The rejection of a promise that must reject, for assertions on several of its fields. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject');
}

async function callbackFor(messageSid: string): Promise<ReceivedCallback> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const found = callbacks.find((callback) => callback.params.MessageSid === messageSid);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No status callback for ${messageSid}`);
}

function twilioSender(timeoutMs?: number): TwilioSmsSender {
  return new TwilioSmsSender({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    apiBaseUrl: sandboxes.twilio.url,
    timeoutMs,
  });
}

function xPoster(): XPoster {
  return new XPoster({
    appKey: 'test-app-key',
    appSecret: 'test-app-secret',
    accessToken: 'test-access-token',
    accessSecret: 'test-access-secret',
    apiBaseUrl: sandboxes.x.url,
  });
}

function facebookPoster(timeoutMs?: number): FacebookPoster {
  return new FacebookPoster({
    pageId: PAGE_ID,
    pageToken: 'test-page-token',
    graphBaseUrl: sandboxes.facebook.url,
    graphVersion: GRAPH_VERSION,
    timeoutMs,
  });
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ twilioPort: 0, xPort: 0, facebookPort: 0, twilioAuthToken: AUTH_TOKEN });
  callbackServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = request.headers['x-twilio-signature'];
      callbacks.push({
        url: `${callbackUrl.slice(0, callbackUrl.indexOf('/', 'http://'.length))}${request.url ?? ''}`,
        signature: typeof header === 'string' ? header : undefined,
        params: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/twilio/status?broadcast=b-1`;
});

afterAll(async () => {
  await sandboxes?.close();
  callbackServer?.closeAllConnections();
  await new Promise<void>((resolve) => (callbackServer ? callbackServer.close(() => resolve()) : resolve()));
});

beforeEach(async () => {
  for (const { url } of [sandboxes.twilio, sandboxes.x, sandboxes.facebook]) {
    expect((await control(url, 'DELETE', '/__sandbox/messages')).status).toBe(204);
    await setFaults(url, {});
  }
  await control(sandboxes.twilio.url, 'POST', '/__sandbox/undeliverable', { numbers: [] });
});

describe('Twilio SMS through the twilio SDK', () => {
  it('records the message with To, From, Body and StatusCallback under the SID the sender returns', async () => {
    const { providerId } = await twilioSender().send({
      to: '+358401234567',
      body: 'Flight AY123 is delayed',
      statusCallback: callbackUrl,
    });

    expect(providerId).toMatch(/^SM[0-9a-f]{32}$/);
    const messages = await recorded(sandboxes.twilio.url);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      id: providerId,
      request: {
        method: 'POST',
        path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
        body: {
          To: '+358401234567',
          From: FROM,
          Body: 'Flight AY123 is delayed',
          StatusCallback: callbackUrl,
        },
      },
    });
    expect(messages[0]?.request.headers.authorization).toBe('Basic [redacted]');
  });

  it('turns an invalid number into PermanentDeliveryError invalid_phone, without the number in the message', async () => {
    const error = await rejectionOf(twilioSender().send({ to: '0401234567', body: 'hello' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ code: 'invalid_phone' });
    expect((error as Error).message).toContain('21211');
    expect((error as Error).message).not.toContain('0401234567');
    expect((error as Error).cause).toBeUndefined();
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
  });

  it('turns a 429 into TransientDeliveryError with retryAfterMs from Retry-After, and faults {} clears it', async () => {
    await setFaults(sandboxes.twilio.url, { status429: 1 });

    const error = await rejectionOf(twilioSender().send({ to: '+358401234567', body: 'hello' }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ retryAfterMs: 1000 });
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);

    await setFaults(sandboxes.twilio.url, {});
    const { providerId } = await twilioSender().send({ to: '+358401234567', body: 'hello' });
    expect((await recorded(sandboxes.twilio.url)).map((message) => message.id)).toEqual([providerId]);
  });

  it('turns a 500 and a held request (timeout) into TransientDeliveryError', async () => {
    await setFaults(sandboxes.twilio.url, { status500: 1 });
    expect(await rejectionOf(twilioSender().send({ to: '+358401234567', body: 'a' }))).toBeInstanceOf(
      TransientDeliveryError,
    );

    await setFaults(sandboxes.twilio.url, { timeout: 1 });
    const started = Date.now();
    const error = await rejectionOf(twilioSender(300).send({ to: '+358401234567', body: 'b' }));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
  });

  it('posts a delivered status callback whose X-Twilio-Signature twilio.validateRequest accepts', async () => {
    const { providerId } = await twilioSender().send({
      to: '+358401234567',
      body: 'hello',
      statusCallback: callbackUrl,
    });

    const callback = await callbackFor(providerId);

    expect(callback.url).toBe(callbackUrl);
    expect(callback.params).toMatchObject({
      MessageSid: providerId,
      MessageStatus: 'delivered',
      AccountSid: ACCOUNT_SID,
      To: '+358401234567',
      From: FROM,
    });
    expect(callback.params.ErrorCode).toBeUndefined();
    expect(callback.signature).toBeDefined();
    expect(twilio.validateRequest(AUTH_TOKEN, callback.signature ?? '', callback.url, callback.params)).toBe(
      true,
    );
    expect(
      twilio.validateRequest('another-token', callback.signature ?? '', callback.url, callback.params),
    ).toBe(false);
  });

  it('reports undelivered with ErrorCode 30003 for a number registered as undeliverable', async () => {
    const registered = await control(sandboxes.twilio.url, 'POST', '/__sandbox/undeliverable', {
      numbers: ['+358409999999'],
    });
    expect(registered.status).toBe(200);

    const undeliverable = await twilioSender().send({
      to: '+358409999999',
      body: 'x',
      statusCallback: callbackUrl,
    });
    const deliverable = await twilioSender().send({
      to: '+358401234567',
      body: 'y',
      statusCallback: callbackUrl,
    });

    const failed = await callbackFor(undeliverable.providerId);
    expect(failed.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(twilio.validateRequest(AUTH_TOKEN, failed.signature ?? '', failed.url, failed.params)).toBe(true);
    expect((await callbackFor(deliverable.providerId)).params.MessageStatus).toBe('delivered');
  });
});

describe('X posts through twitter-api-v2', () => {
  it('posts a tweet and a reply in its thread, recorded as the JSON bodies X receives', async () => {
    const first = unique('Storm warning for HEL');
    const second = unique('Update: departures resume at 14:00');

    const post = await xPoster().post({ text: first });
    const reply = await xPoster().post({ text: second, inReplyTo: post.providerId });

    expect(post.providerId).toMatch(/^\d{19}$/);
    expect(reply.providerId).not.toBe(post.providerId);
    const messages = await recorded(sandboxes.x.url);
    expect(messages.map((message) => message.id)).toEqual([post.providerId, reply.providerId]);
    expect(messages[0]?.request).toMatchObject({ method: 'POST', path: '/2/tweets', body: { text: first } });
    expect(messages[1]?.request.body).toEqual({
      text: second,
      reply: { in_reply_to_tweet_id: post.providerId },
    });
    expect(messages[0]?.request.headers.authorization).toBe('OAuth [redacted]');
  });

  it('turns duplicate content into PermanentDeliveryError duplicate', async () => {
    const text = unique('Same words twice');
    await xPoster().post({ text });

    const error = await rejectionOf(xPoster().post({ text }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ code: 'duplicate' });
    expect(await recorded(sandboxes.x.url)).toHaveLength(1);
  });

  it('turns a 429 into TransientDeliveryError with retryAfterMs from x-rate-limit-reset, and a 500 likewise', async () => {
    await setFaults(sandboxes.x.url, { status429: 1 });
    const limited = await rejectionOf(xPoster().post({ text: unique('limited') }));
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    const retryAfterMs = (limited as TransientDeliveryError).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(2_000);

    await setFaults(sandboxes.x.url, { status500: 1 });
    const failed = await rejectionOf(xPoster().post({ text: unique('failing') }));
    expect(failed).toBeInstanceOf(TransientDeliveryError);
    expect((failed as TransientDeliveryError).retryAfterMs).toBeUndefined();
    expect(await recorded(sandboxes.x.url)).toEqual([]);
  });
});

describe('Facebook Page posts through the Graph API', () => {
  it('posts to the page feed and continues the thread as a comment on that post', async () => {
    const first = unique('Storm warning for HEL');
    const second = unique('Update: departures resume');

    const post = await facebookPoster().post({ text: first });
    const reply = await facebookPoster().post({ text: second, inReplyTo: post.providerId });

    expect(post.providerId).toMatch(new RegExp(`^${PAGE_ID}_\\d+$`));
    const messages = await recorded(sandboxes.facebook.url);
    expect(messages.map((message) => message.id)).toEqual([post.providerId, reply.providerId]);
    expect(messages[0]?.request).toMatchObject({
      path: `/${GRAPH_VERSION}/${PAGE_ID}/feed`,
      body: { message: first, access_token: '[redacted]' },
    });
    expect(messages[1]?.request).toMatchObject({
      path: `/${GRAPH_VERSION}/${post.providerId}/comments`,
      body: { message: second },
    });
  });

  it('turns a 429 into TransientDeliveryError with retryAfterMs, and a timeout into TransientDeliveryError', async () => {
    await setFaults(sandboxes.facebook.url, { status429: 1 });
    const limited = await rejectionOf(facebookPoster().post({ text: unique('limited') }));
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    expect(limited).toMatchObject({ retryAfterMs: 1000 });

    await setFaults(sandboxes.facebook.url, { timeout: 1 });
    const held = await rejectionOf(facebookPoster(300).post({ text: unique('held') }));
    expect(held).toBeInstanceOf(TransientDeliveryError);
    expect(await recorded(sandboxes.facebook.url)).toEqual([]);
  });

  it('turns a reply to a post Graph does not know into PermanentDeliveryError', async () => {
    const error = await rejectionOf(facebookPoster().post({ text: unique('reply'), inReplyTo: '999_999' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ code: 'rejected' });
  });
});

describe('sandbox control endpoints', () => {
  it('draws the same faults for the same seed and records only the requests that were not faulted', async () => {
    async function run(): Promise<{ outcomes: string[]; ids: string[] }> {
      await setFaults(sandboxes.facebook.url, { status500: 0.5, seed: 42 });
      const outcomes: string[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        try {
          ids.push((await facebookPoster().post({ text: unique('seeded') })).providerId);
          outcomes.push('ok');
        } catch (error) {
          outcomes.push(error instanceof TransientDeliveryError ? 'transient' : 'other');
        }
      }
      return { outcomes, ids };
    }

    const first = await run();
    const firstRecorded = (await recorded(sandboxes.facebook.url)).map((message) => message.id);
    const second = await run();

    expect(first.outcomes).toContain('ok');
    expect(first.outcomes).toContain('transient');
    expect(first.outcomes).not.toContain('other');
    expect(second.outcomes).toEqual(first.outcomes);
    expect(firstRecorded).toEqual(first.ids);
  });

  it('answers bad JSON and invalid fault settings with a 400 problem+json', async () => {
    const badJson = await fetch(`${sandboxes.x.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status429": ',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('content-type')).toBe('application/problem+json');
    expect(await badJson.json()).toMatchObject({ status: 400, title: 'Bad Request' });

    const outOfRange = await control(sandboxes.x.url, 'POST', '/__sandbox/faults', { status429: 2 });
    expect(outOfRange.status).toBe(400);
    expect(await outOfRange.json()).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ path: 'status429' })]),
    });
  });
});
