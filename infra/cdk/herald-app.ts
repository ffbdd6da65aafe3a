import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SMS_MAX_CONCURRENCY, SMS_SENDS_PER_INVOCATION_PER_SECOND } from '#functions/manifest.ts';
import { REPO_ROOT } from './constructs/herald-function.ts';
import { type HeraldConfig, loadHeraldConfig } from './herald-config.ts';
import { HeraldStatefulStack } from './stateful-stack.ts';
import { HeraldStatelessStack } from './stateless-stack.ts';

/** The context of cdk.json: feature flags and the committed environments. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** Context key: where the built console is (default `console/dist`), e.g. a CI artifact. */
export const CONSOLE_DIST_CONTEXT_KEY = 'herald:consoleDist';

function consoleDistOf(app: App): string {
  const dist: unknown = app.node.tryGetContext(CONSOLE_DIST_CONTEXT_KEY);
  return typeof dist === 'string' && dist.length > 0
    ? path.resolve(dist)
    : path.join(REPO_ROOT, 'console', 'dist');
}

export interface HeraldStacks {
  readonly config: HeraldConfig;
  readonly stateful: HeraldStatefulStack;
  readonly stateless: HeraldStatelessStack;
}

/**
 * Adds Herald's two stacks to `app` and checks them with cdk-nag (AWS Solutions).
 * Steps: 1. the environment's settings from context (`-c env=…`), validated once; 2. the
 * stateful stack (data, bus, site, secrets, users); 3. the stateless stack (API, workers,
 * alarms, dashboard), wired to it through props; 4. the nag pack as a synth-time validation.
 * An environment without `account` synthesizes environment-agnostic stacks, offline.
 * @throws HeraldContextError when the context is missing a key or holds a bad value.
 */
export function buildHerald(app: App): HeraldStacks {
  const config = loadHeraldConfig(app.node);
  Tags.of(app).add('project', 'herald');
  Tags.of(app).add('environment', config.envName);
  const env = { ...(config.account ? { account: config.account } : {}), region: config.region };

  const stateful = new HeraldStatefulStack(app, 'HeraldStateful', {
    stackName: `herald-${config.envName}-stateful`,
    description: `Herald data, messaging, status site, secrets and users (${config.envName})`,
    env,
    terminationProtection: true,
    ...(config.statusDomain ? { statusDomain: config.statusDomain } : {}),
    envName: config.envName,
    ...(config.authDomainPrefix ? { authDomainPrefix: config.authDomainPrefix } : {}),
    approvalEmails: config.approvalEmails,
    approvalPhones: config.approvalPhones,
  });
  const stateless = new HeraldStatelessStack(app, 'HeraldStateless', {
    stackName: `herald-${config.envName}-stateless`,
    description: `Herald API, worker functions, alarms and dashboard (${config.envName})`,
    env,
    tables: stateful.tables,
    bus: stateful.bus,
    approvals: stateful.approvals,
    statusSite: stateful.statusSite,
    secrets: stateful.secrets,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    authDomain: stateful.authDomain,
    consoleDist: consoleDistOf(app),
    config,
  });

  const reachable = config.smsConcurrency * SMS_SENDS_PER_INVOCATION_PER_SECOND;
  if (config.smsConcurrency === SMS_MAX_CONCURRENCY && reachable < config.smsPerSecond) {
    Annotations.of(stateless).addWarningV2(
      'herald:sms-concurrency-capped',
      `smsPerSecond ${config.smsPerSecond} needs more than ${SMS_MAX_CONCURRENCY} SMS workers; they reach about ${reachable}/s.`,
    );
  }
  if (!config.alarmEmail) {
    Annotations.of(stateless).addWarningV2(
      'herald:no-alarm-email',
      `Context 'alarmEmail' is not set for '${config.envName}': alarms go to the AlarmTopic with no subscriber until someone subscribes.`,
    );
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, stateful, stateless };
}
