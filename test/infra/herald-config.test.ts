import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsWorkerConcurrency } from '#functions/manifest.ts';
import { REPO_ROOT } from '#infra/cdk/constructs/herald-function.ts';
import { buildHerald, cdkJsonContext } from '#infra/cdk/herald-app.ts';
import { HeraldContextError } from '#infra/cdk/herald-config.ts';
import {
  environmentOf,
  heraldApp,
  lambdaOf,
  resourcesOf,
  type SynthesizedHerald,
  synthHerald,
  TEST_ENVIRONMENT,
} from './synth-herald.ts';

/** Builds the app for one environment block; throws what synth would. */
function build(environment: Record<string, unknown>): void {
  buildHerald(heraldApp(environment));
}

describe('context validation', () => {
  it.each([
    [{ smsPerSecond: 'fast' }, 'herald:environments.test.smsPerSecond'],
    [{ smsPerSecond: 0 }, 'herald:environments.test.smsPerSecond'],
    [{ smsPerSec: 5 }, 'herald:environments.test.smsPerSec: unknown key'],
    [{ twilioFrom: '0401234567' }, 'herald:environments.test.twilioFrom'],
    [{ account: '1234' }, 'herald:environments.test.account'],
    [{ logRetentionDays: 42 }, 'herald:environments.test.logRetentionDays'],
    [{ alarmEmail: 'on-call' }, 'herald:environments.test.alarmEmail'],
    [{ approvalEmails: ['comms'] }, 'herald:environments.test.approvalEmails.0'],
    [{ approvalPhones: ['0401234567'] }, 'herald:environments.test.approvalPhones.0'],
    [{ timeZone: 'Europe/Helsinky' }, 'herald:environments.test.timeZone'],
    [{ notificationDeadlineMinutes: 0 }, 'herald:environments.test.notificationDeadlineMinutes'],
    [{ notificationDeadlineMinutes: 30.5 }, 'herald:environments.test.notificationDeadlineMinutes'],
    [{ exerciseNumbers: ['+358401110001', '0401110002'] }, 'herald:environments.test.exerciseNumbers.1'],
    [{ exerciseNumbers: ['+358401110001', '+358401110001'] }, 'herald:environments.test.exerciseNumbers'],
    [
      { apiDomainName: 'api.herald.example', apiCertificateArn: undefined },
      'herald:environments.test.apiCertificateArn',
    ],
    [
      {
        statusDomainName: 'status.herald.example',
        statusCertificateArn: 'arn:aws:acm:eu-north-1:123456789012:certificate/abc-123',
      },
      'herald:environments.test.statusCertificateArn: the certificate must be in us-east-1',
    ],
    // 100 recipients at 1 SMS/s shared by two workers: ~200 s, longer than the worker may run.
    [{ smsPerSecond: 1, smsBatchSize: 100 }, 'herald:environments.test.smsBatchSize'],
  ])('refuses %j, naming %s', (override, key) => {
    const environment = { ...TEST_ENVIRONMENT, ...override };
    expect(() => build(environment)).toThrow(HeraldContextError);
    expect(() => build(environment)).toThrow(key);
  });

  it('names every key a production environment lacks', () => {
    expect(() => build({ production: true })).toThrow(
      /\.account: required.*\.twilioFrom: required.*\.facebookPageId: required.*\.alarmEmail: required/s,
    );
  });

  it('names the environment when -c env selects no block', () => {
    const app = new App({ context: { ...cdkJsonContext(), env: 'staging' } });
    expect(() => buildHerald(app)).toThrow(
      "Context 'env' is 'staging', but 'herald:environments' has no such block (known: dev, prod)",
    );
  });

  it('fails `cdk synth -c env=prod` with the committed prod block, naming the missing keys', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'herald-cdk-'));
    try {
      // What `cdk synth -c env=prod` runs: the app, with the context in CDK_CONTEXT_JSON.
      const result = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['infra/cdk/app.ts'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), env: 'prod' }),
          CDK_OUTDIR: outdir,
        },
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('HeraldContextError');
      for (const key of ['account', 'twilioFrom', 'facebookPageId', 'alarmEmail']) {
        expect(result.stderr).toContain(`herald:environments.prod.${key}: required when production is true`);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  // The whole app synthesized: about 16 s alone on 2 cores, over 30 s beside the e2e stacks.
  it('synthesizes the committed dev environment offline, warning about the settings it lacks', () => {
    const app = new App({
      context: {
        ...cdkJsonContext(),
        'aws:cdk:bundling-stacks': [],
        '@aws-cdk/core:failSynthOnValidationErrors': false,
      },
    });
    const { config, stateless } = buildHerald(app);
    app.synth();
    expect(config).toMatchObject({ envName: 'dev', region: 'eu-north-1', smsPerSecond: 1 });
    expect(config.account).toBeUndefined();
    const warnings = Annotations.fromStack(stateless)
      .findWarning('*', Match.stringLikeRegexp('.*'))
      .map((warning) => String(warning.entry.data));
    expect(warnings.join('\n')).toMatch(/Context 'twilioFrom' is not set/);
    expect(warnings.join('\n')).toMatch(/Context 'alarmEmail' is not set/);
  }, 90_000);
});

