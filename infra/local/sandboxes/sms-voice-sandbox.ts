/**
 * AWS End User Messaging SMS (`pinpoint-sms-voice-v2`) as its SDK sees it: the AWS JSON 1.0
 * protocol, `POST /` with `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage`, a SigV4
 * Authorization header, `{ MessageId }` back, and errors as `{ __type, message, Reason }` (400 for
 * a client fault, 500 for `InternalServerException`).
 *
 * Delivery events go where the real service sends them: to the SNS topic of the event destination
 * of the message's configuration set (`ConfigurationSetName`), one SNS Publish per event whose
 * Message is the event JSON (`eventType`, `messageId`, `destinationPhoneNumber`, `messageStatus`,
 * `isFinal`, the request's `context`…): `TEXT_PENDING`, then `TEXT_DELIVERED`, or
 * `TEXT_UNREACHABLE` for a number in `POST /__sandbox/undeliverable`. The sandbox starts before
 * the local AWS endpoint, so the destination is set afterwards with `POST /__sandbox/event-destination`
 * `{ configurationSetName, topicArn, snsEndpoint }` (CreateEventDestination's SnsDestination, plus
 * the endpoint the region would give). A Publish that fails is retried by the SNS SDK, then dropped:
 * the real service's events are best effort too.
 *
 * There is no API to list sent messages (the real service has none): `GET /__sandbox/messages`
 * is the test's view, each entry's `request.body` the parsed SendTextMessage input.
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { fieldErrorsFromZod } from '#shared/http/problem.ts';
import {
  E164,
  problem,
  type RunningSandbox,
  type SandboxReply,
  startSandboxServer,
  undeliverableRoute,
} from './sandbox-server.ts';

export interface SmsVoiceSandboxOptions {
  /** 0 picks a free port. */
  port: number;
}

const TARGET_PREFIX = 'PinpointSMSVoiceV2.';
/** The service's limit on one message's body, in characters. */
const MAX_BODY_LENGTH = 1600;
const JSON_1_0 = 'application/x-amz-json-1.0';

const sendTextMessageSchema = z.object({
  DestinationPhoneNumber: z.string(),
  OriginationIdentity: z.string().min(1).optional(),
  MessageBody: z.string().optional(),
  MessageType: z.enum(['TRANSACTIONAL', 'PROMOTIONAL']).optional(),
  ConfigurationSetName: z.string().min(1).optional(),
  Context: z.record(z.string(), z.string()).optional(),
});

const eventDestinationSchema = z.strictObject({
  configurationSetName: z.string().min(1),
  topicArn: z.string().min(1),
  snsEndpoint: z.url(),
});

type EventDestination = z.infer<typeof eventDestinationSchema> & { sns: SNSClient };

/** An AWS JSON 1.0 error as the SDK parses it (the type from `__type`, the fields beside it). */
function awsError(
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
): SandboxReply {
  return {
    status,
    headers: { 'content-type': JSON_1_0, 'x-amzn-errortype': type },
    body: { __type: type, message, ...extra },
  };
}

function validation(reason: string, message: string): SandboxReply {
  return awsError(400, 'ValidationException', message, { Reason: reason });
}

/** One SMS event as the service streams it (see the file header). */
function smsEvent(
  eventType: string,
  messageStatus: string,
  isFinal: boolean,
  message: { id: string; requestedAt: number; input: z.infer<typeof sendTextMessageSchema> },
) {
  return {
    eventType,
    eventVersion: '1.0',
    eventTimestamp: Date.now(),
    isFinal,
    originationPhoneNumber: message.input.OriginationIdentity ?? '+15005550199',
    destinationPhoneNumber: message.input.DestinationPhoneNumber,
    isInternationalSend: false,
    messageId: message.id,
    messageRequestTimestamp: message.requestedAt,
    messageEncoding: 'GSM',
    messageType: message.input.MessageType ?? 'TRANSACTIONAL',
    messageStatus,
    messageStatusDescription:
      messageStatus === 'DELIVERED' ? 'Message has been accepted by phone' : messageStatus,
    context: message.input.Context ?? {},
    totalMessageParts: 1,
  };
}

