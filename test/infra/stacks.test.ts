import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_ROUTES,
  SCHEDULES,
  STREAM_CONSUMERS,
  smsWorkerConcurrency,
  WORKERS,
} from '#functions/manifest.ts';
import { PROVIDER_SECRET_KEYS } from '#infra/cdk/stateful-stack.ts';
import { API_TIMEOUT_SECONDS } from '#shared/domain/limits.ts';
import { METRIC, METRIC_SERVICE } from '#shared/metrics.ts';
import { TABLES } from '#shared/tables.ts';
import { type SynthesizedHerald, synthHerald, TEST_ENVIRONMENT } from './synth-herald.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;

let synthesized: SynthesizedHerald;
let app: App;
let stateful: Template;
let stateless: Template;

/** The app as `cdk synth -c env=…` builds it (cdk.json feature flags), for a complete environment, without bundling. */
beforeAll(() => {
  synthesized = synthHerald(TEST_ENVIRONMENT);
  ({ app, stateful, stateless } = synthesized);
});

afterAll(() => synthesized.dispose());

function resources(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
}

/** The function whose description names the handler (HeraldFunction sets `Herald <handler>`). */
function functionOf(handler: string): [string, Resource] {
  const matches = Object.entries(resources(stateless, 'AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Description === `Herald ${handler}`,
  );
  return only(matches, `function for ${handler}`);
}

/** The alias of the handler's function, if it has one (a worker with provisioned concurrency): [id, resource]. */
function aliasOf(handler: string): [string, Resource] | undefined {
  const functionRef = JSON.stringify({ Ref: functionOf(handler)[0] });
  return Object.entries(resources(stateless, 'AWS::Lambda::Alias')).find(
    ([, alias]) => JSON.stringify(alias.Properties.FunctionName) === functionRef,
  );
}

/** The event source mapping invoking the handler: its function, or the alias holding its provisioned concurrency. */
function eventSourceOf(handler: string): Resource {
  const invokedRef = JSON.stringify({ Ref: (aliasOf(handler) ?? functionOf(handler))[0] });
  const mappings = Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping')).filter((mapping) =>
    JSON.stringify(mapping.Properties.FunctionName).includes(invokedRef),
  );
  return only(mappings, `event source of ${handler}`);
}