describe('SMS worker concurrency', () => {
  it('follows the rate: fifty sends a second per invocation (25 in flight), at least 2, at most 100', () => {
    expect(smsWorkerConcurrency(1)).toBe(2);
    expect(smsWorkerConcurrency(100)).toBe(2);
    expect(smsWorkerConcurrency(101)).toBe(3);
    expect(smsWorkerConcurrency(1000)).toBe(20);
    expect(smsWorkerConcurrency(10_000)).toBe(100);
  });
});

describe('an environment at 1 SMS/s with a status domain and no API domain', () => {
  let synthesized: SynthesizedHerald;
  let stateful: Template;
  let stateless: Template;

  beforeAll(() => {
    const { apiDomainName: _name, apiCertificateArn: _arn, ...withoutApiDomain } = TEST_ENVIRONMENT;
    synthesized = synthHerald({
      ...withoutApiDomain,
      smsPerSecond: 1,
      exerciseNumbers: ['+358401110001', '+46701110002'],
      statusDomainName: 'status.herald.example',
      statusCertificateArn:
        'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000',
    });
    ({ stateful, stateless } = synthesized);
  });

  afterAll(() => synthesized.dispose());

  it('reserves the floor of two SMS workers and caps the event source at two', () => {
    const [smsId, sms] = lambdaOf(stateless, 'send-sms');
    expect(sms.Properties.ReservedConcurrentExecutions).toBe(2);
    // The queue invokes the alias holding the worker's provisioned concurrency.
    const [aliasId] = Object.entries(stateless.findResources('AWS::Lambda::Alias')).find(
      ([, alias]) => JSON.stringify(alias.Properties.FunctionName) === JSON.stringify({ Ref: smsId }),
    ) ?? [''];
    const mapping = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')).find(
      (candidate) =>
        JSON.stringify(candidate.Properties.FunctionName).includes(JSON.stringify({ Ref: aliasId })),
    );
    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(environmentOf(stateless, 'send-sms').HERALD_SMS_MPS).toBe('1');
  });

  it("gives the exercise's test numbers to those that plan, send and show its SMS", () => {
    for (const handler of ['plan-broadcast', 'send-sms', 'list-deliveries', 'export-evidence'])
      expect(environmentOf(stateless, handler).HERALD_EXERCISE_NUMBERS, handler).toBe(
        '+358401110001,+46701110002',
      );
  });

  it("points Twilio's URLs at the API's own endpoint without a dependency cycle", () => {
    const [apiId] = Object.keys(resourcesOf(stateless, 'AWS::ApiGatewayV2::Api'));
    const endpoint = { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] };
    expect(environmentOf(stateless, 'twilio-status-webhook').HERALD_PUBLIC_API_URL).toEqual(endpoint);
    expect(environmentOf(stateless, 'send-sms').TWILIO_STATUS_CALLBACK_URL).toEqual({
      'Fn::Join': ['', [endpoint, '/webhooks/twilio/status']],
    });
    stateless.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    // The functions depend on the API resource, its routes and integrations on the functions:
    // no cycle, which the assertions library checks as it loads a template.
    expect(() => Template.fromJSON(stateless.toJSON())).not.toThrow();
  });

  it('serves the status site on its domain with TLS 1.2 and links feeds to it', () => {
    stateful.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['status.herald.example'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    expect(environmentOf(stateless, 'publish-status').HERALD_STATUS_SITE_URL).toBe(
      'https://status.herald.example',
    );
  });

  it('passes cdk-nag without the no-custom-domain acknowledgement', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});
