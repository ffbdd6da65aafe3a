import { paginateQuery, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { MAX_ITEMS_READ_PER_PAGE } from '#shared/domain/limits.ts';
import type { Page, PageRequest } from '#shared/ports/stores.ts';
import { type CursorKey, type CursorShape, decodeCursor, encodeCursor } from './cursor.ts';

/** Every page of a Query (after `startKey`, if given), as items; the caller decides whether to stream or collect. */
export async function* queryPages(
  input: QueryCommandInput,
  startKey?: Record<string, unknown>,
): AsyncIterable<Record<string, unknown>[]> {
  for await (const page of paginateQuery({ client: dynamoDb, startingToken: startKey }, input)) {
    yield page.Items ?? [];
  }
}

/**
 * One page of a Query for a list route: at most `limit` items after `next`, with `next` set when
 * more may follow. Without a filter it reads `limit` + 1 items, so `next` is absent on the last
 * page; with one it reads at most MAX_ITEMS_READ_PER_PAGE, so a rare status costs a bounded
 * request and may give a short page whose `next` goes on from where the reading stopped.
 */
export function queryPage(
  input: QueryCommandInput,
  shape: CursorShape,
  request: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const startKey = request.next ? decodeCursor(request.next, shape) : undefined;
  return readPage([input], { partition: 0, startKey }, shape, request);
}

/** A list whose items lie under several partition key values, read one partition after another. */
export interface PartitionedQuery {
  /** The partition key attribute, and its values in the order the list reads them. */
  partitionKey: string;
  partitions: readonly string[];
  /** The Query of one partition. */
  query: (partition: string) => QueryCommandInput;
}

/**
 * One page of a list read across partitions (as queryPage reads one): a page may end in one
 * partition and the next begin in a later one. The cursor is the key the page stopped at, whose
 * partition key says which partition to go on in, so nothing is skipped or read twice.
 */
export function queryPartitionsPage(
  list: PartitionedQuery,
  shape: Omit<CursorShape, 'partition'>,
  request: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const fullShape = { ...shape, partition: { [list.partitionKey]: list.partitions } };
  const startKey = request.next ? decodeCursor(request.next, fullShape) : undefined;
  const partition = startKey ? list.partitions.indexOf(String(startKey[list.partitionKey])) : 0;
  return readPage(list.partitions.map(list.query), { partition, startKey }, fullShape, request);
}

async function readPage(
  partitions: readonly QueryCommandInput[],
  from: { partition: number; startKey: Record<string, unknown> | undefined },
  shape: CursorShape,
  request: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let read = 0;
  let startKey = from.startKey;
  for (const input of partitions.slice(from.partition)) {
    for (;;) {
      const page = await dynamoDb.send(
        new QueryCommand({
          ...input,
          ExclusiveStartKey: startKey,
          Limit: input.FilterExpression ? MAX_ITEMS_READ_PER_PAGE - read : request.limit + 1 - items.length,
        }),
      );
      read += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        const last = items.at(-1);
        // One item more than the page holds: the page ends at the one before it, and more follow.
        if (items.length === request.limit && last) return { items, next: encodeCursor(keyOf(last, shape)) };
        items.push(item);
      }
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
      // A Query stopped by its Limit always gives its LastEvaluatedKey, so the budget runs out here.
      if (read >= MAX_ITEMS_READ_PER_PAGE) return { items, next: encodeCursor(keyOf(startKey, shape)) };
    }
  }
  return { items };
}

/** The attributes of `item` a cursor of `shape` holds: its key, as DynamoDB would give it as LastEvaluatedKey. */
export function keyOf(item: Record<string, unknown>, shape: CursorShape): CursorKey {
  return Object.fromEntries(shape.attributes.map((name) => [name, item[name] as string | number]));
}
