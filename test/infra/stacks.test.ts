import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, SCHEDULES, WORKERS } from '#functions/manifest.ts';
import { REPO_ROOT } from '#infra/cdk/constructs/herald-function.ts';
import { buildHerald } from '#infra/cdk/herald-app.ts';
import { TABLES } from '#infra/tables.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;

let app: App;
let outdir: string;
let stateful: Template;
let stateless: Template;

/** The app as `cdk synth` builds it (cdk.json context and feature flags), without bundling. */
beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  outdir = mkdtempSync(path.join(tmpdir(), 'herald-cdk-'));
  app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      'herald:twilioFrom': '+358400000000',
      'herald:facebookPageId': '1234567890',
      // Bundling ten functions takes seconds each; herald-function.test.ts bundles one for real.
      'aws:cdk:bundling-stacks': [],
      // Let synth finish so the cdk-nag test below can list the findings instead of failing setup.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = buildHerald(app);
  const assembly = app.synth();
  stateful = Template.fromJSON(assembly.getStackByName(stacks.stateful.stackName).template);
  stateless = Template.fromJSON(assembly.getStackByName(stacks.stateless.stackName).template);
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

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

  it('rotates every customer-managed key', () => {
    for (const key of Object.values(resources(stateful, 'AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
  });

  it('gives each worker a KMS-encrypted queue subscribed raw with its target filter and a DLQ after maxReceiveCount', () => {
    const subscriptions = Object.values(resources(stateful, 'AWS::SNS::Subscription'));
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
    stateful.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
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
  it('runs every Lambda on nodejs24.x, arm64, with active tracing: one per route, worker and schedule', () => {
    const functions = Object.values(resources(stateless, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(API_ROUTES.length + WORKERS.length + SCHEDULES.length);
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

  it('feeds each worker from its queue with its batch size, partial batch failures and a timeout below the visibility timeout', () => {
    const mappings = Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(WORKERS.length);
    for (const worker of WORKERS) {
      const [functionId, fn] = functionOf(worker.handler);
      const mapping = only(
        mappings.filter(
          (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: functionId }),
        ),
        `event source of ${worker.handler}`,
      );
      expect(mapping.Properties).toMatchObject({
        BatchSize: worker.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(
        new RegExp(`Bus${worker.handler.replaceAll('-', '')}`),
      );
      expect(fn.Properties.Timeout as number).toBeLessThan(worker.visibilityTimeoutSeconds);
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
