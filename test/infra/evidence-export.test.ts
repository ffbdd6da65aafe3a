import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '#shared/tables.ts';
import {
  environmentOf,
  resourcesOf,
  type SynthesizedHerald,
  synthHerald,
  TEST_ENVIRONMENT,
} from './synth-herald.ts';

/** Issue 17, evidence export: what AWS needs for the route beyond what every read route gets. */
describe('evidence export in CDK', () => {
  let herald: SynthesizedHerald;
  beforeAll(() => {
    herald = synthHerald(TEST_ENVIRONMENT);
  });
  afterAll(() => herald?.dispose());

  it('lets the console on the CloudFront origin read the Link header that names the next page', () => {
    const [api] = Object.values(resourcesOf(herald.stateless, 'AWS::ApiGatewayV2::Api'));
    const cors = api?.Properties.CorsConfiguration as { ExposeHeaders?: string[] } | undefined;
    expect(cors?.ExposeHeaders).toContain('link');
  });

  it('points the export at the tables it reads: the incident and broadcasts, the ledger, the customers', () => {
    const environment = environmentOf(herald.stateless, 'export-evidence');
    for (const key of ['herald', 'deliveries', 'customers'])
      expect(environment[TABLES.find((table) => table.key === key)?.envVar ?? '']).toBeDefined();
  });
});
