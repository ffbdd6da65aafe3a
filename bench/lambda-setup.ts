/**
 * How a benchmark runs Herald's functions, the same for every benchmark: faithfully (each
 * function in instances of its own, as in Lambda) unless BENCH_RUNTIME=in-process, from the
 * deployment bundles `cdk synth` builds unless BENCH_CODE=source. Source code starts each new
 * instance through tsx, seconds of cold start a deployed bundle does not have, so a benchmark
 * that scales instances out measures tsx rather than Herald when it runs the sources.
 */
import { lambdaBundles } from '#infra/local/runtime/lambda-bundles.ts';
import type { LambdaCode, LambdaRuntime } from '#infra/local/runtime/local-lambda.ts';

/** The stack's runtime (HERALD_LAMBDA_RUNTIME). */
export const BENCH_RUNTIME: LambdaRuntime =
  process.env.BENCH_RUNTIME === 'in-process' ? 'in-process' : 'faithful';
/** The functions' code (HERALD_LAMBDA_CODE). */
export const BENCH_CODE: LambdaCode = process.env.BENCH_CODE === 'source' ? 'source' : 'bundle';

/** The stack settings that apply the choice. */
export const benchLambdaEnv = { HERALD_LAMBDA_RUNTIME: BENCH_RUNTIME, HERALD_LAMBDA_CODE: BENCH_CODE };

/** Builds the bundles (or finds them cached) before a stack starts, so its start is not the build's minutes. */
export async function prepareBenchCode(): Promise<void> {
  if (BENCH_CODE === 'bundle') await lambdaBundles();
}

/** How the figures are labelled: `faithful runtime, bundle code`. */
export const benchLambdaLabel = `${BENCH_RUNTIME} runtime, ${BENCH_CODE} code`;
