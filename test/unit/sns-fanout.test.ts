import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SnsFanout } from '#shared/adapters/sns-fanout.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';

const TOPIC = 'arn:aws:sns:eu-north-1:000000000000:broadcasts';
const snsMock = mockClientForFile(SNSClient);

const messages = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ broadcastId: 'b-1', customerIds: [`c-${index}`] }));
const batchesSent = () =>
  snsMock
    .commandCalls(PublishBatchCommand)
    .map(({ args: [command] }) => command.input as PublishBatchCommandInput);
const bodiesOf = (input: PublishBatchCommandInput) =>
  (input.PublishBatchRequestEntries ?? []).map(({ Message }) => JSON.parse(Message ?? 'null'));

beforeEach(() => {
  vi.stubEnv('BROADCAST_TOPIC_ARN', TOPIC);
  snsMock.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('SnsFanout.publishMany', () => {
  it('sends ten messages to a PublishBatch, each with the target attribute the subscriptions filter on', async () => {
    snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });

    await new SnsFanout().publishMany('sms', messages(23));

    const sent = batchesSent();
    expect(sent.map(bodiesOf)).toEqual([messages(10), messages(20).slice(10), messages(23).slice(20)]);
    expect(sent.every(({ TopicArn }) => TopicArn === TOPIC)).toBe(true);
    expect(sent[0]?.PublishBatchRequestEntries?.[0]?.MessageAttributes).toEqual({
      target: { DataType: 'String', StringValue: 'sms' },
    });
  });

  it('sends again only the entries SNS answered as failed', async () => {
    snsMock
      .on(PublishBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });

    await new SnsFanout().publishMany('sms', messages(3));

    expect(batchesSent().map(bodiesOf)).toEqual([messages(3), messages(3).slice(1, 2)]);
  });

  it('throws when entries still fail after its attempts, so the caller is retried', async () => {
    snsMock
      .on(PublishBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });

    await expect(new SnsFanout().publishMany('sms', messages(2))).rejects.toThrow(
      'SNS refused 1 of 2 messages: InternalError',
    );
    expect(batchesSent()).toHaveLength(3);
  });

  it('sends nothing for no messages', async () => {
    await new SnsFanout().publishMany('sms', []);

    expect(batchesSent()).toEqual([]);
  });
});
