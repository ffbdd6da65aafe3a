/**
 * A queue worker whose message fails gets it back after the manifest's first retry delay, not
 * after the queue's visibility timeout: the worker shortens the wait through SQS's
 * ChangeMessageVisibility, here answered by the local stack's AWS endpoint and queue.
 */
import type { Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { workerNamed } from '#functions/manifest.ts';
import { startAwsEndpoint } from '#infra/local/aws-endpoint.ts';
import { LocalQueue, type SqsHandler } from '#infra/local/bus.ts';

const worker = workerNamed('send-sms');
const receivedAt: number[] = [];
let server: Server;
let queue: LocalQueue;

beforeAll(async () => {
  const failFirstReceive = async () => {
    receivedAt.push(Date.now());
    if (receivedAt.length === 1) throw new Error('provider unavailable');
  };
  let handler: SqsHandler | undefined;
  queue = new LocalQueue(
    {
      name: `herald-${worker.handler}`,
      batchSize: worker.batchSize,
      visibilityTimeoutMs: worker.visibilityTimeoutSeconds * 1000,
      maxReceiveCount: worker.maxReceiveCount,
      concurrency: 1,
    },
    async (event) => handler?.(event),
    () => undefined,
  );
  const endpoint = await startAwsEndpoint([], [queue], {});
  server = endpoint.server;
  vi.stubEnv('AWS_ENDPOINT_URL_SQS', endpoint.url);
  vi.stubEnv('AWS_REGION', 'local');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  // Imported once the endpoint is known: the AWS clients read it when they are created.
  const { sqsWorker } = await import('#shared/messaging/sqs-worker.ts');
  const worked = sqsWorker(worker, failFirstReceive);
  const context = { awsRequestId: 'request', getRemainingTimeInMillis: () => 60_000 } as Context;
  handler = (event) => worked(event, context);
});

afterAll(async () => {
  await queue.stop();
  server.close();
  vi.unstubAllEnvs();
});

it('receives a failed message again after the first retry delay, long before the visibility timeout', async () => {
  queue.send(JSON.stringify({ broadcastId: 'b-1', customerIds: ['c-1'] }), {});

  await vi.waitFor(() => expect(receivedAt).toHaveLength(2), { timeout: 15_000, interval: 100 });
  const waitedSeconds = ((receivedAt[1] ?? 0) - (receivedAt[0] ?? 0)) / 1000;
  // Between half and all of the first delay (equal jitter), plus the poll's own slack.
  expect(waitedSeconds).toBeGreaterThanOrEqual(worker.firstRetryDelaySeconds / 2 - 0.5);
  expect(waitedSeconds).toBeLessThan(worker.firstRetryDelaySeconds + 2);
  expect(worker.firstRetryDelaySeconds + 2).toBeLessThan(worker.visibilityTimeoutSeconds);
});
