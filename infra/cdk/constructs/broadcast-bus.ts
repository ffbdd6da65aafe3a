import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Worker } from '#functions/manifest.ts';
import { grantKeyVia } from './herald-tables.ts';

export interface BroadcastBusProps {
  readonly workers: readonly Worker[];
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

    for (const worker of props.workers) {
      const encryption = {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.queueKey,
        enforceSSL: true,
      };
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