/** The JSON of every inline policy attached to the handler's role. */
function policiesOf(handler: string): string {
  const [, fn] = functionOf(handler);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = Object.values(resources(stateless, 'AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`),
  );
  expect(policies.length, `policies of ${handler}`).toBeGreaterThan(0);
  return JSON.stringify(policies.map((policy) => policy.Properties.PolicyDocument));
}

function envOf(handler: string): Record<string, unknown> {
  const [, fn] = functionOf(handler);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('HeraldStateful', () => {
  it('declares every table of TABLES on demand, with PITR, a customer-managed key, deletion protection and its GSIs', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
    for (const table of TABLES) {
      const keySchema = [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' }] : []),
      ];
      const indexes = table.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
          ],
        }),
      );
      stateful.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          KeySchema: keySchema,
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
          DeletionProtectionEnabled: true,
          GlobalSecondaryIndexes: indexes.length > 0 ? Match.arrayWith(indexes) : Match.absent(),
        },
        DeletionPolicy: 'Retain',
      });
    }
  });

  it('names no table, so a changed key replaces it, and keeps the table it replaces or drops', () => {
    // CloudFormation refuses to replace a resource with a custom name; the delivery ledger's
    // sharded key replaced its table (docs/operations.md), and the old one stays with its records.
    stateful.allResources('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ TableName: Match.absent() }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('rotates every customer-managed key', () => {
    for (const key of Object.values(resources(stateful, 'AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
  });

  it('gives each worker a KMS-encrypted queue subscribed raw with its target filter and a DLQ after maxReceiveCount', () => {
    // The approvals topic's e-mail and SMS subscriptions are people, not workers.
    const subscriptions = Object.values(resources(stateful, 'AWS::SNS::Subscription')).filter(
      (subscription) => subscription.Properties.Protocol === 'sqs',
    );
    const queues = resources(stateful, 'AWS::SQS::Queue');
    expect(subscriptions).toHaveLength(WORKERS.length);
    for (const worker of WORKERS) {
      const subscription = only(
        subscriptions.filter(
          (s) => JSON.stringify(s.Properties.FilterPolicy) === JSON.stringify({ target: [worker.target] }),
        ),
        `subscription for target ${worker.target}`,
      );
      expect(subscription.Properties).toMatchObject({ Protocol: 'sqs', RawMessageDelivery: true });
      expect(subscription.Properties.FilterPolicyScope ?? 'MessageAttributes').toBe('MessageAttributes');

      const queueId = (subscription.Properties.Endpoint as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      const queue = queues[queueId];
      expect(queue?.Properties).toMatchObject({
        VisibilityTimeout: worker.visibilityTimeoutSeconds,
        KmsMasterKeyId: expect.anything(),
        RedrivePolicy: { maxReceiveCount: worker.maxReceiveCount },
      });
      const redrive = queue?.Properties.RedrivePolicy as {
        deadLetterTargetArn: { 'Fn::GetAtt': [string, string] };
      };
      const dlq = queues[redrive.deadLetterTargetArn['Fn::GetAtt'][0]];
      expect(dlq?.Properties.KmsMasterKeyId).toBeDefined();
      expect(dlq?.Properties.RedrivePolicy).toBeUndefined();
    }
  });

  it('encrypts the topic with a customer-managed key and makes topic and queues refuse plain HTTP', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    const queuePolicies = Object.values(resources(stateful, 'AWS::SQS::QueuePolicy'));
    const queueCount = Object.keys(resources(stateful, 'AWS::SQS::Queue')).length;
    const securedQueues = queuePolicies
      .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('aws:SecureTransport'))
      .flatMap((policy) => policy.Properties.Queues as unknown[]);
    expect(securedQueues).toHaveLength(queueCount);
  });

  it('keeps every bucket private, TLS-only, and lets only the CloudFront distribution read the status site', () => {
    const buckets = resources(stateful, 'AWS::S3::Bucket');
    expect(Object.keys(buckets).length).toBeGreaterThan(0);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    for (const policy of Object.values(resources(stateful, 'AWS::S3::BucketPolicy'))) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
      for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        expect(statement.Principal).not.toBe('*');
        expect(statement.Principal).not.toEqual({ AWS: '*' });
      }
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    // The status site's bucket and the console's.
    stateful.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
  });

  it('creates provider secrets without putting any secret value in the template', () => {
    const secrets = Object.values(resources(stateful, 'AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(3);
    for (const secret of secrets) {
      expect(secret.Properties.SecretString).toBeUndefined();
      const template = JSON.parse(
        (secret.Properties.GenerateSecretString as { SecretStringTemplate: string }).SecretStringTemplate,
      ) as Record<string, string>;
      expect(Object.values(template).every((value) => value === '')).toBe(true);
    }
  });

  it('has a user pool with MFA and the four role groups', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    const groups = Object.values(resources(stateful, 'AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'comms_lead', 'operator', 'viewer']);
  });
});

describe('HeraldStateless', () => {
  it('runs every Lambda on nodejs24.x, arm64, with active tracing: one per route, worker, schedule and stream consumer', () => {
    // CDK's own BucketDeployment handler (the console's files) is not Herald's.
    const functions = Object.values(resources(stateless, 'AWS::Lambda::Function')).filter((fn) =>
      String(fn.Properties.Description).startsWith('Herald '),
    );
    expect(functions).toHaveLength(
      API_ROUTES.length + WORKERS.length + SCHEDULES.length + STREAM_CONSUMERS.length,
    );
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
    expect(Object.keys(resources(stateful, 'AWS::Lambda::Function'))).toEqual([]);
  });

  it('feeds each worker from its queue (through an alias holding its provisioned concurrency, if any) with its batch size, partial batch failures, and every function its manifest timeout', () => {
    const mappings = Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => !mapping.Properties.StartingPosition,
    );
    expect(mappings).toHaveLength(WORKERS.length);
    for (const worker of WORKERS) {
      const [, fn] = functionOf(worker.handler);
      // A worker with provisioned concurrency is invoked through its alias, which holds it.
      expect(aliasOf(worker.handler)?.[1].Properties.ProvisionedConcurrencyConfig, worker.handler).toEqual(
        worker.provisionedConcurrency > 0
          ? { ProvisionedConcurrentExecutions: worker.provisionedConcurrency }
          : undefined,
      );
      const mapping = eventSourceOf(worker.handler);
      expect(mapping.Properties).toMatchObject({
        BatchSize: worker.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(
        new RegExp(`Bus${worker.handler.replaceAll('-', '')}`),
      );
      // The manifest's timeouts, which the local stack runs with too; a message returns only after its invocation ended.
      expect(fn.Properties.Timeout).toBe(worker.timeoutSeconds);
      expect(2 * worker.timeoutSeconds).toBeLessThanOrEqual(worker.visibilityTimeoutSeconds);
      // A failed message's backoff is set through its receipt handle (sqs-worker.ts).
      expect(policiesOf(worker.handler), worker.handler).toContain('sqs:ChangeMessageVisibility');
    }
    for (const schedule of SCHEDULES)
      expect(functionOf(schedule.handler)[1].Properties.Timeout).toBe(schedule.timeoutSeconds);
    for (const route of API_ROUTES)
      expect(functionOf(route.handler)[1].Properties.Timeout).toBe(API_TIMEOUT_SECONDS);
  });

  it("feeds each stream consumer from its table's stream, retrying a failing batch in halves before setting it aside", () => {
    const streamed = TABLES.filter((table) => table.stream);
    expect(streamed.map((table) => table.key)).toEqual(STREAM_CONSUMERS.map((consumer) => consumer.table));
    for (const table of Object.values(resources(stateful, 'AWS::DynamoDB::Table')).filter(
      (candidate) => candidate.Properties.StreamSpecification,
    ))
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    for (const consumer of STREAM_CONSUMERS) {
      const [functionId, fn] = functionOf(consumer.handler);
      const mapping = only(
        Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping')).filter(
          (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: functionId }),
        ),
        `event source of ${consumer.handler}`,
      );
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        MaximumBatchingWindowInSeconds: consumer.batchingWindowSeconds,
        TumblingWindowInSeconds: consumer.batchingWindowSeconds,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: consumer.retryAttempts,
      });
      expect(mapping.Properties.DestinationConfig).toMatchObject({
        OnFailure: { Destination: expect.anything() },
      });
      expect(fn.Properties.Timeout).toBe(consumer.timeoutSeconds);
    }
  });

  it('puts the Cognito JWT authorizer on every non-public route', () => {
    const authorizers = resources(stateless, 'AWS::ApiGatewayV2::Authorizer');
    const [authorizerId, authorizer] = only(Object.entries(authorizers), 'authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [expect.anything()], Issuer: expect.anything() },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration)).toContain('cognito-idp');

    const routes = Object.values(resources(stateless, 'AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map((route) => route.routeKey).sort(),
    );
    for (const route of API_ROUTES.filter((r) => r.roles !== 'public')) {
      const declared = only(
        routes.filter((r) => r.Properties.RouteKey === route.routeKey),
        route.routeKey,
      );
      expect(declared.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
  });

  it('logs API access to CloudWatch', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it("throttles the stage for people and the routes Twilio calls for its receipts at the environment's SMS rate", () => {
    // TEST_ENVIRONMENT sends 300 SMS/s: up to 600 status callbacks a second, twice over for bursts.
    const webhookLimits = { ThrottlingRateLimit: 1_200, ThrottlingBurstLimit: 2_400 };
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        'POST /webhooks/twilio/status': webhookLimits,
        'POST /webhooks/twilio/inbound': webhookLimits,
      },
    });
  });

  // The webhooks check X-Twilio-Signature with the auth token.
  const TWILIO_SECRET_READERS = ['send-sms', 'twilio-status-webhook', 'twilio-inbound-webhook'];

  it('lets only the SMS worker and the Twilio webhooks read the Twilio secret, and the X worker only its own', () => {
    const twilioSecret = JSON.stringify(envOf('send-sms').TWILIO_SECRET_ARN);
    const xSecret = JSON.stringify(envOf('post-to-x').X_SECRET_ARN);
    expect(twilioSecret).not.toBe(xSecret);
    expect(policiesOf('send-sms')).toContain(twilioSecret);
    expect(policiesOf('post-to-x')).toContain(xSecret);
    expect(policiesOf('post-to-x')).not.toContain(twilioSecret);
    for (const handler of [...API_ROUTES.map((r) => r.handler), ...WORKERS.map((w) => w.handler)]) {
      const secretArns = ['TWILIO_SECRET_ARN', 'X_SECRET_ARN', 'FACEBOOK_SECRET_ARN'];
      const ownSecret = secretArns.find((name) => envOf(handler)[name] !== undefined);
      const policies = policiesOf(handler);
      if (!TWILIO_SECRET_READERS.includes(handler)) expect(policies, handler).not.toContain(twilioSecret);
      if (!ownSecret) expect(policies, handler).not.toContain('secretsmanager:');
    }
  });

  it('runs the sweeper on an EventBridge schedule', () => {
    const rules = Object.values(resources(stateless, 'AWS::Events::Rule'));
    expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual(
      SCHEDULES.map(
        (schedule) => `rate(${schedule.everyMinutes} minute${schedule.everyMinutes === 1 ? '' : 's'})`,
      ),
    );
  });

  it('gives read routes no write, publish or scan rights and nobody a wildcard index', () => {
    for (const route of API_ROUTES.filter((r) => r.routeKey.startsWith('GET '))) {
      const policies = policiesOf(route.handler);
      expect(policies, route.handler).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
      expect(policies, route.handler).not.toContain('sns:Publish');
    }
    for (const policy of Object.values(resources(stateless, 'AWS::IAM::Policy'))) {
      const json = JSON.stringify(policy.Properties.PolicyDocument);
      expect(json).not.toContain('dynamodb:Scan');
      expect(json).not.toContain('/index/*');
    }
  });

  it('points handlers at their resources through the variables shared/config.ts reads', () => {
    for (const table of TABLES) expect(envOf('plan-broadcast')[table.envVar]).toBeDefined();
    expect(envOf('plan-broadcast').BROADCAST_TOPIC_ARN).toBeDefined();
    expect(envOf('publish-status').STATUS_BUCKET).toBeDefined();
    expect(envOf('send-sms')).toMatchObject({ TWILIO_FROM: '+358400000000' });
    expect(envOf('post-to-facebook')).toMatchObject({ FACEBOOK_PAGE_ID: '1234567890' });
  });

  it('makes exactly the manifest public routes public', () => {
    const routes = Object.values(resources(stateless, 'AWS::ApiGatewayV2::Route'));
    const open = routes
      .filter((route) => (route.Properties.AuthorizationType ?? 'NONE') === 'NONE')
      .map((route) => route.Properties.RouteKey);
    expect(open.sort()).toEqual(
      API_ROUTES.filter((route) => route.roles === 'public')
        .map((route) => route.routeKey)
        .sort(),
    );
  });

  it('gives handlers the settings of the selected context environment', () => {
    const sms = envOf('send-sms');
    expect(sms).toMatchObject({
      HERALD_SMS_MPS: String(TEST_ENVIRONMENT.smsPerSecond),
      HERALD_SMS_BATCH_SIZE: String(TEST_ENVIRONMENT.smsBatchSize),
      TWILIO_STATUS_CALLBACK_URL: `https://${TEST_ENVIRONMENT.apiDomainName}/webhooks/twilio/status`,
    });
    // The operator's completion estimate must use the rate the worker is paced at.
    expect(envOf('get-broadcast').HERALD_SMS_MPS).toBe(sms.HERALD_SMS_MPS);
    // The preview's ETA too, and a new incident's deadline is the environment's default.
    expect(envOf('preview-broadcast').HERALD_SMS_MPS).toBe(sms.HERALD_SMS_MPS);
    expect(envOf('create-incident').HERALD_NOTIFICATION_DEADLINE_MINUTES).toBe('20');
    for (const handler of ['plan-broadcast', 'sweep-stalled-broadcasts']) {
      expect(envOf(handler).HERALD_SMS_BATCH_SIZE, handler).toBe(String(TEST_ENVIRONMENT.smsBatchSize));
    }
    for (const handler of ['twilio-status-webhook', 'twilio-inbound-webhook']) {
      expect(envOf(handler).HERALD_PUBLIC_API_URL, handler).toBe(`https://${TEST_ENVIRONMENT.apiDomainName}`);
    }
    // Without a status domain the site is the CloudFront distribution's own name.
    expect(JSON.stringify(envOf('publish-status').HERALD_STATUS_SITE_URL)).toMatch(
      /https:\/\/.*StatusSiteDistribution.*DomainName/,
    );
    stateless.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: TEST_ENVIRONMENT.apiDomainName,
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: TEST_ENVIRONMENT.apiCertificateArn, SecurityPolicy: 'TLS_1_2' }),
      ],
    });
    stateless.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    for (const logGroup of [
      ...Object.values(resources(stateless, 'AWS::Logs::LogGroup')),
      ...Object.values(resources(stateful, 'AWS::Logs::LogGroup')),
    ]) {
      expect(logGroup.Properties.RetentionInDays).toBe(TEST_ENVIRONMENT.logRetentionDays);
    }
  });

  it('puts no provider credential in any function environment', () => {
    const credentialNames = Object.values(PROVIDER_SECRET_KEYS).flat();
    for (const fn of Object.values(resources(stateless, 'AWS::Lambda::Function'))) {
      const variables = Object.keys(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(variables.filter((name) => credentialNames.includes(name))).toEqual([]);
    }
  });

  it('reserves SMS worker concurrency for the context rate and caps its event source to match', () => {
    const expected = smsWorkerConcurrency(TEST_ENVIRONMENT.smsPerSecond);
    expect(expected).toBe(6);
    const [, sms] = functionOf('send-sms');
    expect(sms.Properties.ReservedConcurrentExecutions).toBe(expected);
    expect(eventSourceOf('send-sms').Properties.ScalingConfig).toEqual({ MaximumConcurrency: expected });
  });

  it('runs publish-status one invocation at a time, so rebuilds cannot finish out of order', () => {
    const [, status] = functionOf('publish-status');
    expect(status.Properties.ReservedConcurrentExecutions).toBe(1);
    // The lowest maximum an SQS event source takes.
    expect(eventSourceOf('publish-status').Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
  });
});

