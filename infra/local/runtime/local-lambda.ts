/**
 * A function of the local stack, invoked as Lambda invokes it. Two runtimes:
 * - `faithful` (the default): each function runs in instances of its own, worker threads with
 *   their own module state and memory limit, one invocation at a time each, up to the function's
 *   concurrency; an instance starts cold on first use, and one that runs past its timeout is
 *   stopped, as Lambda stops it (see isolated-lambda.ts);
 * - `in-process`: every handler in the stack's own thread, sharing module state; quicker to start,
 *   and what tests that only need the HTTP behaviour may use. Its figures predict nothing about Lambda.
 * The code is the TypeScript sources, or with `bundle` the esbuild bundles `cdk synth` builds.
 */
import { pathToFileURL } from 'node:url';
import { InProcessLambda } from './in-process-lambda.ts';
import { type CapacityListener, IsolatedLambda } from './isolated-lambda.ts';

export const LAMBDA_RUNTIMES = ['faithful', 'in-process'] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

export const LAMBDA_CODE = ['source', 'bundle'] as const;
export type LambdaCode = (typeof LAMBDA_CODE)[number];

export interface LambdaDefinition {
  /** The manifest's handler name, also the function's name. */
  name: string;
  /** The module exporting `handler`: a TypeScript source or a bundle. */
  moduleUrl: string;
  timeoutMs: number;
  /** Instances running at once at most; further invocations wait for one to be free. */
  concurrency: number;
  /** The function's memory size: the instance's heap limit. */
  memoryMb: number;
  /** Instances initialized before the first invocation and kept warm (Lambda's provisioned concurrency). */
  provisioned: number;
}

export interface LocalLambda {
  /**
   * Initializes the provisioned instances, as a deployment does before it completes: once the
   * environment they read at start is set. A module that fails to load fails the first invocation.
   */
  provision(): Promise<void>;
  /** Runs one invocation; rejects with the handler's error, or a LambdaTimeoutError. */
  invoke(event: unknown): Promise<unknown>;
  /** Stops every instance; invocations still running reject. */
  close(): Promise<void>;
}

/** An invocation that ran past the function's timeout; its instance was stopped. */
export class LambdaTimeoutError extends Error {
  override name = 'LambdaTimeoutError';
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** An invocation cut short because the local stack is closing. */
export class LambdaStoppedError extends Error {
  override name = 'LambdaStoppedError';
  constructor(functionName: string) {
    super(`${functionName}: the local stack stopped the function`);
  }
}

/**
 * The function `definition` in `runtime`. An isolated instance's consumed-capacity reports go to
 * `onCapacity`; in process they are on this thread's channel already.
 */
export function createLocalLambda(
  definition: LambdaDefinition,
  runtime: LambdaRuntime,
  onCapacity: CapacityListener,
): LocalLambda {
  return runtime === 'faithful'
    ? new IsolatedLambda(definition, onCapacity)
    : new InProcessLambda(definition);
}

/** The module URL of a TypeScript source file. */
export function sourceModuleUrl(path: string): string {
  return pathToFileURL(path).href;
}
