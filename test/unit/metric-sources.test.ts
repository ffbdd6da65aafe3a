import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import { METRIC, metrics } from '#shared/metrics.ts';
import { sweepStalledBroadcasts } from '#shared/use-cases/sweep-stalled-broadcasts.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { FakeBroadcastStore, FakeDeliveryStore, FakeFanout, FakeLeaseStore } from '#test/support/fakes.ts';
import { captureJsonLines, emfMetrics } from '#test/support/json-lines.ts';
import { stubTableEnvironment } from '#test/support/table-env.ts';

const dynamoMock = mockClientForFile(DynamoDBDocumentClient);
let jsonLines: () => Record<string, unknown>[];

beforeEach(() => {
  dynamoMock.reset();
  stubTableEnvironment();
  vi.stubEnv('BROADCAST_TOPIC_ARN', 'arn:aws:sns:eu-north-1:000000000000:broadcasts');
  jsonLines = captureJsonLines();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('where Herald’s metrics come from', () => {
  it('the planner records how long each invocation planned, in milliseconds', async () => {
    // No such broadcast: the planner reads it, finds nothing to plan and stops.
    dynamoMock.on(GetCommand).resolves({});
    const { handler } = await import('#functions/plan-broadcast/handler.ts');
    const event = {
      Records: [
        {
          messageId: 'm1',
          body: JSON.stringify({ broadcastId: 'b-gone' }),
          attributes: { ApproximateReceiveCount: '1' },
        },
      ],
    } as unknown as SQSEvent;

    await handler(event, lambdaContext('plan-broadcast', 30_000));

    const planned = jsonLines().find((line) => METRIC.plannerDuration in line);
    expect(planned?.[METRIC.plannerDuration]).toEqual(expect.any(Number));
    expect(JSON.stringify(planned?._aws)).toContain(
      JSON.stringify({ Name: METRIC.plannerDuration, Unit: 'Milliseconds' }),
    );
  });

  it('the sweeper counts the stalled broadcasts it found', async () => {
    const broadcasts = new FakeBroadcastStore();
    const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
    broadcasts.add({ id: 'b1', plannedAt: aMinuteAgo, lastActivityAt: aMinuteAgo });
    broadcasts.add({ id: 'b2', plannedAt: aMinuteAgo, lastActivityAt: aMinuteAgo });
    const deps = {
      broadcasts,
      deliveries: new FakeDeliveryStore(broadcasts),
      fanout: new FakeFanout(),
      leases: new FakeLeaseStore(),
      smsBatchSize: 10,
      providerTimeoutMs: 1_000,
    };

    await sweepStalledBroadcasts(new Date(Date.now() + 1_000), deps, {
      id: 'sweep-1',
      remainingMs: () => 60_000,
    });
    metrics.publishStoredMetrics();

    expect(emfMetrics(jsonLines()).map((line) => line.values)).toEqual([{ [METRIC.stalledBroadcasts]: 2 }]);
  });
});
