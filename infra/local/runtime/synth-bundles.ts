/**
 * `tsx infra/local/runtime/synth-bundles.ts <outdir>`: synthesizes Herald's stateless stack into
 * `outdir` with its functions bundled, exactly as `cdk synth` bundles them for deployment, and
 * writes `bundles.json` there: each function's handler name → its bundle, relative to `outdir`.
 * Run in a process of its own by lambda-bundles.ts, so the CDK's memory goes with it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildHerald, cdkJsonContext } from '#infra/cdk/herald-app.ts';
import { ENVIRONMENTS_CONTEXT_KEY } from '#infra/cdk/herald-config.ts';
import { BUNDLES_FILE } from './lambda-bundles.ts';

interface LambdaResource {
  Type: string;
  Properties: { Description?: string; Handler?: string; Code?: { S3Key?: string } };
}

const [outdir] = process.argv.slice(2);
if (!outdir) throw new Error('usage: synth-bundles.ts <outdir>');

const context = cdkJsonContext();
const environments = context[ENVIRONMENTS_CONTEXT_KEY] as Record<string, Record<string, unknown>>;
const app = new App({
  outdir,
  context: {
    ...context,
    env: 'dev',
    // Functions deployed only with a context key set are bundled too, so a local stack with the
    // setting on (HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY) finds theirs; the ARN is never called.
    [ENVIRONMENTS_CONTEXT_KEY]: {
      ...environments,
      dev: {
        ...environments.dev,
        smsFallback: {
          originationIdentityArn: 'arn:aws:sms-voice:eu-north-1:000000000000:pool/bundles-only',
        },
      },
    },
    'aws:cdk:bundling-stacks': ['HeraldStateless'],
    // The bundles are wanted even when a cdk-nag finding is not acknowledged yet (the infra tests catch it).
    '@aws-cdk/core:failSynthOnValidationErrors': false,
  },
});
const { stateless } = buildHerald(app);
const template = app.synth().getStackByName(stateless.stackName).template as {
  Resources: Record<string, LambdaResource>;
};

const bundles: Record<string, string> = {};
for (const { Type, Properties } of Object.values(template.Resources)) {
  const handler = Properties.Description?.match(/^Herald (\S+)$/)?.[1];
  const assetHash = Properties.Code?.S3Key?.replace(/\.zip$/, '');
  if (Type !== 'AWS::Lambda::Function' || !handler || !assetHash) continue;
  // The Lambda runtime loads `<file>.<export>` from the asset's root: index.handler → index.mjs.
  const file = `${(Properties.Handler ?? 'index.handler').split('.')[0]}.mjs`;
  bundles[handler] = path.join(`asset.${assetHash}`, file);
}
writeFileSync(path.join(outdir, BUNDLES_FILE), JSON.stringify(bundles, null, 2));
