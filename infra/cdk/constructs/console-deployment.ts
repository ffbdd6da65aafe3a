import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Stack, Token, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleBucketName, type StatusSite } from './status-site.ts';

/** What the console reads from `/console/config.json` at startup (`console/src/auth.ts`). */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly auth: { kind: 'cognito'; domain: string; clientId: string; redirectUri: string };
  /** The ops room's zone, in which the console shows times. */
  readonly timeZone: string;
}

export interface ConsoleDeploymentProps {
  readonly site: StatusSite;
  /** The environment's name, which names the console bucket. */
  readonly envName: string;
  /** The built console (`npm run build:console`); absent, nothing is deployed and synth warns. */
  readonly distDir: string;
  readonly config: ConsoleConfig;
  /** How long the deployment handler's logs are kept (the environment's `logRetentionDays`). */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Copies the built operations console and its `config.json` (API URL, hosted UI, client id)
 * into the console bucket under `console/`, where the distribution's `/console/*` behavior
 * serves it, and invalidates those paths so a deploy shows at once.
 */
export class ConsoleDeployment extends Construct {
  readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleDeploymentProps) {
    super(scope, id);
    if (!existsSync(path.join(props.distDir, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        'herald:console-not-built',
        `${props.distDir} has no index.html: the operations console is not deployed. Run \`npm run build:console\` before \`cdk deploy\`.`,
      );
      return;
    }
    this.deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [s3deploy.Source.asset(props.distDir), s3deploy.Source.jsonData('config.json', props.config)],
      // By its fixed name, so this stack's wildcard grant names the bucket (acknowledged below).
      destinationBucket: s3.Bucket.fromBucketName(this, 'Bucket', consoleBucketName(props.envName)),
      destinationKeyPrefix: 'console/',
      distribution: props.site.distribution,
      distributionPaths: ['/console/*'],
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: props.logRetention }),
    });

    // The handler and its role are CDK's own (a singleton per stack); cdk-nag names each wildcard.
    const stack = Stack.of(this);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    const partition = shown(stack.partition, 'AWS::Partition');
    const region = shown(stack.region, 'AWS::Region');
    const accounts = [...new Set(['<AWS::AccountId>', shown(stack.account, 'AWS::AccountId')])];
    const copyReason =
      "CDK's BucketDeployment handler (it runs only during deploys) reads the console's asset archive from the CDK assets bucket and syncs it into the console bucket's console/ prefix; the object and action wildcards are CDK's own grants on those two buckets.";
    const wildcards = [
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
        (action) => `Action::${action}`,
      ),
      ...accounts.map(
        (account) => `Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-${account}-${region}/*`,
      ),
      `Resource::arn:${partition}:s3:::${resolvedName(stack, consoleBucketName(props.envName))}/*`,
    ];
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      Validations.of(child).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's BucketDeployment handler writes its own logs with AWSLambdaBasicExecutionRole; it runs only during deploys.",
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'CloudFront CreateInvalidation (after each console deploy, for /console/*) takes no resource narrower than the distribution ARN, which BucketDeployment does not use.',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib and upgraded with it.",
        },
        ...wildcards.map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason: copyReason })),
      );
    }
  }
}

/** A name with pseudo parameters as cdk-nag shows it: `<AWS::AccountId>` for `${AWS::AccountId}`. */
function resolvedName(stack: Stack, name: string): string {
  const resolved: unknown = stack.resolve(name);
  if (typeof resolved === 'string') return resolved;
  const parts = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts
    .map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`))
    .join('');
}
