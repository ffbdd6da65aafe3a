/**
 * The middy stack every queue worker shares: parse each record with the message schema, run
 * the work, and report partial batch failures so one bad record never fails its batch. A
 * record that cannot be parsed fails every receive and ends in the dead-letter queue.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import { WORKERS } from '#functions/manifest.ts';
import { logger } from '#shared/logger.ts';
import type { Invocation } from '#shared/ports/invocation.ts';

/**
 * How long before its timeout an invocation stops its own work: enough to record the outcome of
 * what is in hand and report the batch before Lambda stops the function.
 */
const STOP_MARGIN_MS = 2_000;

/** The invocation as the use cases see it, from the Lambda context. */
function invocationOf(context: Context, lastChance: boolean): Invocation {
  const stopAt = Date.now() + context.getRemainingTimeInMillis() - STOP_MARGIN_MS;
  return {
    id: context.awsRequestId,
    signal: AbortSignal.timeout(Math.max(0, stopAt - Date.now())),
    remainingMs: () => Math.max(0, stopAt - Date.now()),
    lastChance,
  };
}

/** The handler of the manifest's worker `name`, running `work` for each message. */
export function sqsWorker<S extends z.ZodType>(
  name: string,
  schema: S,
  work: (message: z.infer<S>, invocation: Invocation) => Promise<void>,
) {
  const worker = WORKERS.find((candidate) => candidate.handler === name);
  if (!worker) throw new Error(`No worker '${name}' in functions/manifest.ts`);
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(async (event, context) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      try {
        const message = schema.parse(JSON.parse(record.body));
        const broadcastId = (message as { broadcastId?: unknown }).broadcastId;
        if (typeof broadcastId === 'string') logger.appendKeys({ correlationId: broadcastId });
        await work(message, invocationOf(context, receiveCount >= worker.maxReceiveCount));
      } catch (error) {
        logger.warn('Message failed; the queue will deliver it again or dead-letter it', {
          worker: name,
          messageId: record.messageId,
          receiveCount,
          error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}
