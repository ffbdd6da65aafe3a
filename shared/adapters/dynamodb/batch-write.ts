import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';

const BATCH_LIMIT = 25;
const MAX_ROUNDS = 8;

/** Puts every item, 25 per BatchWrite, retrying UnprocessedItems with backoff until all are written. */
export async function writeAll(table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let offset = 0; offset < items.length; offset += BATCH_LIMIT) {
    let requests = items.slice(offset, offset + BATCH_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round === MAX_ROUNDS)
        throw new Error(`BatchWrite to ${table} left ${requests.length} items unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const { UnprocessedItems } = await dynamoDb.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (UnprocessedItems?.[table] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}
