/**
 * The fallback SMS provider's AWS side (docs/sms-failover.md): an AWS End User Messaging SMS
 * configuration set whose event destination is an SNS topic of its own, and the queue (with its
 * dead-letter queue) that feeds the events to `record-sms-events`, with raw delivery so each
 * message is the event itself. Topic and queues are encrypted with customer-managed keys (the
 * topic's one the service may use to publish); every resource refuses plain HTTP.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMS_EVENTS_CONSUMER } from '#functions/manifest.ts';

const SMS_VOICE = new iam.ServicePrincipal('sms-voice.amazonaws.com');

export class SmsFallback extends Construct {
  readonly configurationSet: smsvoice.CfnConfigurationSet;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Two keys, as the broadcast bus has: the queue's key names the topic (SNS may encrypt into it).
    const key = new kms.Key(this, 'EventsKey', {
      description: 'Herald fallback SMS delivery events topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const queueKey = new kms.Key(this, 'EventsQueueKey', {
      description: 'Herald fallback SMS delivery events queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const account = Stack.of(this).account;
    // The service publishes to the encrypted topic: it needs the key, for this account's events only.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [SMS_VOICE],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    const topic = new sns.Topic(this, 'Events', {
      displayName: 'Herald fallback SMS delivery events',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [SMS_VOICE],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    const encryption = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      enforceSSL: true,
    };
    this.deadLetterQueue = new sqs.Queue(this, 'EventsDeadLetters', {
      ...encryption,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'EventsQueue', {
      ...encryption,
      visibilityTimeout: Duration.seconds(SMS_EVENTS_CONSUMER.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SMS_EVENTS_CONSUMER.maxReceiveCount },
    });
    topic.addSubscription(new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }));
    this.configurationSet = new smsvoice.CfnConfigurationSet(this, 'ConfigurationSet', {
      eventDestinations: [
        {
          eventDestinationName: 'herald-ledger',
          enabled: true,
          matchingEventTypes: ['TEXT_ALL'],
          snsDestination: { topicArn: topic.topicArn },
        },
      ],
    });
  }

  /** The configuration set's name, as SendTextMessage takes it. */
  get configurationSetName(): string {
    return this.configurationSet.ref;
  }
}
