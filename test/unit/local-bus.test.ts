import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue, LocalTopic } from '#infra/local/bus.ts';

const queues: LocalQueue[] = [];
function queue(handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>, overrides = {}) {
  const created = new LocalQueue(
    {
      name: 'q',
      batchSize: 10,
      visibilityTimeoutMs: 50,
      maxReceiveCount: 3,
      concurrency: 1,
      ...overrides,
    },
    handler,
    () => undefined,
  );
  queues.push(created);
  return created;
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});

describe('LocalTopic', () => {
  it('delivers only to subscriptions whose filter policy matches the message attributes', async () => {
    const received: string[] = [];
    const topic = new LocalTopic('t');
    topic.subscribe(
      queue(async (event) => {
        received.push(`sms:${event.Records[0]?.body}`);
        return undefined;
      }),
      { target: ['sms'] },
    );
    topic.subscribe(
      queue(async (event) => {
        received.push(`x:${event.Records[0]?.body}`);
        return undefined;
      }),
      { target: ['x'] },
    );
    topic.publish('hello', { target: { DataType: 'String', StringValue: 'x' } });
    await settle();
    expect(received).toEqual(['x:hello']);
  });
});

describe('LocalQueue', () => {
  it('redelivers only the records reported as failed, with a growing receive count', async () => {
    const seen: string[] = [];
    const q = queue(async (event) => {
      const failures = event.Records.filter(
        (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
      );
      seen.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    q.send('good', {});
    q.send('bad', {});
    await settle();
    expect(seen).toEqual(expect.arrayContaining(['good#1', 'bad#1', 'bad#2']));
    expect(seen.filter((entry) => entry.startsWith('good'))).toHaveLength(1);
    expect(q.depth).toBe(0);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount failed receives', async () => {
    let receives = 0;
    const q = queue(async () => {
      receives++;
      throw new Error('always fails');
    });
    q.send('poison', {});
    await settle();
    expect(receives).toBe(3);
    expect(q.deadLetters.map((m) => m.body)).toEqual(['poison']);
    expect(q.depth).toBe(0);
  });

  it('brings a failed message back when its visibility was changed, and only through its latest receipt handle', async () => {
    const receives: { at: number; receiptHandle: string }[] = [];
    let q: LocalQueue;
    q = queue(
      async (event) => {
        const record = event.Records[0];
        if (!record) return undefined;
        receives.push({ at: Date.now(), receiptHandle: record.receiptHandle });
        if (receives.length > 1) return undefined;
        expect(q.changeVisibility(record.receiptHandle, 0.1)).toBe(true);
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      },
      { visibilityTimeoutMs: 60_000 },
    );
    q.send('retried', {});
    await settle();
    const [first, second] = receives;
    expect(receives).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(90);
    // The first receive's handle is stale once the message is received again.
    expect(q.changeVisibility(first?.receiptHandle ?? '', 0)).toBe(false);
  });

  it('hands the handler batches no larger than the batch size, in SQSEvent shape', async () => {
    const sizes: number[] = [];
    const q = queue(
      async (event) => {
        sizes.push(event.Records.length);
        expect(event.Records[0]).toMatchObject({
          eventSource: 'aws:sqs',
          messageAttributes: { target: { stringValue: 'sms' } },
        });
        return undefined;
      },
      { batchSize: 2 },
    );
    for (const body of ['a', 'b', 'c']) q.send(body, { target: { DataType: 'String', StringValue: 'sms' } });
    await settle();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
  });
});
