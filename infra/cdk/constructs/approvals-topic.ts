import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { grantKeyVia } from './herald-tables.ts';

export interface ApprovalsTopicProps {
  readonly envName: string;
  /** Comms leads' e-mail addresses (context `approvalEmails`); each confirms the e-mail AWS sends. */
  readonly emails: readonly string[];
  /** Comms leads' mobile numbers in E.164 (context `approvalPhones`), texted by SNS. */
  readonly phones: readonly string[];
}

/**
 * The `ApprovalsTopic`: Herald publishes a notice here whenever a broadcast or a template version
 * starts waiting for a comms lead, and SNS delivers it to the leads' e-mail and phones. Encrypted
 * with a key of its own; refuses plain HTTP. Notices carry ids, staff names and a console link,
 * never a passenger's data.
 */
export class ApprovalsTopic extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: ApprovalsTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Herald ${props.envName} approval notices`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'ApprovalsTopic', {
      displayName: `Herald ${props.envName} approvals`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const phone of props.phones) this.topic.addSubscription(new subscriptions.SmsSubscription(phone));
  }

  /** Grants publishing a notice; the key only through SNS. */
  grantPublish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    grantKeyVia(grantee, this.key, 'sns', ['kms:Decrypt', 'kms:GenerateDataKey']);
  }
}
