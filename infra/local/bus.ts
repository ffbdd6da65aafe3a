/**
 * The in-process stand-in for SNS → SQS → Lambda: a topic whose subscriptions filter on
 * message attributes, feeding queues with batches, visibility timeouts (changeable through a
 * receipt handle, as SQS's ChangeMessageVisibility) and redrive to a dead-letter queue, each polled
 * by the same handler Lambda runs, with real SQSEvent shapes.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type MessageAttributes = Record<string, { DataType: string; StringValue: string }>;
/** SNS filter policy, the subset Herald uses: attribute → allowed string values. */
export type FilterPolicy = Record<string, string[]>;
/** Invokes the queue's function with a batch (its runtime makes the Lambda context). */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface QueuedMessage {
  messageId: string;
  body: string;
  attributes: MessageAttributes;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
  visibleAt: number;
}

export interface QueueOptions {
  name: string;
  batchSize: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  /** Concurrent handler invocations, like a Lambda's reserved concurrency. */
  concurrency: number;
}

const REGION = 'local';
const ACCOUNT = '000000000000';

function matches(policy: FilterPolicy, attributes: MessageAttributes): boolean {
  return Object.entries(policy).every(([name, allowed]) => {
    const value = attributes[name]?.StringValue;
    return value !== undefined && allowed.includes(value);
  });
}

/** A handle valid until the message is received again, as in SQS. */
function receiptHandleOf(message: QueuedMessage): string {
  return `${message.messageId}#${message.receiveCount}`;
}

export class LocalQueue {
  readonly arn: string;
  readonly deadLetters: QueuedMessage[] = [];
  private readonly messages: QueuedMessage[] = [];
  private running = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly options: QueueOptions,
    private readonly handler: SqsHandler,
    private readonly onError: (error: unknown) => void,
  ) {
    this.arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${options.name}`;
  }

  /** Messages waiting or in flight. */
  get depth(): number {
    return this.messages.length;
  }

  send(body: string, attributes: MessageAttributes): void {
    this.messages.push({
      messageId: randomUUID(),
      body,
      attributes,
      sentAt: Date.now(),
      receiveCount: 0,
      visibleAt: 0,
    });
    this.poll();
  }

  /**
   * Makes a received message visible again `seconds` from now, as SQS's ChangeMessageVisibility:
   * false if the receipt handle is not the message's latest receive (or it has left the queue).
   */
  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = this.messages.find((candidate) => receiptHandleOf(candidate) === receiptHandle);
    if (!message) return false;
    message.visibleAt = Date.now() + seconds * 1000;
    this.scheduleWake();
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  private receive(now: number): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    for (let index = 0; index < this.messages.length && batch.length < this.options.batchSize; ) {
      const message = this.messages[index];
      if (!message || message.visibleAt > now) {
        index++;
        continue;
      }
      if (message.receiveCount >= this.options.maxReceiveCount) {
        // Redrive: received too often without success.
        this.messages.splice(index, 1);
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      batch.push(message);
      index++;
    }
    return batch;
  }

  private poll(): void {
    if (this.stopped) return;
    while (this.running < this.options.concurrency) {
      const batch = this.receive(Date.now());
      if (batch.length === 0) break;
      this.running++;
      const invocation = this.invoke(batch).finally(() => {
        this.running--;
        this.inFlight.delete(invocation);
        this.poll();
      });
      this.inFlight.add(invocation);
    }
    this.scheduleWake();
  }

  /** Wakes up when the next invisible message becomes visible again. */
  private scheduleWake(): void {
    clearTimeout(this.wakeTimer);
    const next = Math.min(...this.messages.map((message) => message.visibleAt));
    if (!Number.isFinite(next) || this.stopped) return;
    this.wakeTimer = setTimeout(() => this.poll(), Math.max(10, next - Date.now()));
    this.wakeTimer.unref();
  }

  private async invoke(batch: QueuedMessage[]): Promise<void> {
    let failed: Set<string>;
    try {
      const response = await this.handler({ Records: batch.map((message) => this.toRecord(message)) });
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.onError(error);
      failed = new Set(batch.map((message) => message.messageId));
    }
    for (const message of batch) {
      if (failed.has(message.messageId)) continue;
      const index = this.messages.indexOf(message);
      if (index >= 0) this.messages.splice(index, 1);
    }
  }

  private toRecord(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: receiptHandleOf(message),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, value]) => [
          name,
          {
            dataType: value.DataType,
            stringValue: value.StringValue,
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: REGION,
    };
  }
}

/** An SNS topic with raw-delivery SQS subscriptions. */
export class LocalTopic {
  readonly arn: string;
  private readonly subscriptions: { queue: LocalQueue; filterPolicy: FilterPolicy }[] = [];

  constructor(name: string) {
    this.arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
  }

  subscribe(queue: LocalQueue, filterPolicy: FilterPolicy): void {
    this.subscriptions.push({ queue, filterPolicy });
  }

  publish(message: string, attributes: MessageAttributes): string {
    for (const { queue, filterPolicy } of this.subscriptions) {
      if (matches(filterPolicy, attributes)) queue.send(message, attributes);
    }
    return randomUUID();
  }
}
