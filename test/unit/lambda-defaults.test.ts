import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { workerNamed } from '#functions/manifest.ts';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import { readLocalSettings } from '#infra/local/settings.ts';
import { smsMaxReceivesConfig } from '#shared/config.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { logger } from '#shared/logger.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { count, METRIC, METRIC_SERVICE } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import { countDeliveries, type LedgerChange, paddedSequence } from '#shared/use-cases/count-deliveries.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { FakeBroadcastStore } from '#test/support/fakes.ts';
import { captureJsonLines, emfMetrics } from '#test/support/json-lines.ts';

const sqsMock = mockClientForFile(SQSClient);
let jsonLines: () => Record<string, unknown>[];
const context = (): Context => lambdaContext('probe', 10_000);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
  jsonLines = captureJsonLines();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const logged = (message: string) => jsonLines().filter((line) => line.message === message);

describe('withLambdaDefaults: logs', () => {
  const handler = withLambdaDefaults<{ broadcastId?: string; fail?: boolean }, void>().handler(
    async (event) => {
      if (event.broadcastId) logger.appendKeys({ broadcastId: event.broadcastId });
      logger.info('Working');
      if (event.fail) throw new Error('Provider unreachable');
    },
  );

  it('forgets the broadcast id one invocation appended before the next invocation of the same instance logs', async () => {
    const [first, second] = [context(), context()];

    await handler({ broadcastId: 'b-first' }, first);
    await handler({}, second);

    const [firstLine, secondLine] = logged('Working');
    expect(firstLine).toMatchObject({ broadcastId: 'b-first', function_request_id: first.awsRequestId });
    expect(secondLine).not.toHaveProperty('broadcastId');
    expect(secondLine).toMatchObject({
      level: 'INFO',
      function_name: 'probe',
      function_request_id: second.awsRequestId,
      cold_start: false,
    });
    expect(typeof secondLine?.timestamp).toBe('string');
  });

  it('logs a failure no handler answered as one structured error line with the broadcast id, then forgets the id', async () => {
    await expect(handler({ broadcastId: 'b-failing', fail: true }, context())).rejects.toThrow(
      'Provider unreachable',
    );
    await handler({}, context());

    const [failure] = logged('Invocation failed');
    expect(failure).toMatchObject({
      level: 'ERROR',
      broadcastId: 'b-failing',
      function_name: 'probe',
      error: { name: 'Error', message: 'Provider unreachable' },
    });
    expect(logged('Working')[1]).not.toHaveProperty('broadcastId');
  });
});

describe('withLambdaDefaults: metrics', () => {
  it('publishes what an invocation counted as an EMF line when it ends, even when it fails', async () => {
    const handler = withLambdaDefaults<unknown, void>().handler(async () => {
      count(METRIC.smsSent, 2);
      count(METRIC.smsFailed, 1);
      throw new Error('Crashed after sending');
    });

    await expect(handler({}, context())).rejects.toThrow();

    expect(emfMetrics(jsonLines())).toEqual([
      {
        namespace: expect.any(String),
        dimensions: { service: METRIC_SERVICE },
        values: { [METRIC.smsSent]: 2, [METRIC.smsFailed]: 1 },
      },
    ]);
  });

  it('counts SMS sent and failed and suspected duplicates from the ledger changes it counts, once', async () => {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', status: 'sending' });
    const sms = (status: 'sending' | 'sent' | 'failed' | 'delivered', duplicatesSuspected = 0) => ({
      broadcastId: 'b1',
      channel: 'sms' as const,
      status,
      duplicatesSuspected,
    });
    const changes: LedgerChange[] = [
      { sequence: paddedSequence('1'), before: sms('sending'), after: sms('sent') },
      { sequence: paddedSequence('2'), before: sms('sending'), after: sms('failed') },
      { sequence: paddedSequence('3'), before: sms('sent'), after: sms('delivered') },
      { sequence: paddedSequence('4'), before: sms('sent'), after: sms('sent', 1) },
    ];
    const handler = withLambdaDefaults<LedgerChange[], void>().handler((batch) =>
      countDeliveries('shard-1', batch, { broadcasts }),
    );

    await handler(changes, context());
    // The stream delivers the same batch again: its counts, and so its metrics, are not added twice.
    await handler(changes, context());

    expect(emfMetrics(jsonLines()).map((line) => line.values)).toEqual([
      { [METRIC.smsSent]: 1, [METRIC.smsFailed]: 1, [METRIC.duplicatesSuspected]: 1 },
    ]);
  });
});

