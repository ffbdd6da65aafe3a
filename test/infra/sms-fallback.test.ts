import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '#functions/manifest.ts';
import {
  environmentOf,
  lambdaOf,
  resourcesOf,
  type SynthesizedHerald,
  synthHerald,
  TEST_ENVIRONMENT,
} from './synth-herald.ts';

const POOL_ARN = 'arn:aws:sms-voice:eu-north-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';

describe('an environment with the fallback SMS provider', () => {
  let synthesized: SynthesizedHerald;
  let stateless: Template;

  beforeAll(() => {
    synthesized = synthHerald({
      ...TEST_ENVIRONMENT,
      smsFallback: { originationIdentityArn: POOL_ARN, prefixes: ['+7'] },
    });
    ({ stateless } = synthesized);
  });
  afterAll(() => synthesized.dispose());

  it('deploys every function of the manifest, each once: the local stack takes its bundles from such a synth', () => {
    const handlers = Object.values(resourcesOf(stateless, 'AWS::Lambda::Function')).flatMap(
      (fn) => String(fn.Properties.Description).match(/^Herald (\S+)$/)?.[1] ?? [],
    );
    expect(handlers.sort()).toEqual([...HANDLERS].sort());
  });

  it('lets the SMS worker send through the pool with the configuration set, and nothing more of sms-voice', () => {
    const [, sms] = lambdaOf(stateless, 'send-sms');
    const roleId = JSON.stringify(sms.Properties.Role).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1];
    const [configurationSetId] = Object.keys(resourcesOf(stateless, 'AWS::SMSVOICE::ConfigurationSet'));
    const statements = Object.values(resourcesOf(stateless, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('sms-voice'));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'sms-voice:SendTextMessage',
        Resource: [POOL_ARN, { 'Fn::GetAtt': [configurationSetId, 'Arn'] }],
      }),
    ]);
  });

  it('configures the worker with the pool, the configuration set and the prefixes', () => {
    const [configurationSetId] = Object.keys(resourcesOf(stateless, 'AWS::SMSVOICE::ConfigurationSet'));
    expect(environmentOf(stateless, 'send-sms')).toMatchObject({
      HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: POOL_ARN,
      HERALD_SMS_FALLBACK_CONFIGURATION_SET: { Ref: configurationSetId },
      HERALD_SMS_FALLBACK_PREFIXES: '+7',
    });
  });

  it('sends every SMS event to a topic the service may publish to, feeding record-sms-events', () => {
    const [topicId] = Object.keys(resourcesOf(stateless, 'AWS::SNS::Topic')).filter((id) =>
      id.includes('SmsFallback'),
    );
    stateless.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      EventDestinations: [
        Match.objectLike({
          Enabled: true,
          MatchingEventTypes: ['TEXT_ALL'],
          SnsDestination: { TopicArn: { Ref: topicId } },
        }),
      ],
    });
    stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' } }),
        ]),
      }),
    });
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    const [eventsId] = lambdaOf(stateless, 'record-sms-events');
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: eventsId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms on the events consumer’s errors and on an event in its dead-letter queue', () => {
    const [eventsId] = lambdaOf(stateless, 'record-sms-events');
    const [deadLettersId] = Object.keys(resourcesOf(stateless, 'AWS::SQS::Queue')).filter((id) =>
      id.includes('EventsDeadLetters'),
    );
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'herald-test-record-sms-events-errors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: eventsId } }],
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'herald-test-record-sms-events-dlq',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it('passes cdk-nag', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);
    const violations = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.resourceLogicalId}`),
    );
    expect(violations).toEqual([]);
  });
});

describe('an environment without it', () => {
  it('creates no sms-voice resource and leaves the worker on Twilio alone', () => {
    const synthesized = synthHerald(TEST_ENVIRONMENT);
    try {
      synthesized.stateless.resourceCountIs('AWS::SMSVOICE::ConfigurationSet', 0);
      expect(
        environmentOf(synthesized.stateless, 'send-sms').HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY,
      ).toBeUndefined();
      expect(() => lambdaOf(synthesized.stateless, 'record-sms-events')).toThrow();
    } finally {
      synthesized.dispose();
    }
  });
});
