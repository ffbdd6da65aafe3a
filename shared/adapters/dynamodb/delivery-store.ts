import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import {
  addDeltas,
  type CountedRecord,
  type CounterDeltas,
  recordCounts,
} from '#shared/domain/channel-counts.ts';
import { firstTimeFields } from '#shared/domain/delivery-times.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Channel, Delivery, DeliveryStatus } from '#shared/domain/model.ts';
import type {
  Claim,
  DeliveryKey,
  DeliveryQuery,
  DeliveryStore,
  Lease,
  Page,
  TransitionOptions,
} from '#shared/ports/stores.ts';
import { getAll } from './batch-get.ts';
import { applied } from './conditional.ts';
import { ledgerKey, ledgerPartitions, withoutKey } from './ledger-keys.ts';
import { queryPages, queryPartitionsPage } from './paginate.ts';

type StoredDelivery = LedgerRecord;

/** Conditional puts a batch of new records has in flight at once. */
const PUTS_IN_FLIGHT = 25;

const toDelivery = (item: Record<string, unknown>) => withoutKey(item) as unknown as StoredDelivery;

/**
 * The delivery ledger: one record per broadcast × channel × recipient, written before any send.
 * Every write is one conditional write of one record; the broadcast's counters follow from the
 * table's change stream (see count-deliveries), so no item is written by every send. A
 * broadcast's records are spread over its shards (ledger-keys.ts), so no partition key takes
 * them all either: a read of the whole broadcast queries every shard.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly table = tablesConfig().deliveries;

  async createMany(deliveries: StoredDelivery[]): Promise<StoredDelivery[]> {
    const created: StoredDelivery[] = [];
    for (let offset = 0; offset < deliveries.length; offset += PUTS_IN_FLIGHT) {
      const chunk = deliveries.slice(offset, offset + PUTS_IN_FLIGHT);
      const written = await Promise.all(
        chunk.map((delivery) =>
          applied(() =>
            dynamoDb.send(
              new PutCommand({
                TableName: this.table,
                Item: { ...delivery, ...ledgerKey(delivery) },
                ConditionExpression: 'attribute_not_exists(sk)',
              }),
            ),
          ),
        ),
      );
      created.push(...chunk.filter((_, index) => written[index]));
    }
    return created;
  }

  async claim(key: DeliveryKey, lease: Lease): Promise<Claim | undefined> {
    const now = new Date();
    try {
      const { Attributes: before } = await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ledgerKey(key),
          // Every claim may be the one that reaches the provider unrecorded: it stays uncertain
          // from its own time (or an earlier uncertain attempt's) until an outcome is recorded.
          UpdateExpression:
            'SET #status = :sending, leaseOwner = :owner, leaseExpiresAt = :until, updatedAt = :claimedAt, ' +
            'uncertainSince = if_not_exists(uncertainSince, :claimedAt) ADD attempts :one',
          ConditionExpression:
            'attribute_exists(sk) AND (#status = :queued OR (#status = :sending AND ' +
            '(attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :nowMs)))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':owner': lease.owner,
            ':until': lease.expiresAt,
            ':claimedAt': now.toISOString(),
            ':nowMs': now.getTime(),
            ':one': 1,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const earlier = before ? toDelivery(before) : undefined;
      // A record left sending by an older version of Herald has no uncertainSince: its last claim is when.
      const uncertainSince =
        earlier?.uncertainSince ?? (earlier?.status === 'sending' ? earlier.updatedAt : undefined);
      // ALL_OLD already carries the count: no read of the record is needed to know it.
      const attempts = (earlier?.attempts ?? 0) + 1;
      return uncertainSince === undefined ? { attempts } : { uncertainSince, attempts };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async count(broadcastId: string, channel: Channel): Promise<number> {
    const counts = await Promise.all(
      ledgerPartitions(broadcastId).map(async (partition) => {
        let total = 0;
        for await (const page of paginateQuery(
          { client: dynamoDb },
          {
            TableName: this.table,
            KeyConditionExpression: 'pk = :partition AND begins_with(sk, :channel)',
            ExpressionAttributeValues: { ':partition': partition, ':channel': `${channel}#` },
            Select: 'COUNT',
          },
        )) {
          total += page.Count ?? 0;
        }
        return total;
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async tally(broadcastId: string): Promise<CounterDeltas> {
    const sums: CounterDeltas = {};
    await Promise.all(
      ledgerPartitions(broadcastId).map(async (partition) => {
        const pages = queryPages({
          TableName: this.table,
          KeyConditionExpression: 'pk = :partition',
          ProjectionExpression: 'broadcastId, channel, #status, calls, duplicatesSuspected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':partition': partition },
          ConsistentRead: true,
        });
        for await (const items of pages) {
          for (const item of items)
            addDeltas(sums, (item as CountedRecord).channel, recordCounts(item as CountedRecord));
        }
      }),
    );
    return sums;
  }

  async list(broadcastId: string, query: DeliveryQuery): Promise<Page<Delivery>> {
    // A channel is a prefix of the sort key: its records are read alone, not filtered out of all.
    const channel = query.channel === undefined ? undefined : `${query.channel}#`;
    const page = await queryPartitionsPage(
      {
        partitionKey: 'pk',
        partitions: ledgerPartitions(broadcastId),
        query: (partition) => ({
          TableName: this.table,
          KeyConditionExpression: `pk = :partition${channel ? ' AND begins_with(sk, :channel)' : ''}`,
          ...(query.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeValues: {
            ':partition': partition,
            ...(channel ? { ':channel': channel } : {}),
            ...(query.status ? { ':status': query.status } : {}),
          },
          // Not the payload: what the SMS names (booking, flight) is no business of a listing.
          ProjectionExpression:
            'pk, sk, broadcastId, channel, recipientId, #status, attempts, lastError, updatedAt, sentAt',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      },
      { attributes: ['pk', 'sk'], ...(channel ? { prefixes: { sk: channel } } : {}) },
      query,
    );
    return { ...page, items: page.items.map(toDelivery) };
  }

  async *unsettled(broadcastId: string): AsyncIterable<StoredDelivery> {
    for (const partition of ledgerPartitions(broadcastId)) {
      const pages = queryPages({
        TableName: this.table,
        KeyConditionExpression: 'pk = :partition',
        FilterExpression: '#status IN (:queued, :sending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':partition': partition, ':queued': 'queued', ':sending': 'sending' },
      });
      for await (const items of pages) for (const item of items) yield toDelivery(item);
    }
  }

  async getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<StoredDelivery[]> {
    const keys = [...new Set(recipientIds)].map((recipientId) =>
      ledgerKey({ broadcastId, channel, recipientId }),
    );
    // Read right after the records were written (by the planner, or by the batch that handed them
    // on): an eventually consistent read may miss a record or see it still held, and the batch
    // would skip that passenger until the sweeper came.
    return (await getAll(this.table, keys, { consistentRead: true })).map(toDelivery);
  }

  async get(broadcastId: string, channel: Channel, recipientId: string): Promise<StoredDelivery | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: ledgerKey({ broadcastId, channel, recipientId }),
      }),
    );
    return Item ? toDelivery(Item) : undefined;
  }

  transition(key: DeliveryKey, to: DeliveryStatus, options: TransitionOptions = {}): Promise<boolean> {
    return applied(() => dynamoDb.send(new UpdateCommand(this.statusUpdate(key, to, options))));
  }

  async noteDuplicate(key: DeliveryKey): Promise<void> {
    await dynamoDb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: ledgerKey(key),
        UpdateExpression: 'ADD duplicatesSuspected :one',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async noteFallbackAttempt(key: DeliveryKey, owner: string): Promise<boolean> {
    return applied(() =>
      dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ledgerKey(key),
          UpdateExpression: 'SET fallbackAt = :now',
          ConditionExpression: 'attribute_exists(sk) AND #status = :sending AND leaseOwner = :owner',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': new Date().toISOString(),
            ':sending': 'sending',
            ':owner': owner,
          },
        }),
      ),
    );
  }

  /** A move out of `sending` (or on from `sent`): the lease ends with it, and so does the uncertainty unless kept. */
  private statusUpdate(key: DeliveryKey, to: DeliveryStatus, options: TransitionOptions) {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':now': new Date().toISOString() };
    const sets = ['#status = :to', '#updatedAt = :now'];
    const removes = ['leaseOwner', 'leaseExpiresAt', ...(options.uncertain ? [] : ['uncertainSince'])];
    for (const timeField of firstTimeFields(to)) {
      names[`#${timeField}`] = timeField;
      sets.push(`#${timeField} = if_not_exists(#${timeField}, :now)`);
    }
    for (const field of ['providerId', 'provider', 'lastError', 'textSha256'] as const) {
      const value = options[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    // Tallies the change stream counts as the broadcast's attempts and suspected duplicates.
    const adds: string[] = [];
    for (const field of ['calls', 'duplicatesSuspected'] as const) {
      const value = options[field];
      if (!value) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      adds.push(`#${field} :${field}`);
    }
    let condition = 'attribute_exists(sk)';
    if (options.from) {
      const placeholders = options.from.map((status, index) => {
        values[`:from${index}`] = status;
        return `:from${index}`;
      });
      condition += ` AND #status IN (${placeholders.join(', ')})`;
    }
    if (options.owner !== undefined) {
      values[':owner'] = options.owner;
      condition += ' AND leaseOwner = :owner';
    }
    return {
      TableName: this.table,
      Key: ledgerKey(key),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}
