/**
 * The middy stack for Twilio's webhooks (middlewares.ts): the one problem+json error mapper, the
 * form body parsed and its X-Twilio-Signature checked; the handler's answer goes back as TwiML.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import twilio from 'twilio';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { problemResponses, providedBy, type TwilioContext, twilioSignature } from './middlewares.ts';

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
  return withLambdaDefaults<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, TwilioContext>()
    .use(problemResponses())
    .use(twilioSignature(settings))
    .handler(async (event, { params }) => {
      const receivedAt = new Date(event.requestContext.timeEpoch).toISOString();
      return twiml(
        await action({
          params: providedBy('twilioSignature', params),
          query: event.queryStringParameters ?? {},
          receivedAt,
        }),
      );
    });
}
