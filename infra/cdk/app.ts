/** The CDK app (`cdk.json`: `npx tsx infra/cdk/app.ts`). */
import { App } from 'aws-cdk-lib';
import { buildHerald } from './herald-app.ts';

buildHerald(new App());
