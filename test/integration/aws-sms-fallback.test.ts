/**
 * The fallback SMS provider end to end at the edge: Herald's adapter (the real
 * `@aws-sdk/client-pinpoint-sms-voice-v2` client) against the AWS End User Messaging SMS sandbox,
 * its delivery events published through SNS to a local topic as the real service's event
 * destination does; and the Twilio sandbox's 503 and refused-region answers as the Twilio adapter
 * classifies them for failover.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint } from '#infra/local/aws-endpoint.ts';
import { LocalQueue, LocalTopic } from '#infra/local/bus.ts';
import type { RunningSandbox } from '#infra/local/sandboxes/sandbox-server.ts';
import { startSmsVoiceSandbox } from '#infra/local/sandboxes/sms-voice-sandbox.ts';
import { startTwilioSandbox } from '#infra/local/sandboxes/twilio-sandbox.ts';
import { AwsSmsSender } from '#shared/adapters/aws-sms-sender.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio-sms-sender.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import { DESTINATION_NOT_PERMITTED, mayFailOver } from '#shared/domain/sms-routing.ts';

const CONFIGURATION_SET = 'herald-sms';
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'integration-twilio-auth-token';

let awsSms: RunningSandbox;
let twilioSandbox: RunningSandbox;
let endpoint: Awaited<ReturnType<typeof startAwsEndpoint>>;
let events: LocalQueue;
const received: Record<string, unknown>[] = [];
let phones = 0;

const uniquePhone = () => `+35850${String(++phones).padStart(7, '0')}`;

async function control(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const sender = (endpointUrl = awsSms.url) =>
  new AwsSmsSender({
    originationIdentity: 'pool-herald',
    configurationSetName: CONFIGURATION_SET,
    endpoint: endpointUrl,
    timeoutMs: 2_000,
  });

/** A server in front of the service answering every request alike, as a load balancer does when the service is down. */
async function answeringEveryRequest(status: number, contentType: string, body: string) {
  const server = createServer((_, response) =>
    response.writeHead(status, { 'content-type': contentType }).end(body),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The events published for one message, once `count` of them have arrived. */
async function eventsOf(messageId: string, count: number): Promise<Record<string, unknown>[]> {
  await expect.poll(() => received.filter((event) => event.messageId === messageId).length).toBe(count);
  return received.filter((event) => event.messageId === messageId);
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const topic = new LocalTopic('herald-sms-events');
  events = new LocalQueue(
    {
      name: 'herald-sms-events',
      batchSize: 10,
      visibilityTimeoutMs: 30_000,
      maxReceiveCount: 3,
      concurrency: 1,
    },
    async (event: SQSEvent) => {
      for (const record of event.Records) received.push(JSON.parse(record.body) as Record<string, unknown>);
      return undefined;
    },
    (error) => {
      throw error;
    },
  );
  topic.subscribe(events, {});
  endpoint = await startAwsEndpoint([topic], [events], {});
  awsSms = await startSmsVoiceSandbox({ port: 0 });
  await control(awsSms.url, '/__sandbox/event-destination', {
    configurationSetName: CONFIGURATION_SET,
    topicArn: topic.arn,
    snsEndpoint: endpoint.url,
  });
  twilioSandbox = await startTwilioSandbox({ port: 0, authToken: AUTH_TOKEN });
});

afterAll(async () => {
  await awsSms?.close();
  await twilioSandbox?.close();
  await events?.stop();
  await new Promise<void>((resolve) => endpoint?.server.close(() => resolve()));
});

describe('AWS End User Messaging SMS sandbox and adapter', () => {
  it('accepts a SendTextMessage from the SDK, records it per phone and streams pending then delivered with the context', async () => {
    const to = uniquePhone();
    const { providerId } = await sender().send(
      { to, body: 'Your flight AY123 is cancelled.' },
      { broadcastId: 'b1', customerId: 'c1' },
    );

    const recorded = (await (await fetch(`${awsSms.url}/__sandbox/messages`)).json()) as {
      id: string;
      request: { headers: Record<string, string>; body: Record<string, unknown> };
    }[];
    const mine = recorded.filter((message) => message.request.body.DestinationPhoneNumber === to);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.id).toBe(providerId);
    expect(mine[0]?.request.headers['x-amz-target']).toBe('PinpointSMSVoiceV2.SendTextMessage');
    expect(mine[0]?.request.body).toMatchObject({
      OriginationIdentity: 'pool-herald',
      MessageBody: 'Your flight AY123 is cancelled.',
      ConfigurationSetName: CONFIGURATION_SET,
    });

    const [pending, delivered] = await eventsOf(providerId, 2);
    expect(pending).toMatchObject({ eventType: 'TEXT_PENDING', isFinal: false, destinationPhoneNumber: to });
    expect(delivered).toMatchObject({
      eventType: 'TEXT_DELIVERED',
      isFinal: true,
      context: { broadcastId: 'b1', customerId: 'c1' },
    });
  });

  it('streams TEXT_UNREACHABLE for a number the sandbox cannot deliver to', async () => {
    const to = uniquePhone();
    await control(awsSms.url, '/__sandbox/undeliverable', { numbers: [to] });
    const { providerId } = await sender().send(
      { to, body: 'Unreachable' },
      { broadcastId: 'b1', customerId: 'c2' },
    );

    const [, final] = await eventsOf(providerId, 2);
    expect(final).toMatchObject({
      eventType: 'TEXT_UNREACHABLE',
      isFinal: true,
      messageStatus: 'UNREACHABLE',
    });
  });

  it('maps its faults: throttling is not accepted, an internal error or an untyped 5xx may have been, a bad number is refused', async () => {
    const context = { broadcastId: 'b1', customerId: 'c3' };
    await control(awsSms.url, '/__sandbox/faults', { status429: 1 });
    const throttled = await sender()
      .send({ to: uniquePhone(), body: 'x' }, context)
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(TransientDeliveryError);
    expect(mayFailOver(throttled)).toBe(true);

    await control(awsSms.url, '/__sandbox/faults', { status500: 1 });
    const failed = await sender()
      .send({ to: uniquePhone(), body: 'x' }, context)
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ name: 'TransientDeliveryError', mayHaveBeenAccepted: true });

    // A type the SDK does not model, and no body at all (a load balancer's 503).
    for (const body of ['{"__type":"ServiceUnavailableException","message":"Service unavailable"}', '']) {
      const gateway = await answeringEveryRequest(503, 'application/x-amz-json-1.0', body);
      const unavailable = await sender(gateway.url)
        .send({ to: uniquePhone(), body: 'x' }, context)
        .catch((error: unknown) => error)
        .finally(() => gateway.close());
      expect(unavailable).toMatchObject({ name: 'TransientDeliveryError', mayHaveBeenAccepted: true });
    }

    await control(awsSms.url, '/__sandbox/faults', {});
    const invalid = await sender()
      .send({ to: '0401234567', body: 'x' }, context)
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(PermanentDeliveryError);
  });
});

describe('Twilio sandbox answers that let a record fail over', () => {
  const twilioSender = () =>
    new TwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+15005550006',
      apiBaseUrl: twilioSandbox.url,
    });

  it('a 503 for everything is a transient failure Twilio answered, so the record may move', async () => {
    await control(twilioSandbox.url, '/__sandbox/faults', { status503: 1 });
    const error = await twilioSender()
      .send({ to: uniquePhone(), body: 'x' })
      .catch((caught: unknown) => caught);
    await control(twilioSandbox.url, '/__sandbox/faults', {});

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as Error).message).toContain('HTTP 503');
    expect(mayFailOver(error)).toBe(true);
  });

  it('a region Twilio may not send to is refused with 21408, which moves the record', async () => {
    await control(twilioSandbox.url, '/__sandbox/refused-prefixes', { prefixes: ['+7'] });
    const error = await twilioSender()
      .send({ to: '+79161234567', body: 'x' })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'PermanentDeliveryError', code: DESTINATION_NOT_PERMITTED });
    expect((error as Error).message).toContain('21408');
    expect(mayFailOver(error)).toBe(true);
    await expect(twilioSender().send({ to: uniquePhone(), body: 'x' })).resolves.toHaveProperty('providerId');
  });
});
