import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildHerald, cdkJsonContext, type HeraldStacks } from '#infra/cdk/herald-app.ts';

/** A complete environment block, as an operator would write it for a test deployment. */
export const TEST_ENVIRONMENT = {
  region: 'eu-north-1',
  twilioFrom: '+358400000000',
  facebookPageId: '1234567890',
  smsPerSecond: 300,
  smsBatchSize: 10,
  notificationDeadlineMinutes: 20,
  apiDomainName: 'api.herald.example',
  apiCertificateArn: 'arn:aws:acm:eu-north-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  logRetentionDays: 30,
  alarmEmail: 'oncall@herald.example',
  approvalEmails: ['comms-leads@herald.example'],
  approvalPhones: ['+358401110000'],
};

/** An app with cdk.json's context, `herald:environments.test` set to `environment`, selected by `env`. */
export function heraldApp(environment: Record<string, unknown>, outdir?: string): App {
  return new App({
    ...(outdir ? { outdir } : {}),
    context: {
      ...cdkJsonContext(),
      'herald:environments': { test: environment },
      env: 'test',
      // Bundling every function takes seconds each; herald-function.test.ts bundles one for real.
      'aws:cdk:bundling-stacks': [],
      // Let synth finish so the cdk-nag test can list the findings instead of failing setup.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
}

export interface SynthesizedHerald {
  readonly app: App;
  readonly stacks: HeraldStacks;
  readonly stateful: Template;
  readonly stateless: Template;
  /** Removes the cloud assembly directory. */
  readonly dispose: () => void;
}

/** Synthesizes Herald for one environment block, without bundling. */
export function synthHerald(environment: Record<string, unknown>): SynthesizedHerald {
  const outdir = mkdtempSync(path.join(tmpdir(), 'herald-cdk-'));
  const app = heraldApp(environment, outdir);
  const stacks = buildHerald(app);
  const assembly = app.synth();
  return {
    app,
    stacks,
    stateful: Template.fromJSON(assembly.getStackByName(stacks.stateful.stackName).template),
    stateless: Template.fromJSON(assembly.getStackByName(stacks.stateless.stackName).template),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export type Resource = { Type: string; Properties: Record<string, unknown> };

/** The resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The function whose description names the handler (HeraldFunction sets `Herald <handler>`), with its id. */
export function lambdaOf(template: Template, handler: string): [string, Resource] {
  const matches = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Description === `Herald ${handler}`,
  );
  if (matches.length !== 1) throw new Error(`${matches.length} functions for ${handler}`);
  return matches[0] as [string, Resource];
}

/** The environment variables of the handler's function. */
export function environmentOf(template: Template, handler: string): Record<string, unknown> {
  const [, fn] = lambdaOf(template, handler);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}
