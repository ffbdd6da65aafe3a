import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { untilProcessed } from './unprocessed.ts';

const BATCH_LIMIT = 25;
/** BatchWrites in flight at once: enough to hide latency, few enough not to draw throttling. */
const CONCURRENCY = 4;

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** Sends one batch of at most 25 requests, retrying UnprocessedItems with backoff until all are done. */
async function writeBatch(table: string, batch: WriteRequest[]): Promise<void> {
  await untilProcessed(
    batch,
    async (requests) => {
      const { UnprocessedItems } = await dynamoDb.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      return (UnprocessedItems?.[table] ?? []).flatMap((request): WriteRequest[] => {
        if (request.PutRequest?.Item) return [{ PutRequest: { Item: request.PutRequest.Item } }];
        if (request.DeleteRequest?.Key) return [{ DeleteRequest: { Key: request.DeleteRequest.Key } }];
        return [];
      });
    },
    (left) => `BatchWrite to ${table} left ${left} items unprocessed`,
  );
}

/** Runs the requests in batches of 25, a few batches at a time; rejects once every batch has settled. */
async function writeRequests(table: string, requests: WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let offset = 0; offset < requests.length; offset += BATCH_LIMIT)
    batches.push(requests.slice(offset, offset + BATCH_LIMIT));
  await pMap(batches, (batch) => writeBatch(table, batch), { concurrency: CONCURRENCY, stopOnError: false });
}

/** Puts every item, 25 per BatchWrite, retrying UnprocessedItems with backoff until all are written. */
export async function writeAll(table: string, items: Record<string, unknown>[]): Promise<void> {
  await writeRequests(
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** Deletes every key, 25 per BatchWrite, with the same retries as `writeAll`. */
export async function deleteAll(table: string, keys: Record<string, unknown>[]): Promise<void> {
  await writeRequests(
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}
