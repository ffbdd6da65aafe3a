/**
 * What the local stack says about the functions it runs, in the handlers' own format: one
 * structured JSON line each (time, level, function, error), as Lambda's JSON log format reports a
 * failed invocation, never a raw stack trace. Handlers log the broadcast id themselves.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { LambdaStoppedError } from './runtime/local-lambda.ts';

export const platformLogger = new Logger({ serviceName: 'herald-local' });

/** A function's failure, as its logs in CloudWatch would show it; not the ones the closing stack caused. */
export function logFunctionError(handler: string, error: unknown): void {
  if (!(error instanceof LambdaStoppedError))
    platformLogger.error('Invocation failed', { function: handler, error });
}
