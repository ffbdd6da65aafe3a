/**
 * The broadcast topic's messages are typed per target (BUS_MESSAGES): a publisher can only send a
 * target its own message, and a queue worker parses each record with its target's schema.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { workerNamed } from '#functions/manifest.ts';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import type { BusMessage } from '#shared/domain/bus-messages.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import type { Fanout } from '#shared/ports/stores.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

const sqsMock = mockClientForFile(SQSClient);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
  captureJsonLines();
});

const record = (messageId: string, body: object): SQSRecord =>
  ({
    messageId,
    body: JSON.stringify(body),
    receiptHandle: `handle-${messageId}`,
    eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:herald-planner',
    attributes: { ApproximateReceiveCount: '1' },
  }) as unknown as SQSRecord;

describe('sqsWorker', () => {
  it("parses each record with its target's schema: another target's message fails alone", async () => {
    const received: BusMessage<'planner'>[] = [];
    const planner = sqsWorker(workerNamed('plan-broadcast'), async (message) => {
      received.push(message);
    });

    const result = await planner(
      {
        Records: [
          record('plan', { broadcastId: 'b-1' }),
          // An SMS batch has no place on the planner's queue.
          record('sms', { customerIds: ['c-1'] }),
        ],
      },
      lambdaContext('plan-broadcast', 10_000),
    );

    expect(received).toEqual([{ broadcastId: 'b-1' }]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'sms' }]);
  });
});

describe('Fanout.publish', () => {
  it("takes for each target only that target's message (checked by npm run typecheck)", async () => {
    const published: [string, object][] = [];
    const fanout: Fanout = {
      publish: async (target, message) => {
        published.push([target, message]);
      },
      publishMany: async () => undefined,
    };

    await fanout.publish('sms', { broadcastId: 'b-1', customerIds: ['c-1'] });
    await fanout.publish('status', { incidentId: 'i-1' });
    // @ts-expect-error an SMS batch names its recipients
    await fanout.publish('sms', { broadcastId: 'b-1' });
    // @ts-expect-error the planner takes a broadcast, not an incident
    await fanout.publish('planner', { incidentId: 'i-1' });

    expect(published.map(([target]) => target)).toEqual(['sms', 'status', 'sms', 'planner']);
  });
});
