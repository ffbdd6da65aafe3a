/** The CDK app (`cdk.json`: `npx tsx infra/cdk/app.ts`). */
import { App } from 'aws-cdk-lib';
import { buildHerald } from './herald-app.ts';
import { HeraldContextError } from './herald-config.ts';

try {
  buildHerald(new App());
} catch (error) {
  // A context mistake is the operator's to fix: the message names the keys, a stack trace adds nothing.
  if (!(error instanceof HeraldContextError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
}
