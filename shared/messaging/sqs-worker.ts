/**
 * The middy stack every queue worker shares: parse each record with the message schema, run
 * the work, and report partial batch failures so one bad record never fails its batch. A
 * record that cannot be parsed fails every receive and ends in the dead-letter queue.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '#shared/logger.ts';

export function sqsWorker<S extends z.ZodType>(schema: S, work: (message: z.infer<S>) => Promise<void>) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const message = schema.parse(JSON.parse(record.body));
        const broadcastId = (message as { broadcastId?: unknown }).broadcastId;
        if (typeof broadcastId === 'string') logger.appendKeys({ correlationId: broadcastId });
        await work(message);
      } catch (error) {
        logger.warn('Message failed; it will be retried', { messageId: record.messageId, error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}