describe('approvals topic', () => {
  /** The approvals topic's logical id in the stateful stack (the one topic displayed as approvals). */
  function approvalsTopicId(): string {
    const topics = Object.entries(resources(stateful, 'AWS::SNS::Topic')).filter(
      ([, topic]) => topic.Properties.DisplayName === 'Herald test approvals',
    );
    return only(topics, 'approvals topic')[0];
  }

  it('is an SNS topic of its own, encrypted with a rotated customer-managed key, refusing plain HTTP', () => {
    const id = approvalsTopicId();
    const key = resources(stateful, 'AWS::SNS::Topic')[id]?.Properties.KmsMasterKeyId as
      | { 'Fn::GetAtt': [string, string] }
      | undefined;
    const keyId = key?.['Fn::GetAtt'][0] ?? 'no key';
    expect(resources(stateful, 'AWS::KMS::Key')[keyId]?.Properties.EnableKeyRotation).toBe(true);
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    stateful.hasOutput('ApprovalsTopicArn', { Value: { Ref: id } });
  });

  it("subscribes the context's comms leads by e-mail and SMS", () => {
    const id = approvalsTopicId();
    const subscriptions = Object.values(resources(stateful, 'AWS::SNS::Subscription'))
      .filter(
        (subscription) => JSON.stringify(subscription.Properties.TopicArn) === JSON.stringify({ Ref: id }),
      )
      .map((subscription) => [subscription.Properties.Protocol, subscription.Properties.Endpoint]);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        ['email', 'comms-leads@herald.example'],
        ['sms', '+358401110000'],
      ]),
    );
    expect(subscriptions).toHaveLength(2);
  });

  it('lets only the handlers that make something wait for approval publish to it, with the console link', () => {
    const notifying = ['create-broadcast', 'submit-template'];
    for (const handler of notifying) {
      expect(JSON.stringify(envOf(handler).APPROVALS_TOPIC_ARN), handler).toContain('ApprovalsTopic');
      expect(JSON.stringify(envOf(handler).HERALD_CONSOLE_URL), handler).toContain('/console/');
      expect(policiesOf(handler), handler).toMatch(/"sns:Publish".*ApprovalsTopic/);
    }
    for (const handler of [
      'approve-broadcast',
      'approve-template',
      'review-broadcast',
      'list-pending-approvals',
    ])
      expect(envOf(handler).APPROVALS_TOPIC_ARN, handler).toBeUndefined();
  });
});

