import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import { twilioWebhook } from '#shared/http/twilio-webhook.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

const AUTH_TOKEN = 'twilio-auth-token';
const PUBLIC_API_URL = 'https://api.herald.example';
const settings = async () => ({ authToken: AUTH_TOKEN, publicApiUrl: PUBLIC_API_URL });

/** An inbound-SMS webhook as API Gateway passes it, signed as Twilio signs it. */
function signedEvent(params: Record<string, string>): APIGatewayProxyEventV2 {
  const rawPath = '/webhooks/twilio/inbound';
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_API_URL}${rawPath}`, params);
  return {
    routeKey: `POST ${rawPath}`,
    rawPath,
    rawQueryString: '',
    headers: { 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
    isBase64Encoded: false,
    requestContext: { timeEpoch: Date.now() },
  } as unknown as APIGatewayProxyEventV2;
}

beforeEach(() => {
  captureJsonLines();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('twilioWebhook TwiML', () => {
  it('answers a reply as one escaped <Message> in a TwiML response', async () => {
    const handler = twilioWebhook(settings, async () => 'Reply STOP <to> opt out & "HELP" for help');

    const response = await handler(
      signedEvent({ MessageSid: 'SM1', Body: 'HELP' }),
      lambdaContext('inbound', 5_000),
    );

    expect(response).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/xml' } });
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Reply STOP &lt;to&gt; opt out &amp; "HELP" for help</Message></Response>',
    );
  });

  it('answers no reply as an empty TwiML response, so Twilio sends nothing', async () => {
    const handler = twilioWebhook(settings, async () => undefined);

    const response = await handler(signedEvent({ MessageSid: 'SM2' }), lambdaContext('status', 5_000));

    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('refuses a request whose signature does not match with a 403 problem', async () => {
    const handler = twilioWebhook(settings, async () => 'never');
    const event = signedEvent({ MessageSid: 'SM3' });

    const response = await handler({ ...event, body: 'MessageSid=SM4' }, lambdaContext('inbound', 5_000));

    expect(response.statusCode).toBe(403);
  });
});
