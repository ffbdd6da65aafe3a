/**
 * The middy stack for Twilio's webhooks: the form body parsed, the X-Twilio-Signature checked
 * against the full public URL with the twilio library (403 otherwise), and a TwiML reply.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import twilio from 'twilio';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { errorResponse, HttpProblemError } from './problem.ts';

export interface TwilioRequest {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** When API Gateway received the request (ISO): Twilio's webhooks carry no time of their own. */
  receivedAt: string;
}

/** A TwiML response, with a reply message when there is one. */
function twiml(reply?: string): APIGatewayProxyStructuredResultV2 {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: response.toString() };
}

export function twilioWebhook(
  settings: () => Promise<{ authToken: string; publicApiUrl: string }>,
  action: (request: TwilioRequest) => Promise<string | undefined>,
) {
  return withLambdaDefaults<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .onError((request) => {
      request.response = errorResponse(request.error, { routeKey: request.event.routeKey });
    })
    .handler(async (event) => {
      const { authToken, publicApiUrl } = await settings();
      const raw = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      const params = Object.fromEntries(new URLSearchParams(raw));
      const url = `${publicApiUrl.replace(/\/$/, '')}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
      const signature = event.headers['x-twilio-signature'] ?? '';
      if (!twilio.validateRequest(authToken, signature, url, params)) {
        throw new HttpProblemError(403, 'Forbidden', 'The X-Twilio-Signature does not match this request.');
      }
      const receivedAt = new Date(event.requestContext.timeEpoch).toISOString();
      return twiml(await action({ params, query: event.queryStringParameters ?? {}, receivedAt }));
    });
}
