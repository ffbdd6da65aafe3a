import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, HeraldFunction } from '#infra/cdk/constructs/herald-function.ts';

// Posts to X: its bundle holds twitter-text, the one dependency importing a deprecated built-in.
const HANDLER = 'post-to-x';

let outdir: string;
let template: Template;
let bundle: string;
let bundleDir: string;

/** One function bundled for real with the local esbuild, as `cdk synth` does for all of them. */
beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'herald-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundleProbe');
  new HeraldFunction(stack, 'Probe', { handler: HANDLER });
  const assembly = app.synth();
  template = Template.fromJSON(assembly.getStackByName('BundleProbe').template);

  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  const s3Key: unknown = fn?.Properties?.Code?.S3Key;
  if (typeof s3Key !== 'string') throw new Error('function code is not an S3 asset');
  bundleDir = path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
  bundle = readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8');
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('HeraldFunction bundling', () => {
  it('emits an ESM bundle that starts with the createRequire banner for CommonJS dependencies', () => {
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
  });

  it('ships a source map and bundles the AWS SDK instead of relying on the runtime copy', () => {
    expect(existsSync(path.join(bundleDir, 'index.mjs.map'))).toBe(true);
    expect(bundle).toContain('sourceMappingURL=index.mjs.map');
    expect(bundle).toContain('DynamoDBClient');
  });

  it('bundles the npm punycode twitter-text asks for, not the deprecated Node built-in', () => {
    expect(bundle.match(/from\s*"(node:)?punycode"|require\("(node:)?punycode"\)/)?.[0]).toBeUndefined();
    expect(bundle.includes('toASCII')).toBe(true);
  });
});