/** Starts the sandbox; see the file header for its control endpoints. */
export function startSmsVoiceSandbox(options: SmsVoiceSandboxOptions): Promise<RunningSandbox> {
  const undeliverable = new Set<string>();
  const destinations = new Map<string, EventDestination>();
  const publishing = new Set<Promise<unknown>>();

  function emit(destination: EventDestination | undefined, events: object[]): void {
    if (!destination) return;
    // In order, as the carrier reports them: pending before the final status.
    const done = (async () => {
      for (const event of events) {
        await destination.sns
          .send(new PublishCommand({ TopicArn: destination.topicArn, Message: JSON.stringify(event) }))
          .catch(() => undefined);
      }
    })();
    publishing.add(done);
    void done.finally(() => publishing.delete(done));
  }

  function sendTextMessage(authorization: string | undefined, body: unknown): SandboxReply {
    if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
      return awsError(400, 'AccessDeniedException', 'Missing or malformed SigV4 Authorization header');
    }
    const parsed = sendTextMessageSchema.safeParse(body);
    if (!parsed.success) return validation('INVALID_PARAMETER', parsed.error.issues[0]?.message ?? 'Invalid');
    const input = parsed.data;
    if (!E164.test(input.DestinationPhoneNumber)) {
      return validation('INVALID_PARAMETER', 'DestinationPhoneNumber is not a valid E.164 number');
    }
    if (!input.MessageBody) return validation('MISSING_PARAMETER', 'MessageBody is required');
    if (input.MessageBody.length > MAX_BODY_LENGTH) {
      return validation('MAXIMUM_SIZE_EXCEEDED', `MessageBody is over ${MAX_BODY_LENGTH} characters`);
    }
    const configurationSet = input.ConfigurationSetName;
    const destination = configurationSet === undefined ? undefined : destinations.get(configurationSet);
    if (configurationSet !== undefined && !destination) {
      return awsError(400, 'ResourceNotFoundException', `Configuration set ${configurationSet} not found`, {
        ResourceType: 'configuration-set',
        ResourceId: configurationSet,
      });
    }
    const message = { id: randomUUID(), requestedAt: Date.now(), input };
    const final = undeliverable.has(input.DestinationPhoneNumber)
      ? smsEvent('TEXT_UNREACHABLE', 'UNREACHABLE', true, message)
      : smsEvent('TEXT_DELIVERED', 'DELIVERED', true, message);
    return {
      status: 200,
      headers: { 'content-type': JSON_1_0 },
      body: { MessageId: message.id },
      recordAs: message.id,
      afterReply: () => emit(destination, [smsEvent('TEXT_PENDING', 'PENDING', false, message), final]),
    };
  }

  return startSandboxServer(
    {
      name: 'AWS End User Messaging SMS sandbox',
      routes: [
        {
          method: 'POST',
          path: /^\/$/,
          handle: ({ headers, body }) => {
            const target = headers['x-amz-target'];
            if (target === `${TARGET_PREFIX}SendTextMessage`)
              return sendTextMessage(headers.authorization, body);
            return awsError(
              400,
              'UnknownOperationException',
              `The sandbox has no operation ${String(target)}`,
            );
          },
        },
      ],
      controlRoutes: [
        {
          method: 'POST',
          path: /^\/__sandbox\/event-destination$/,
          handle: ({ body }) => {
            const parsed = eventDestinationSchema.safeParse(body);
            if (!parsed.success) {
              return problem(
                400,
                'Bad Request',
                'Invalid event destination.',
                fieldErrorsFromZod(parsed.error),
              );
            }
            const { configurationSetName, snsEndpoint } = parsed.data;
            destinations.get(configurationSetName)?.sns.destroy();
            const sns = new SNSClient({
              endpoint: snsEndpoint,
              region: 'eu-north-1',
              credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
            });
            destinations.set(configurationSetName, { ...parsed.data, sns });
            return { status: 200, body: parsed.data };
          },
        },
        undeliverableRoute(undeliverable),
      ],
      faults: {
        rateLimited: () => awsError(400, 'ThrottlingException', 'Rate exceeded'),
        serverError: () => awsError(500, 'InternalServerException', 'Internal failure'),
      },
      async onClose() {
        await Promise.allSettled([...publishing]);
        for (const destination of destinations.values()) destination.sns.destroy();
      },
    },
    options.port,
  );
}
