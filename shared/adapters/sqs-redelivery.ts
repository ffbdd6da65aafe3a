/**
 * Brings a failed queue message back after a backoff instead of after the queue's visibility
 * timeout: SQS ChangeMessageVisibility on the record's receipt handle, before the worker reports
 * it failed (the standard exponential backoff for Lambda's SQS event source).
 */
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { sqs } from '#shared/adapters/aws-clients.ts';

/** arn:aws:sqs:<region>:<account>:<name> → the queue's URL, which SQS calls take. */
export function queueUrlOf(queueArn: string): string {
  const [, partition, , region, account, name] = queueArn.split(':');
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/** Bounded, so a slow SQS never keeps the invocation past its timeout (which would fail the whole batch). */
const CALL_TIMEOUT_MS = 1_000;

export async function redeliverAfter(record: SQSRecord, seconds: number): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrlOf(record.eventSourceARN),
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    }),
    { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
  );
}