describe('sqsWorker', () => {
  const worker = sqsWorker(workerNamed('send-sms'), async () => {
    throw new Error('Twilio timed out');
  });
  const record = (messageId: string, body: object, receiveCount: number): SQSRecord =>
    ({
      messageId,
      body: JSON.stringify(body),
      receiptHandle: `handle-${messageId}`,
      eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:herald-sms',
      attributes: { ApproximateReceiveCount: String(receiveCount) },
    }) as unknown as SQSRecord;

  it('labels a failed record with its broadcast id only, and counts retries and dead-letter moves per worker', async () => {
    const event: SQSEvent = {
      Records: [record('m1', { broadcastId: 'b-one', customerIds: ['c-1'] }, 1), record('m2', {}, 10)],
    };

    const result = await worker(event, context());

    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m1', 'm2']);
    const [first, second] = logged('Message failed; the queue will deliver it again or dead-letter it');
    expect(first).toMatchObject({ broadcastId: 'b-one', messageId: 'm1' });
    expect(second).toMatchObject({ messageId: 'm2' });
    expect(second).not.toHaveProperty('broadcastId');
    expect(emfMetrics(jsonLines())).toEqual([
      {
        namespace: expect.any(String),
        dimensions: { service: METRIC_SERVICE, worker: 'send-sms' },
        values: { [METRIC.messagesRetried]: 1 },
      },
      {
        namespace: expect.any(String),
        dimensions: { service: METRIC_SERVICE, worker: 'send-sms' },
        values: { [METRIC.messagesDeadLettered]: 1 },
      },
    ]);
  });

  it("tells the work whether this is the message's last receive and how many receives the queue gives a message", async () => {
    const seen: Pick<Invocation, 'lastChance' | 'maxReceives'>[] = [];
    const recording = sqsWorker(workerNamed('send-sms'), async (_, { lastChance, maxReceives }) => {
      seen.push({ lastChance, maxReceives });
    });
    const message = { broadcastId: 'b-one', customerIds: ['c-1'] };

    await recording({ Records: [record('m1', message, 1), record('m2', message, 10)] }, context());

    expect(seen).toEqual([
      { lastChance: false, maxReceives: 10 },
      { lastChance: true, maxReceives: 10 },
    ]);
  });

  it('the SMS queue gives the receives HERALD_SMS_MAX_RECEIVES sets (the manifest’s without it), checked as the local stack starts', () => {
    const deployed = workerNamed('send-sms').maxReceiveCount;
    vi.stubEnv('HERALD_SMS_MAX_RECEIVES', undefined);
    expect(smsMaxReceivesConfig(deployed)).toBe(10);
    vi.stubEnv('HERALD_SMS_MAX_RECEIVES', '3');
    expect(smsMaxReceivesConfig(deployed)).toBe(3);
    vi.stubEnv('HERALD_SMS_MAX_RECEIVES', '1');
    expect(() => smsMaxReceivesConfig(deployed)).toThrow(/HERALD_SMS_MAX_RECEIVES/);

    expect(readLocalSettings({ HERALD_SMS_MAX_RECEIVES: '3' })).toMatchObject({ HERALD_SMS_MAX_RECEIVES: 3 });
    expect(() => readLocalSettings({ HERALD_SMS_MAX_RECEIVES: '11' })).toThrow(/HERALD_SMS_MAX_RECEIVES/);
  });
});
