import { type App, Tags, Validations } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HeraldStatefulStack } from './stateful-stack.ts';
import { HeraldStatelessStack } from './stateless-stack.ts';

export interface HeraldStacks {
  readonly stateful: HeraldStatefulStack;
  readonly stateless: HeraldStatelessStack;
}

function stringContext(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Adds Herald's two stacks to `app` and checks them with cdk-nag (AWS Solutions).
 * Steps: 1. the stateful stack (data, bus, site, secrets, users); 2. the stateless stack,
 * wired to it through props; 3. the nag pack as a synth-time validation plugin.
 * The stacks are environment-agnostic, so `cdk synth` needs no AWS account.
 */
export function buildHerald(app: App): HeraldStacks {
  Tags.of(app).add('project', 'herald');
  const retentionDays: unknown = app.node.tryGetContext('herald:logRetentionDays');
  const logRetention = typeof retentionDays === 'number' ? (retentionDays as logs.RetentionDays) : undefined;

  const stateful = new HeraldStatefulStack(app, 'HeraldStateful', {
    description: 'Herald data, messaging, status site, secrets and users',
    terminationProtection: true,
  });
  const stateless = new HeraldStatelessStack(app, 'HeraldStateless', {
    description: 'Herald API and worker functions',
    tables: stateful.tables,
    bus: stateful.bus,
    statusSite: stateful.statusSite,
    secrets: stateful.secrets,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    twilioFrom: stringContext(app, 'herald:twilioFrom'),
    facebookPageId: stringContext(app, 'herald:facebookPageId'),
    ...(logRetention ? { logRetention } : {}),
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless };
}
