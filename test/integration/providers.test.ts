/**
 * The three provider adapters end to end through the real SDKs (twilio, twitter-api-v2, fetch)
 * against the local sandboxes, plus the sandboxes' own control endpoints, their list endpoints
 * (what reconciliation reads), Twilio's Message fetch (what receipt reconciliation reads), the lostReply fault and the standalone sandbox process.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/sandboxes/credentials.ts';
import { type RecordedMessage, type Sandboxes, startSandboxes } from '#infra/local/sandboxes/index.ts';
import { FacebookPoster } from '#shared/adapters/facebook-poster.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio-sms-sender.ts';
import { XPoster } from '#shared/adapters/x-poster.ts';
import { deliveryProblem } from '#shared/domain/delivery-problems.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import { startSandboxProcess, stopSandboxProcess } from '#test/support/sandbox-process.ts';

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

/**
 * A number no other test texts: the Twilio sandbox's Message list keeps every message since it
 * started, so reconciliation tests look at numbers of their own.
 */
function uniquePhone(): string {
  uniqueness += 1;
  return `+35850${String(uniqueness).padStart(7, '0')}`;
}

/** Waits for the next whole second: what was sent before it has an earlier (floored) creation time. */
async function nextWholeSecond(): Promise<Date> {
  await sleep(1000 - (Date.now() % 1000) + 20);
  return new Date();
}

