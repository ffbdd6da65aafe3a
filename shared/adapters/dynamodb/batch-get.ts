/**
 * BatchGetItem for any number of keys: 100 keys a request, a few requests in flight, and the keys
 * DynamoDB leaves unprocessed (throttling, the 16 MB response limit) asked again after a backoff
 * until every key is read. A key whose item does not exist is simply not in the result.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { untilProcessed } from './unprocessed.ts';

const BATCH_GET_LIMIT = 100;
/** BatchGets in flight at once: enough to hide latency, few enough not to draw throttling. */
const BATCHES_IN_FLIGHT = 4;

/**
 * Every item of `table` with one of `keys`, in no particular order, typed as the caller stores
 * them (DynamoDB checks no shape). `consistentRead` reads what was written before the call, at
 * twice the read units.
 */
export async function getAll<Item extends object = Record<string, unknown>>(
  table: string,
  keys: Record<string, unknown>[],
  { consistentRead = false } = {},
): Promise<Item[]> {
  const batches: Record<string, unknown>[][] = [];
  for (let offset = 0; offset < keys.length; offset += BATCH_GET_LIMIT)
    batches.push(keys.slice(offset, offset + BATCH_GET_LIMIT));
  const found = await pMap(batches, (batch) => getBatch(table, batch, consistentRead), {
    concurrency: BATCHES_IN_FLIGHT,
  });
  return found.flat() as Item[];
}

async function getBatch(
  table: string,
  keys: Record<string, unknown>[],
  consistentRead: boolean,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await untilProcessed(
    keys,
    async (pending) => {
      const { Responses, UnprocessedKeys } = await dynamoDb.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ConsistentRead: consistentRead } },
        }),
      );
      found.push(...(Responses?.[table] ?? []));
      return UnprocessedKeys?.[table]?.Keys ?? [];
    },
    (left) => `BatchGet from ${table} left ${left} keys unprocessed`,
  );
  return found;
}