describe('encryption', () => {
  it('encrypts every topic, queue, table and bucket in both stacks', () => {
    for (const template of [stateful, stateless]) {
      for (const topic of Object.values(resources(template, 'AWS::SNS::Topic'))) {
        expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      }
      for (const queue of Object.values(resources(template, 'AWS::SQS::Queue'))) {
        expect(queue.Properties.KmsMasterKeyId).toBeDefined();
      }
      for (const table of Object.values(resources(template, 'AWS::DynamoDB::Table'))) {
        expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      }
      for (const bucket of Object.values(resources(template, 'AWS::S3::Bucket'))) {
        expect(bucket.Properties.BucketEncryption).toBeDefined();
      }
    }
    expect(Object.keys(resources(stateless, 'AWS::SNS::Topic'))).toHaveLength(1);
  });
});

describe('monitoring', () => {
  const alarms = () => Object.values(resources(stateless, 'AWS::CloudWatch::Alarm'));
  const alarmTopicId = () => only(Object.keys(resources(stateless, 'AWS::SNS::Topic')), 'alarm topic');

  /** What a value imported from the stateful stack is there (`Fn::GetStackOutput` or `Fn::ImportValue`). */
  function statefulValue(value: unknown): unknown {
    const json = JSON.stringify(value);
    const outputs = (stateful.toJSON() as { Outputs: Record<string, { Value: unknown; Export?: unknown }> })
      .Outputs;
    const name = /"OutputName":"([^"]+)"/.exec(json)?.[1];
    if (name) return outputs[name]?.Value;
    const exportName = /"Fn::ImportValue":"([^"]+)"/.exec(json)?.[1];
    return Object.values(outputs).find((output) => JSON.stringify(output.Export).includes(`"${exportName}"`))
      ?.Value;
  }

  it('alarms on a message in any dead-letter queue, notifying the alarm topic', () => {
    const queues = resources(stateful, 'AWS::SQS::Queue');
    const dlqIds = Object.values(queues)
      .map(
        (queue) =>
          (queue.Properties.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt': string[] } })
            ?.deadLetterTargetArn,
      )
      .filter((arn) => arn !== undefined)
      .map((arn) => arn['Fn::GetAtt'][0]);
    expect(dlqIds).toHaveLength(WORKERS.length);
    const dlqAlarms = alarms().filter(
      (alarm) =>
        alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        String(alarm.Properties.AlarmName).endsWith('-dlq'),
    );
    const watched = dlqAlarms.map((alarm) => {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: alarmTopicId() }],
        OKActions: [{ Ref: alarmTopicId() }],
      });
      const [dimension] = alarm.Properties.Dimensions as { Name: string; Value: unknown }[];
      return (statefulValue(dimension?.Value) as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    });
    expect(watched.sort()).toEqual(dlqIds.sort());
  });

  it('alarms on a batch in the stream consumers’ failed-batch queues', () => {
    const failedBatchAlarms = alarms().filter((alarm) =>
      String(alarm.Properties.AlarmName).endsWith('-failed-batches'),
    );
    expect(failedBatchAlarms.map((alarm) => alarm.Properties.AlarmName)).toEqual(
      STREAM_CONSUMERS.map((consumer) => `herald-test-${consumer.handler}-failed-batches`),
    );
    for (const alarm of failedBatchAlarms)
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        AlarmActions: [{ Ref: alarmTopicId() }],
      });
  });

  it('alarms on errors of every worker, stream consumer and the sweeper, and on API 5xx', () => {
    const errorAlarms = alarms().filter(
      (alarm) => alarm.Properties.Namespace === 'AWS/Lambda' && alarm.Properties.MetricName === 'Errors',
    );
    const watchedFunctions = errorAlarms.map((alarm) =>
      (alarm.Properties.Dimensions as { Value: { Ref: string } }[]).map((d) => d.Value.Ref).join(),
    );
    const expected = [
      ...WORKERS.map((w) => w.handler),
      ...STREAM_CONSUMERS.map((c) => c.handler),
      ...SCHEDULES.map((s) => s.handler),
    ].map((handler) => functionOf(handler)[0]);
    expect(watchedFunctions.sort()).toEqual(expected.sort());

    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: Match.anyValue() }],
      Threshold: 1,
      AlarmActions: [{ Ref: alarmTopicId() }],
    });
  });

  it('alarms on Herald’s own metrics only as the handlers emit them (EMF), never on log text', () => {
    expect(Object.keys(resources(stateless, 'AWS::Logs::MetricFilter'))).toEqual([]);
    const emitted = new Set<string>(Object.values(METRIC));
    /** The metrics an alarm watches: its own, or each of its metric-math expression's. */
    const watched = (alarm: Resource) =>
      alarm.Properties.Metrics
        ? (alarm.Properties.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[]).flatMap(
            (query) => (query.MetricStat ? [query.MetricStat.Metric] : []),
          )
        : [alarm.Properties];
    const ownAlarms = alarms().filter((alarm) =>
      watched(alarm).some((metric) => !String(metric.Namespace).startsWith('AWS/')),
    );
    for (const alarm of ownAlarms) {
      for (const metric of watched(alarm)) {
        expect(metric.Namespace, String(alarm.Properties.AlarmName)).toBe('Herald/test');
        expect(emitted.has(String(metric.MetricName)), String(metric.MetricName)).toBe(true);
        expect(metric.Dimensions).toEqual([{ Name: 'service', Value: METRIC_SERVICE }]);
      }
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: alarmTopicId() }]);
    }
    const names = ownAlarms.map((alarm) => String(alarm.Properties.AlarmName)).sort();
    expect(names).toEqual([
      'herald-test-duplicates-suspected',
      'herald-test-sms-failures',
      'herald-test-stalled-broadcasts',
    ]);
    // The rest watch what AWS measures itself: queues, functions, the API.
    for (const alarm of alarms().filter((candidate) => !ownAlarms.includes(candidate)))
      expect(String(alarm.Properties.Namespace)).toMatch(/^AWS\/(SQS|Lambda|ApiGateway)$/);

    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'herald-test-stalled-broadcasts',
      MetricName: METRIC.stalledBroadcasts,
      Statistic: 'Sum',
      Threshold: 1,
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'herald-test-duplicates-suspected',
      MetricName: METRIC.duplicatesSuspected,
      Threshold: 1,
    });
  });

  it('gives every function the namespace its metrics are alarmed in', () => {
    for (const fn of Object.values(resources(stateless, 'AWS::Lambda::Function')).filter((candidate) =>
      String(candidate.Properties.Description).startsWith('Herald '),
    ))
      expect(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_METRICS_NAMESPACE,
      ).toBe('Herald/test');
  });

  it('sends alarms to an encrypted topic CloudWatch may use, emailed to the context address', () => {
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_ENVIRONMENT.alarmEmail,
      TopicArn: { Ref: alarmTopicId() },
    });
    stateless.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('has a broadcast dashboard: queues, workers, API, DynamoDB and every Herald metric', () => {
    const dashboard = only(Object.values(resources(stateless, 'AWS::CloudWatch::Dashboard')), 'dashboard');
    expect(dashboard.Properties.DashboardName).toBe('herald-test-broadcast');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'Invocations',
      'Errors',
      'Duration',
      '4xx',
      '5xx',
      'Latency',
      'ReadThrottleEvents',
      'WriteThrottleEvents',
      ...Object.values(METRIC),
    ]) {
      expect(body, metric).toContain(`\\"${metric}\\"`);
    }
    for (const worker of WORKERS) expect(body).toContain(`\\"label\\":\\"${worker.target}\\"`);
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
