/**
 * The esbuild bundles `cdk synth` builds for Herald's functions, for the local stack to run
 * (`HERALD_LAMBDA_CODE=bundle`). A synth with bundling takes minutes (36 bundles of about 7 MB,
 * minified with source maps), so its output is kept, keyed by a fingerprint of everything that
 * goes into a bundle, and built again only when that changes, by one process at a time. It is
 * kept outside the repository, as a deployed function has no node_modules around it: a bundle
 * that would need one (a dependency required at run time instead of bundled) fails here as it
 * would in Lambda.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { globSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildOnce } from './build-once.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
/** One cache per checkout, so one clone's clean-up never removes bundles another is running. */
const CACHE = path.join(
  tmpdir(),
  'herald-lambda-bundles',
  createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12),
);
/** Written by synth-bundles.ts beside the cloud assembly: handler name → bundle, relative to it. */
export const BUNDLES_FILE = 'bundles.json';
/** Everything a bundle is built from: the code, the CDK app that bundles it, the locked dependencies. */
const INPUTS = [
  'functions/**/*.ts',
  'shared/**/*.ts',
  'infra/cdk/**/*.ts',
  'infra/local/runtime/synth-bundles.ts',
  'package-lock.json',
  'tsconfig.json',
  'cdk.json',
];

function fingerprint(): string {
  const hash = createHash('sha256');
  for (const file of globSync(INPUTS, { cwd: REPO_ROOT }).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(REPO_ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Synthesizes into a scratch folder and moves it into place whole, so a half-built one is never used. */
async function synthesize(target: string): Promise<void> {
  const scratch = `${target}.building-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(path.dirname(scratch), { recursive: true });
  console.log('Building the Lambda bundles with cdk synth (minutes; cached afterwards)…');
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'synth-bundles.ts'), scratch],
    { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  // Another stack may have built the same bundles meanwhile: theirs are as good.
  await rename(scratch, target).catch(() => rm(scratch, { recursive: true, force: true }));
  // Bundles of earlier sources are never used again; each build is about 400 MB.
  for (const entry of await readdir(CACHE)) {
    const folder = path.join(CACHE, entry);
    if (folder !== target && !entry.includes('.building-') && !entry.includes('.lock'))
      await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Each function's bundle as a module URL, by handler name; built first if not cached, or waited
 * for while another process builds them.
 */
export async function lambdaBundles(): Promise<Map<string, string>> {
  const target = path.join(CACHE, fingerprint());
  await buildOnce(target, BUNDLES_FILE, synthesize, () =>
    console.log('Waiting for the Lambda bundles another process is building…'),
  );
  const bundles = JSON.parse(await readFile(path.join(target, BUNDLES_FILE), 'utf8')) as Record<
    string,
    string
  >;
  return new Map(
    Object.entries(bundles).map(([handler, file]) => [handler, pathToFileURL(path.join(target, file)).href]),
  );
}
