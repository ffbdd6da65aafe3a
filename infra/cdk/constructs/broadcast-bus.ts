import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumer, Worker } from '#functions/manifest.ts';
import { grantKeyVia } from './herald-tables.ts';

export interface BroadcastBusProps {
  readonly workers: readonly Worker[];
  /** Stream consumers: each gets a queue where its event source describes a batch that kept failing. */
  readonly streamConsumers: readonly StreamConsumer[];
}

export interface WorkerQueue {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The `broadcast` SNS topic and one SQS queue per worker, each subscribed with raw delivery
 * and a filter on the `target` message attribute, each with its own dead-letter queue.
 * Topic and queues are encrypted with customer-managed keys; every resource refuses plain HTTP.
 */
export class BroadcastBus extends Construct {
  readonly topicKey: kms.Key;
  readonly queueKey: kms.Key;
  readonly topic: sns.Topic;
  private readonly queues = new Map<string, WorkerQueue>();
  private readonly failedBatches = new Map<string, sqs.Queue>();

  constructor(scope: Construct, id: string, props: BroadcastBusProps) {
    super(scope, id);

    // Two keys: the queue key's policy names the topic (SNS may encrypt only for it), so
    // sharing one key between topic and queues would be a circular dependency.
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Herald broadcast topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queueKey = new kms.Key(this, 'QueueKey', {
      description: 'Herald worker queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.topic = new sns.Topic(this, 'broadcast', {
      displayName: 'Herald broadcast',
      masterKey: this.topicKey,
      enforceSSL: true,
    });

    const encryption = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
    };
    for (const worker of props.workers) {
      const deadLetterQueue = new sqs.Queue(this, `${worker.handler}-dlq`, {
        ...encryption,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, worker.handler, {
        ...encryption,
        visibilityTimeout: Duration.seconds(worker.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: worker.maxReceiveCount },
      });
      this.topic.addSubscription(
        new subscriptions.SqsSubscription(queue, {
          rawMessageDelivery: true,
          filterPolicy: { target: sns.SubscriptionFilter.stringFilter({ allowlist: [worker.target] }) },
        }),
      );
      this.queues.set(worker.handler, { queue, deadLetterQueue });
    }
    for (const consumer of props.streamConsumers) {
      const failed = new sqs.Queue(this, `${consumer.handler}-failed`, {
        ...encryption,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(failed).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: "The stream event source's on-failure destination: a dead-letter queue itself.",
      });
      this.failedBatches.set(consumer.handler, failed);
    }
  }

  /** Where the stream event source of `handler` describes a batch that kept failing (shard and sequence numbers). */
  failedBatchesFor(handler: string): sqs.Queue {
    const queue = this.failedBatches.get(handler);
    if (!queue) throw new Error(`No failed-batch queue for stream consumer '${handler}'`);
    return queue;
  }

  /** The queue (and its DLQ) feeding the worker `handler`. */
  queueFor(handler: string): WorkerQueue {
    const queue = this.queues.get(handler);
    if (!queue) throw new Error(`No queue for worker '${handler}'`);
    return queue;
  }

  /** Grants publishing to the topic; the key only through SNS. */
  grantPublish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    grantKeyVia(grantee, this.topicKey, 'sns', ['kms:Decrypt', 'kms:GenerateDataKey']);
  }
}