/** A port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listTwilioMessages(query: string): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${sandboxes.twilio.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?${query}`,
    { headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` } },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
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

function twilioSender(timeoutMs?: number, apiBaseUrl = sandboxes.twilio.url): TwilioSmsSender {
  return new TwilioSmsSender({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    apiBaseUrl,
    timeoutMs,
  });
}

function xPoster(timeoutMs?: number, apiBaseUrl = sandboxes.x.url): XPoster {
  return new XPoster({
    appKey: 'test-app-key',
    appSecret: 'test-app-secret',
    accessToken: 'test-access-token',
    accessSecret: 'test-access-secret',
    apiBaseUrl,
    timeoutMs,
  });
}

function facebookPoster(timeoutMs?: number, graphBaseUrl = sandboxes.facebook.url): FacebookPoster {
  return new FacebookPoster({
    pageId: PAGE_ID,
    pageToken: 'test-page-token',
    graphBaseUrl,
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

  it("sends from the message's own sender, an alphanumeric ID or a Messaging Service, and findSent finds a send whatever sender it went from", async () => {
    const to = uniquePhone();
    const serviceSid = `MG${'fedcba9876543210'.repeat(2)}`;
    const since = new Date(Date.now() - 1000);

    const byId = await twilioSender().send({ to, body: 'Gate change', sender: { from: 'HERALD' } });
    const byService = await twilioSender().send({
      to,
      body: 'Gate change again',
      sender: { messagingServiceSid: serviceSid },
    });

    const bodies = (await recorded(sandboxes.twilio.url)).map((message) => message.request.body);
    expect(bodies).toEqual([
      expect.objectContaining({ From: 'HERALD', Body: 'Gate change' }),
      expect.objectContaining({ MessagingServiceSid: serviceSid, Body: 'Gate change again' }),
    ]);
    expect(bodies[1]).not.toHaveProperty('From');
    // A sender whose default is another number still finds both: the pool may have changed since.
    expect(await twilioSender().findSent({ to, body: 'Gate change', since })).toEqual([byId.providerId]);
    expect(await twilioSender().findSent({ to, body: 'Gate change again', since })).toEqual([
      byService.providerId,
    ]);
  });

  it.each([
    [{ from: 'HERALD AIRLINES' }, '21212'],
    [{ from: '12345678901' }, '21212'],
    [{ messagingServiceSid: 'MG123' }, '21705'],
  ])('refuses a sender Twilio would refuse (%j): error %s, nothing recorded', async (sender, code) => {
    const error = await rejectionOf(twilioSender().send({ to: '+358401234567', body: 'hello', sender }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toContain(code);
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
  });

  it('turns an invalid number into PermanentDeliveryError invalid_phone, without the number in the message', async () => {
    const error = await rejectionOf(twilioSender().send({ to: '0401234567', body: 'hello' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ code: 'invalid_phone' });
    expect((error as Error).message).toContain('21211');
    // What the record keeps reads back as Twilio's code and a reason (delivery listings, lookups).
    expect(
      deliveryProblem({ channel: 'sms', status: 'failed', lastError: (error as Error).message }),
    ).toEqual({
      code: '21211',
      reason: expect.stringMatching(/^Invalid phone number/),
    });
    expect((error as Error).message).not.toContain('0401234567');
    expect((error as Error).cause).toBeUndefined();
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
  });

  it('turns a 429 into TransientDeliveryError with retryAfterMs from Retry-After, and faults {} clears it', async () => {
    await setFaults(sandboxes.twilio.url, { status429: 1 });

    const error = await rejectionOf(twilioSender().send({ to: '+358401234567', body: 'hello' }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ retryAfterMs: 1000, mayHaveBeenAccepted: false });
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);

    await setFaults(sandboxes.twilio.url, {});
    const { providerId } = await twilioSender().send({ to: '+358401234567', body: 'hello' });
    expect((await recorded(sandboxes.twilio.url)).map((message) => message.id)).toEqual([providerId]);
  });

  it('turns a 500 into TransientDeliveryError that was not accepted, and a held request (timeout) into one that may have been', async () => {
    await setFaults(sandboxes.twilio.url, { status500: 1 });
    const failed = await rejectionOf(twilioSender().send({ to: '+358401234567', body: 'a' }));
    expect(failed).toBeInstanceOf(TransientDeliveryError);
    expect(failed).toMatchObject({ mayHaveBeenAccepted: false });

    await setFaults(sandboxes.twilio.url, { timeout: 1 });
    const started = Date.now();
    const error = await rejectionOf(twilioSender(300).send({ to: '+358401234567', body: 'b' }));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
  });

  it('turns a refused connection into TransientDeliveryError that was not accepted', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;

    const error = await rejectionOf(twilioSender(1_000, down).send({ to: '+358401234567', body: 'c' }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: false });
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
    expect(deliveryProblem({ channel: 'x', status: 'failed', lastError: (error as Error).message })).toEqual({
      code: '403',
      reason: expect.stringMatching(/^Duplicate post/),
    });
    expect(await recorded(sandboxes.x.url)).toHaveLength(1);
  });

  it('turns a 429 into TransientDeliveryError with retryAfterMs from x-rate-limit-reset, and a 500 likewise', async () => {
    await setFaults(sandboxes.x.url, { status429: 1 });
    const limited = await rejectionOf(xPoster().post({ text: unique('limited') }));
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    expect(limited).toMatchObject({ mayHaveBeenAccepted: false });
    const retryAfterMs = (limited as TransientDeliveryError).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(2_000);

    await setFaults(sandboxes.x.url, { status500: 1 });
    const failed = await rejectionOf(xPoster().post({ text: unique('failing') }));
    expect(failed).toBeInstanceOf(TransientDeliveryError);
    expect(failed).toMatchObject({ retryAfterMs: undefined, mayHaveBeenAccepted: false });
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

  it('turns a 429 into TransientDeliveryError with retryAfterMs, not accepted, and a timeout into one that may have been', async () => {
    await setFaults(sandboxes.facebook.url, { status429: 1 });
    const limited = await rejectionOf(facebookPoster().post({ text: unique('limited') }));
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    expect(limited).toMatchObject({ retryAfterMs: 1000, mayHaveBeenAccepted: false });

    await setFaults(sandboxes.facebook.url, { timeout: 1 });
    const held = await rejectionOf(facebookPoster(300).post({ text: unique('held') }));
    expect(held).toBeInstanceOf(TransientDeliveryError);
    expect(held).toMatchObject({ mayHaveBeenAccepted: true });
    expect(await recorded(sandboxes.facebook.url)).toEqual([]);
  });

  it('turns a reply to a post Graph does not know into PermanentDeliveryError', async () => {
    const error = await rejectionOf(facebookPoster().post({ text: unique('reply'), inReplyTo: '999_999' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ code: 'rejected' });
  });
});

describe('Twilio reconciliation: findSent and the Message list', () => {
  it('finds the message sent to that number with that body since the given time, and nothing else', async () => {
    const to = uniquePhone();
    const other = uniquePhone();
    const body = unique('Flight AY123 is cancelled');
    const earlier = await twilioSender().send({ to, body });
    const since = await nextWholeSecond();

    const sent = await twilioSender().send({ to, body });
    await twilioSender().send({ to, body: `${body} (rebooked)` });
    await twilioSender().send({ to: other, body });

    expect(await twilioSender().findSent({ to, body, since })).toEqual([sent.providerId]);
    expect(await twilioSender().findSent({ to, body, since: new Date(since.getTime() - 60_000) })).toEqual([
      sent.providerId,
      earlier.providerId,
    ]);
    expect(await twilioSender().findSent({ to: uniquePhone(), body, since })).toEqual([]);
  });

  it('counts a message created earlier in the same second as since (Twilio dates have whole seconds)', async () => {
    const to = uniquePhone();
    const body = unique('Gate change');
    const start = await nextWholeSecond();

    const { providerId } = await twilioSender().send({ to, body });

    // The claim was recorded a moment after the provider had already created the message.
    const since = new Date(Math.max(Date.now(), start.getTime() + 500));
    expect(since.getTime() - (since.getTime() % 1000)).toBe(start.getTime() - (start.getTime() % 1000));
    expect(await twilioSender().findSent({ to, body, since })).toEqual([providerId]);
  });

  it('pages past the page size, newest first', async () => {
    const to = uniquePhone();
    const body = unique('Storm update');
    const since = new Date(Date.now() - 1_000);
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) ids.push((await twilioSender().send({ to, body })).providerId);

    expect(await twilioSender().findSent({ to, body, since })).toEqual(ids.reverse());
  });

  it('lists with PageSize, next_page_uri and the DateSent filters as Twilio does', async () => {
    const to = uniquePhone();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await twilioSender().send({ to, body: unique('listed') })).providerId);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    const first = await listTwilioMessages(`To=${encodeURIComponent(to)}&PageSize=2`);
    expect(first).toMatchObject({ page: 0, page_size: 2, start: 0, end: 1, previous_page_uri: null });
    const firstSids = (first.messages as { sid: string }[]).map((message) => message.sid);
    expect(firstSids).toEqual([ids[4], ids[3]]);
    expect(first.next_page_uri).toEqual(expect.stringContaining('PageToken='));
    const second = await fetch(`${sandboxes.twilio.url}${first.next_page_uri as string}`, {
      headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
    });
    const secondPage = (await second.json()) as {
      page: number;
      messages: { sid: string; date_sent: string }[];
    };
    expect(secondPage.page).toBe(1);
    expect(secondPage.messages.map((message) => message.sid)).toEqual([ids[2], ids[1]]);
    expect(secondPage.messages[0]?.date_sent).toEqual(expect.stringMatching(/\+0000$/));

    const sentToday = await listTwilioMessages(`To=${encodeURIComponent(to)}&DateSent=${today}`);
    expect(sentToday.messages).toHaveLength(5);
    const onOrAfterTomorrow = await listTwilioMessages(
      `To=${encodeURIComponent(to)}&${encodeURIComponent('DateSent>')}=${tomorrow}`,
    );
    expect(onOrAfterTomorrow.messages).toEqual([]);
    const onOrBeforeYesterday = await listTwilioMessages(
      `To=${encodeURIComponent(to)}&${encodeURIComponent('DateSent<')}=${yesterday}T23:59:59Z`,
    );
    expect(onOrBeforeYesterday.messages).toEqual([]);
  });

  it('keeps listing what it accepted after DELETE /__sandbox/messages clears the test log', async () => {
    const to = uniquePhone();
    const body = unique('Kept');
    const since = new Date(Date.now() - 1_000);
    const { providerId } = await twilioSender().send({ to, body });

    expect((await control(sandboxes.twilio.url, 'DELETE', '/__sandbox/messages')).status).toBe(204);

    expect(await recorded(sandboxes.twilio.url)).toEqual([]);
    expect(await twilioSender().findSent({ to, body, since })).toEqual([providerId]);
  });

  it('after a lostReply fault the send fails as maybe accepted, yet Twilio has the message: findSent returns its SID', async () => {
    const to = uniquePhone();
    const body = unique('Accepted but unanswered');
    const since = new Date();
    await setFaults(sandboxes.twilio.url, { lostReply: 1 });

    const error = await rejectionOf(twilioSender(300).send({ to, body, statusCallback: callbackUrl }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    await setFaults(sandboxes.twilio.url, {});
    const messages = await recorded(sandboxes.twilio.url);
    expect(messages).toHaveLength(1);
    const sid = messages[0]?.id ?? '';
    expect(await twilioSender().findSent({ to, body, since })).toEqual([sid]);
    expect((await callbackFor(sid)).params.MessageStatus).toBe('delivered');
  });

  it('after a timeout fault the send fails as maybe accepted, and findSent finds nothing: it never arrived', async () => {
    const to = uniquePhone();
    const body = unique('Never arrived');
    const since = new Date();
    await setFaults(sandboxes.twilio.url, { timeout: 1 });

    const error = await rejectionOf(twilioSender(300).send({ to, body }));

    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    await setFaults(sandboxes.twilio.url, {});
    expect(await twilioSender().findSent({ to, body, since })).toEqual([]);
  });

  it('turns a list the provider cannot answer (500) into TransientDeliveryError', async () => {
    await setFaults(sandboxes.twilio.url, { status500: 1 });

    const error = await rejectionOf(
      twilioSender().findSent({ to: uniquePhone(), body: 'x', since: new Date() }),
    );

    expect(error).toBeInstanceOf(TransientDeliveryError);
  });

  it('retries a status callback while its receiver is down, and delivers it once the receiver is up', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/twilio/status`;
    const { providerId } = await twilioSender().send({
      to: uniquePhone(),
      body: 'retried',
      statusCallback: url,
    });
    await sleep(2_500);

    const received: { params: Record<string, string>; headers: IncomingHttpHeaders }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          params: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    try {
      const deadline = Date.now() + 15_000;
      while (received.length === 0 && Date.now() < deadline) await sleep(50);

      expect(received).toHaveLength(1);
      expect(received[0]?.params).toMatchObject({ MessageSid: providerId, MessageStatus: 'delivered' });
      expect(received[0]?.headers['i-twilio-idempotency-token']).toBeDefined();
      const signature = received[0]?.headers['x-twilio-signature'];
      expect(
        twilio.validateRequest(
          AUTH_TOKEN,
          typeof signature === 'string' ? signature : '',
          url,
          received[0]?.params ?? {},
        ),
      ).toBe(true);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('Twilio receipt reconciliation: messageState and the Message fetch', () => {
  it("reads a message's final status and error code, as its status callback would have said", async () => {
    const undeliverable = uniquePhone();
    await control(sandboxes.twilio.url, 'POST', '/__sandbox/undeliverable', { numbers: [undeliverable] });

    const delivered = await twilioSender().send({ to: uniquePhone(), body: 'x' });
    const failed = await twilioSender().send({ to: undeliverable, body: 'y' });

    expect(await twilioSender().messageState(delivered.providerId)).toEqual({ status: 'delivered' });
    expect(await twilioSender().messageState(failed.providerId)).toEqual({
      status: 'undelivered',
      errorCode: '30003',
    });
  });

  it("answers a SID it does not hold with Twilio's 404 and error 20404, which messageState reads as no message", async () => {
    const sid = `SM${'0'.repeat(32)}`;
    const response = await fetch(
      `${sandboxes.twilio.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
      },
    );

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404, status: 404 });
    expect(await twilioSender().messageState(sid)).toBeUndefined();
  });

  it('turns a fetch Twilio cannot answer (503) into TransientDeliveryError, and bad credentials into PermanentDeliveryError', async () => {
    const { providerId } = await twilioSender().send({ to: uniquePhone(), body: 'x' });
    await setFaults(sandboxes.twilio.url, { status503: 1 });
    expect(await rejectionOf(twilioSender().messageState(providerId))).toBeInstanceOf(TransientDeliveryError);
    await setFaults(sandboxes.twilio.url, {});

    const stranger = new TwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: 'not-the-token',
      from: FROM,
      apiBaseUrl: sandboxes.twilio.url,
    });
    expect(await rejectionOf(stranger.messageState(providerId))).toBeInstanceOf(PermanentDeliveryError);
  });

  it('posts no status callback for a number in callbacks-lost, while the fetch still tells its status', async () => {
    const lost = uniquePhone();
    await control(sandboxes.twilio.url, 'POST', '/__sandbox/callbacks-lost', { numbers: [lost] });
    const silent = await twilioSender().send({ to: lost, body: 'x', statusCallback: callbackUrl });
    const heard = await twilioSender().send({ to: uniquePhone(), body: 'y', statusCallback: callbackUrl });

    await callbackFor(heard.providerId);
    expect(callbacks.some((callback) => callback.params.MessageSid === silent.providerId)).toBe(false);
    expect(await twilioSender().messageState(silent.providerId)).toEqual({ status: 'delivered' });
    await control(sandboxes.twilio.url, 'POST', '/__sandbox/callbacks-lost', { numbers: [] });
  });
});

describe('X reconciliation: findPosted on the account timeline', () => {
  it('finds a post and a reply in its thread by exact text since the given time, and nothing else', async () => {
    const before = unique('Posted before');
    await xPoster().post({ text: before });
    const since = await nextWholeSecond();
    const first = unique('Storm warning for HEL');
    const second = unique('Departures resume at 14:00');
    const post = await xPoster().post({ text: first });
    const reply = await xPoster().post({ text: second, inReplyTo: post.providerId });
    const elsewhere = await xPoster().post({ text: unique('Another thread') });

    expect(await xPoster().findPosted({ text: first, since })).toEqual([post.providerId]);
    expect(await xPoster().findPosted({ text: second, inReplyTo: post.providerId, since })).toEqual([
      reply.providerId,
    ]);
    expect(await xPoster().findPosted({ text: second, inReplyTo: elsewhere.providerId, since })).toEqual([]);
    expect(await xPoster().findPosted({ text: `${first}!`, since })).toEqual([]);
    expect(await xPoster().findPosted({ text: before, since })).toEqual([]);
  });

  it('matches a post whose links X gave back as t.co links and whose & X escaped', async () => {
    const text = unique(
      'Delays & cancellations: https://status.example.com/incidents/42 and finnair.com <today>',
    );
    const since = new Date(Date.now() - 1_000);

    const { providerId } = await xPoster().post({ text });

    expect(await xPoster().findPosted({ text, since })).toEqual([providerId]);
  });

  it('reads past the first timeline page of 100 posts', async () => {
    const since = new Date(Date.now() - 1_000);
    const oldest = unique('First of many');
    const { providerId } = await xPoster().post({ text: oldest });
    for (let i = 0; i < 105; i++) await xPoster().post({ text: unique('filler') });

    expect(await xPoster().findPosted({ text: oldest, since })).toEqual([providerId]);
  });

  it('after a lostReply fault the post fails as maybe accepted; findPosted returns it, where posting again is refused as duplicate', async () => {
    const text = unique('Accepted but unanswered');
    const since = new Date();
    await setFaults(sandboxes.x.url, { lostReply: 1 });

    const error = await rejectionOf(xPoster(300).post({ text }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    await setFaults(sandboxes.x.url, {});
    const ids = (await recorded(sandboxes.x.url)).map((message) => message.id);
    expect(ids).toHaveLength(1);
    expect(await xPoster().findPosted({ text, since })).toEqual(ids);
    expect(await rejectionOf(xPoster().post({ text }))).toMatchObject({ code: 'duplicate' });
  });

  it('after a timeout fault the post fails as maybe accepted, and findPosted finds nothing', async () => {
    const text = unique('Never arrived');
    const since = new Date();
    await setFaults(sandboxes.x.url, { timeout: 1 });

    const error = await rejectionOf(xPoster(300).post({ text }));

    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    await setFaults(sandboxes.x.url, {});
    expect(await xPoster().findPosted({ text, since })).toEqual([]);
  });

  it('turns a refused connection into TransientDeliveryError that was not accepted', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;

    const error = await rejectionOf(xPoster(1_000, down).post({ text: unique('refused') }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: false });
  });
});

describe('Facebook reconciliation: findPosted on the feed and on comments', () => {
  it('finds a feed post by exact message since the given time, and nothing else', async () => {
    const before = unique('Posted before');
    await facebookPoster().post({ text: before });
    const since = await nextWholeSecond();
    const text = unique('Storm warning for HEL');
    const post = await facebookPoster().post({ text });
    await facebookPoster().post({ text: `${text} (updated)` });

    expect(await facebookPoster().findPosted({ text, since })).toEqual([post.providerId]);
    expect(await facebookPoster().findPosted({ text: before, since })).toEqual([]);
  });

  it('finds a comment in the thread it continues, newest first, past the first page of 100', async () => {
    const since = new Date(Date.now() - 1_000);
    const thread = await facebookPoster().post({ text: unique('Thread') });
    const otherThread = await facebookPoster().post({ text: unique('Other thread') });
    const text = unique('Update: departures resume');
    const comment = await facebookPoster().post({ text, inReplyTo: thread.providerId });
    for (let i = 0; i < 101; i++)
      await facebookPoster().post({ text: 'filler', inReplyTo: thread.providerId });
    const again = await facebookPoster().post({ text, inReplyTo: thread.providerId });
    await facebookPoster().post({ text, inReplyTo: otherThread.providerId });

    expect(await facebookPoster().findPosted({ text, inReplyTo: thread.providerId, since })).toEqual([
      again.providerId,
      comment.providerId,
    ]);
  });

  it('after a lostReply fault the post fails as maybe accepted, and findPosted returns it', async () => {
    const text = unique('Accepted but unanswered');
    const since = new Date();
    await setFaults(sandboxes.facebook.url, { lostReply: 1 });

    const error = await rejectionOf(facebookPoster(300).post({ text }));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ mayHaveBeenAccepted: true });
    await setFaults(sandboxes.facebook.url, {});
    const ids = (await recorded(sandboxes.facebook.url)).map((message) => message.id);
    expect(ids).toHaveLength(1);
    expect(await facebookPoster().findPosted({ text, since })).toEqual(ids);
  });

  it('after a timeout fault findPosted finds nothing, and a refused connection was not accepted', async () => {
    const text = unique('Never arrived');
    const since = new Date();
    await setFaults(sandboxes.facebook.url, { timeout: 1 });
    await rejectionOf(facebookPoster(300).post({ text }));
    await setFaults(sandboxes.facebook.url, {});

    expect(await facebookPoster().findPosted({ text, since })).toEqual([]);
    const down = `http://127.0.0.1:${await closedPort()}`;
    const refused = await rejectionOf(facebookPoster(1_000, down).post({ text }));
    expect(refused).toBeInstanceOf(TransientDeliveryError);
    expect(refused).toMatchObject({ mayHaveBeenAccepted: false });
  });

  it('answers the list endpoints with only the fields asked for and a next link while more remain', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const first = await facebookPoster().post({ text: unique('listed one') });
    const second = await facebookPoster().post({ text: unique('listed two') });

    const response = await fetch(
      `${sandboxes.facebook.url}/${GRAPH_VERSION}/${PAGE_ID}/feed?fields=id,created_time&since=${since}&limit=1`,
      { headers: { authorization: 'Bearer test-page-token' } },
    );
    const page = (await response.json()) as {
      data: Record<string, string>[];
      paging: { cursors: { after: string }; next?: string };
    };

    expect(response.status).toBe(200);
    expect(page.data).toEqual([
      {
        id: second.providerId,
        created_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/),
      },
    ]);
    expect(page.paging.next).toEqual(expect.stringContaining(`after=${page.paging.cursors.after}`));
    const next = (await (
      await fetch(page.paging.next ?? '', { headers: { authorization: 'Bearer t' } })
    ).json()) as {
      data: { id: string }[];
    };
    expect(next.data.map((item) => item.id)).toEqual([first.providerId]);
  });
});

describe('the sandboxes in a process of their own', () => {
  it('serves the three sandboxes on the printed URLs with the local Twilio credentials, and stops cleanly on SIGTERM', async () => {
    const standalone = await startSandboxProcess();
    try {
      for (const url of [standalone.twilioUrl, standalone.xUrl, standalone.facebookUrl]) {
        expect((await fetch(`${url}/__sandbox/messages`)).status).toBe(200);
      }
      const sender = new TwilioSmsSender({
        accountSid: LOCAL_TWILIO_ACCOUNT_SID,
        authToken: LOCAL_TWILIO_AUTH_TOKEN,
        from: FROM,
        apiBaseUrl: standalone.twilioUrl,
      });
      const since = new Date();
      const { providerId } = await sender.send({ to: '+358401234567', body: 'hello' });
      expect(await sender.findSent({ to: '+358401234567', body: 'hello', since })).toEqual([providerId]);
    } finally {
      expect(await stopSandboxProcess(standalone)).toBe(0);
    }
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
