/**
 * The one middleware chain every Herald handler starts from (API, queue, webhook, stream and
 * scheduled alike), in the spirit of Powertools' own examples:
 * - Tracer: an X-Ray segment per invocation (no response captured: it may hold personal data);
 * - Logger with the Lambda context (request id, function, cold start) and, at the end of each
 *   invocation, its keys reset, so a broadcast id appended by one invocation never labels the
 *   next one's lines;
 * - Metrics: what the invocation counted, published as EMF lines when it ends, failed or not;
 * - a failure no handler answered is logged as one structured line, with the keys in scope.
 * Handlers add their own middlewares and `.handler(...)` after it.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';
import { tracer } from './tracer.ts';

/** Logs a failure that no later middleware turned into a response (a worker's crash, a sweep that threw). */
const logUnansweredFailure: middy.MiddlewareObj = {
  onError: (request) => {
    if (request.response === undefined) logger.error('Invocation failed', { error: request.error });
  },
};

/**
 * `TContext`: the Lambda context with what the handler's own middlewares add to it, as optional
 * fields (Lambda passes its own context in; see middlewares.ts).
 */
export function withLambdaDefaults<TEvent, TResult, TContext extends Context = Context>() {
  return middy<TEvent, TResult, Error, TContext>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(logUnansweredFailure);
}
