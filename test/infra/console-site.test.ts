import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/cdk/constructs/herald-function.ts';
import { buildHerald, CONSOLE_DIST_CONTEXT_KEY, cdkJsonContext } from '#infra/cdk/herald-app.ts';
import { TEST_ENVIRONMENT } from './synth-herald.ts';

let work: string;
let stateful: Template;
let stateless: Template;

/** Builds the console into a scratch directory (never racing other suites over console/dist), then synthesizes. */
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'herald-console-'));
  const dist = path.join(work, 'dist');
  execFileSync('npx', ['vite', 'build', '--config', 'console/vite.config.ts', '--outDir', dist], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  const app = new App({
    outdir: path.join(work, 'cdk.out'),
    context: {
      ...cdkJsonContext(),
      'herald:environments': {
        test: { ...TEST_ENVIRONMENT, authDomainPrefix: 'herald-test-ops', timeZone: 'Europe/Helsinki' },
      },
      env: 'test',
      [CONSOLE_DIST_CONTEXT_KEY]: dist,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = buildHerald(app);
  const assembly = app.synth();
  stateful = Template.fromJSON(assembly.getStackByName(stacks.stateful.stackName).template);
  stateless = Template.fromJSON(assembly.getStackByName(stacks.stateless.stackName).template);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the operations console in AWS', () => {
  it('serves /console/* from a private bucket of its own through Origin Access Control', () => {
    const text = JSON.stringify(stateful.toJSON());
    const distribution = Object.values(stateful.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: {
        DistributionConfig: {
          CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
          Origins: {
            Id: string;
            OriginAccessControlId?: unknown;
            S3OriginConfig?: { OriginAccessIdentity: string };
          }[];
        };
      };
    };
    const behavior = distribution.Properties.DistributionConfig.CacheBehaviors.find(
      (b) => b.PathPattern === '/console/*',
    );
    expect(behavior).toBeDefined();
    const origin = distribution.Properties.DistributionConfig.Origins.find(
      (o) => o.Id === behavior?.TargetOriginId,
    );
    expect(origin?.OriginAccessControlId).toBeDefined();
    expect(origin?.S3OriginConfig?.OriginAccessIdentity).toBe('');
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(text).toContain('herald-test-console-');
  });

  it("deploys the build and a config.json with the API URL, the console client id and the ops room's zone", () => {
    const [deployment] = Object.values(stateless.findResources('Custom::CDKBucketDeployment')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(deployment).toBeDefined();
    expect(deployment?.Properties.DestinationBucketKeyPrefix).toBe('console/');
    expect(deployment?.Properties.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
    // The API URL (the custom domain here) is literal in the asset; the rest are markers.
    expect(markers).toContain('UserPoolConsoleClient');
    expect(markers).toContain('UserPoolHostedUi');
    expect(markers).toContain('StatusSiteDistribution');
    const out = path.join(work, 'cdk.out');
    const configs = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('config.json'))
      .map((file) => JSON.parse(readFileSync(path.join(out, file), 'utf8')) as Record<string, unknown>);
    expect(configs).toContainEqual(
      expect.objectContaining({
        apiUrl: 'https://api.herald.example',
        auth: expect.objectContaining({
          kind: 'cognito',
          clientId: expect.stringContaining('<<marker:0xbaba:1>>'),
        }),
        timeZone: 'Europe/Helsinki',
      }),
    );
  });

  it('lets the console client use only the code flow, back to the console URL', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'herald-test-ops' });
    const clients = Object.values(stateful.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(clients).toHaveLength(1);
    const client = clients[0]?.Properties ?? {};
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(client.GenerateSecret).toBe(false);
    for (const urls of [client.CallbackURLs, client.LogoutURLs]) {
      expect(JSON.stringify(urls)).toContain('/console/');
      expect(urls as unknown[]).toHaveLength(1);
    }
  });

  it('lets the console origin call the API across origins', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      }),
    });
  });
});
