/**
 * The middy stack every queue worker shares: parse each record with its target's schema, run
 * the work, and report partial batch failures so one bad record never fails its batch. A failed
 * record comes back after a growing backoff (the manifest's `firstRetryDelaySeconds`), not after
 * the whole visibility timeout. A record that cannot be parsed fails every receive and ends in
 * the dead-letter queue.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { redeliverAfter } from '#shared/adapters/sqs-redelivery.ts';
import { BUS_MESSAGES, type BusMessage, type BusTarget } from '#shared/domain/bus-messages.ts';
import { redeliveryDelaySeconds } from '#shared/domain/retry-policy.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { logger } from '#shared/logger.ts';
import { countForWorker, METRIC } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';

/**
 * How long before its timeout an invocation stops its own work: enough to record the outcome of
 * what is in hand and report the batch before Lambda stops the function.
 */
const STOP_MARGIN_MS = 2_000;

/** The invocation as the use cases see it, from the Lambda context. */
function invocationOf(context: Context, lastChance: boolean, maxReceives: number): Invocation {
  const stopAt = Date.now() + context.getRemainingTimeInMillis() - STOP_MARGIN_MS;
  return {
    id: context.awsRequestId,
    signal: AbortSignal.timeout(Math.max(0, stopAt - Date.now())),
    remainingMs: () => Math.max(0, stopAt - Date.now()),
    lastChance,
    maxReceives,
  };
}

/** What a queue's handler takes from its entry in the manifest. */
export interface QueueSettings {
  handler: string;
  maxReceiveCount: number;
  firstRetryDelaySeconds: number;
  visibilityTimeoutSeconds: number;
}

/** A worker of the broadcast bus: its target names the schema of its messages. */
export interface QueueWorker<T extends BusTarget> extends QueueSettings {
  target: T;
}

/** The handler of `worker`, running `work` for each message of its target. */
export function sqsWorker<T extends BusTarget>(
  worker: QueueWorker<T>,
  work: (message: BusMessage<T>, invocation: Invocation) => Promise<void>,
) {
  // BUS_MESSAGES[T] parses into BusMessage<T>; TypeScript does not follow the index through T.
  const schema = BUS_MESSAGES[worker.target] as unknown as { parse(data: unknown): BusMessage<T> };
  return queueWorker(worker, schema, work);
}

/** The handler of a queue fed by something else than the broadcast bus (a provider's events), its messages parsed by `schema`. */
export function queueWorker<M>(
  worker: QueueSettings,
  schema: { parse(data: unknown): M },
  work: (message: M, invocation: Invocation) => Promise<void>,
) {
  const name = worker.handler;
  return withLambdaDefaults<SQSEvent, SQSBatchResponse>().handler(async (event, context) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      const lastChance = receiveCount >= worker.maxReceiveCount;
      try {
        const message = schema.parse(JSON.parse(record.body));
        const broadcastId = (message as { broadcastId?: unknown }).broadcastId;
        if (typeof broadcastId === 'string') logger.appendKeys({ broadcastId });
        // How long the message waited between its publish and this invocation (queue and cold start).
        logger.debug('Message received', {
          worker: name,
          receiveCount,
          queuedMs: Date.now() - Number(record.attributes.SentTimestamp),
        });
        await work(message, invocationOf(context, lastChance, worker.maxReceiveCount));
      } catch (error) {
        logger.warn('Message failed; the queue will deliver it again or dead-letter it', {
          worker: name,
          messageId: record.messageId,
          receiveCount,
          error,
        });
        countForWorker(lastChance ? METRIC.messagesDeadLettered : METRIC.messagesRetried, name);
        const delaySeconds = redeliveryDelaySeconds(receiveCount, {
          firstSeconds: worker.firstRetryDelaySeconds,
          maxSeconds: worker.visibilityTimeoutSeconds,
        });
        // Not shortened, the message comes back after the visibility timeout: later, never lost.
        await redeliverAfter(record, delaySeconds).catch((changeError: unknown) =>
          logger.warn('Could not shorten the wait before the next receive', { worker: name, changeError }),
        );
        batchItemFailures.push({ itemIdentifier: record.messageId });
      } finally {
        // The next record may belong to another broadcast, or to none.
        logger.removeKeys(['broadcastId']);
      }
    }
    return { batchItemFailures };
  });
}
