import type { Server } from 'node:http';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAwsEndpoint } from '#infra/local/aws-endpoint.ts';
import { LocalQueue, LocalTopic } from '#infra/local/bus.ts';
import { queueUrlOf } from '#shared/adapters/sqs-redelivery.ts';

const topic = new LocalTopic('broadcasts');
/** Holds every message it receives (reported failed) until a test lets it go. */
const received: SQSRecord[] = [];
let release = false;
const queue = new LocalQueue(
  { name: 'herald-send-sms', batchSize: 1, visibilityTimeoutMs: 60_000, maxReceiveCount: 5, concurrency: 1 },
  async ({ Records }) => {
    received.push(...Records);
    return {
      batchItemFailures: release ? [] : Records.map(({ messageId }) => ({ itemIdentifier: messageId })),
    };
  },
  () => undefined,
);
let server: Server;
let sns: SNSClient;
let sqs: SQSClient;
const published = vi.spyOn(topic, 'publish');

beforeAll(async () => {
  const endpoint = await startAwsEndpoint([topic], [queue], {});
  server = endpoint.server;
  const client = {
    endpoint: endpoint.url,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  sns = new SNSClient(client);
  sqs = new SQSClient({ ...client, useQueueUrlAsEndpoint: false });
});
afterAll(async () => {
  server.close();
  await queue.stop();
});
beforeEach(() => {
  published.mockClear();
});

const target = (value: string) => ({ target: { DataType: 'String', StringValue: value } });
const entry = (id: string, message: string, to = 'sms') => ({
  Id: id,
  Message: message,
  MessageAttributes: target(to),
});

describe('the local AWS endpoint, SNS', () => {
  it('answers Publish by publishing the message with its attributes to the topic', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: topic.arn, Message: '{"a":1}', MessageAttributes: target('planner') }),
    );

    expect(MessageId).toEqual(expect.any(String));
    expect(published.mock.calls).toEqual([['{"a":1}', target('planner')]]);
  });

  it('answers PublishBatch by publishing every entry in order, each with its own attributes, all successful', async () => {
    const { Successful, Failed } = await sns.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [
          entry('0', '{"batch":0}'),
          entry('1', 'a & b = c', 'x'),
          entry('b-2', '{}'),
        ],
      }),
    );

    expect(published.mock.calls).toEqual([
      ['{"batch":0}', target('sms')],
      ['a & b = c', target('x')],
      ['{}', target('sms')],
    ]);
    expect(Successful?.map(({ Id }) => Id)).toEqual(['0', '1', 'b-2']);
    expect(Successful?.every(({ MessageId }) => typeof MessageId === 'string')).toBe(true);
    expect(Failed ?? []).toEqual([]);
  });

  it.each([
    ['TooManyEntriesInBatchRequest', Array.from({ length: 11 }, (_, index) => entry(String(index), 'm'))],
    ['BatchEntryIdsNotDistinct', [entry('same', 'm'), entry('same', 'n')]],
    ['InvalidBatchEntryId', [entry('not valid!', 'm')]],
  ])('refuses a PublishBatch as SNS does (%s), publishing nothing', async (code, entries) => {
    await expect(
      sns.send(new PublishBatchCommand({ TopicArn: topic.arn, PublishBatchRequestEntries: entries })),
    ).rejects.toMatchObject({ name: `${code}Exception` });

    expect(published).not.toHaveBeenCalled();
  });

  it('refuses a publish to a topic it does not have', async () => {
    await expect(
      sns.send(
        new PublishBatchCommand({
          TopicArn: `${topic.arn}-other`,
          PublishBatchRequestEntries: [entry('0', 'm')],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });

    expect(published).not.toHaveBeenCalled();
  });
});

describe('the local AWS endpoint, SQS', () => {
  const changeVisibility = (record: SQSRecord | undefined, seconds: number, queueArn = queue.arn) =>
    sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrlOf(queueArn),
        ReceiptHandle: record?.receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  const receivedCount = async (count: number) => {
    await vi.waitFor(() => expect(received).toHaveLength(count), { timeout: 2_000 });
  };

  it('answers ChangeMessageVisibility on the queue the URL names, through the latest receipt handle only', async () => {
    queue.send('{"n":1}', {});
    await receivedCount(1);
    const first = received[0];
    await changeVisibility(first, 0);
    await receivedCount(2);
    release = true;
    await changeVisibility(received[1], 0);
    await receivedCount(3);

    await expect(changeVisibility(first, 0)).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
    await expect(changeVisibility(first, 0, `${queue.arn}-other`)).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });
});
