import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Channel, Delivery, DeliveryStatus } from '#shared/domain/model.ts';
import type { DeliveryKey, DeliveryStore, TransitionOptions } from '#shared/ports/stores.ts';
import { counterUpdate } from './broadcast-store.ts';
import { applied } from './conditional.ts';

type StoredDelivery = Delivery & { payload?: Record<string, string> };

const BATCH_GET_LIMIT = 100;

const sortKey = (key: DeliveryKey) => `${key.channel}#${key.recipientId}`;

function toDelivery(item: Record<string, unknown>): StoredDelivery {
  const { sk: _sk, ...rest } = item;
  return rest as unknown as StoredDelivery;
}

/** The delivery ledger: one record per broadcast × channel × recipient, written before any send. */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly table = tablesConfig().deliveries;
  private readonly heraldTable = tablesConfig().herald;

  async createIfAbsent(delivery: StoredDelivery): Promise<boolean> {
    return applied(() =>
      dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...delivery, sk: sortKey(delivery) },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      ),
    );
  }

  async count(broadcastId: string, channel: Channel): Promise<number> {
    let total = 0;
    for await (const page of paginateQuery(
      { client: dynamoDb },
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast AND begins_with(sk, :channel)',
        ExpressionAttributeValues: { ':broadcast': broadcastId, ':channel': `${channel}#` },
        Select: 'COUNT',
      },
    )) {
      total += page.Count ?? 0;
    }
    return total;
  }

  async *unsettled(broadcastId: string): AsyncIterable<StoredDelivery> {
    for await (const page of paginateQuery(
      { client: dynamoDb },
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast',
        FilterExpression: '#status IN (:queued, :sending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':broadcast': broadcastId, ':queued': 'queued', ':sending': 'sending' },
      },
    )) {
      for (const item of page.Items ?? []) yield toDelivery(item);
    }
  }

  async getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<StoredDelivery[]> {
    const found: StoredDelivery[] = [];
    const unique = [...new Set(recipientIds)];
    for (let offset = 0; offset < unique.length; offset += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(offset, offset + BATCH_GET_LIMIT)
        .map((recipientId) => ({ broadcastId, sk: sortKey({ broadcastId, channel, recipientId }) }));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await dynamoDb.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        found.push(...(Responses?.[this.table] ?? []).map(toDelivery));
        keys = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  async get(broadcastId: string, channel: Channel, recipientId: string): Promise<StoredDelivery | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { broadcastId, sk: sortKey({ broadcastId, channel, recipientId }) },
      }),
    );
    return Item ? toDelivery(Item) : undefined;
  }

  async transition(key: DeliveryKey, to: DeliveryStatus, options: TransitionOptions = {}): Promise<boolean> {
    const now = new Date().toISOString();
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':now': now };
    const sets = ['#status = :to', '#updatedAt = :now'];
    for (const field of ['providerId', 'lastError'] as const) {
      const value = options[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(sk)';
    if (options.from) {
      const placeholders = options.from.map((status, index) => {
        values[`:from${index}`] = status;
        return `:from${index}`;
      });
      condition += ` AND #status IN (${placeholders.join(', ')})`;
    }
    if (to === 'sending') values[':one'] = 1;
    const update = {
      TableName: this.table,
      Key: { broadcastId: key.broadcastId, sk: sortKey(key) },
      UpdateExpression: `SET ${sets.join(', ')}${to === 'sending' ? ' ADD attempts :one' : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const counters =
      options.counts && counterUpdate(this.heraldTable, key.broadcastId, key.channel, options.counts);
    // The record and the broadcast's counters move together or not at all.
    return applied(() =>
      counters
        ? dynamoDb.send(
            new TransactWriteCommand({ TransactItems: [{ Update: update }, { Update: counters }] }),
          )
        : dynamoDb.send(new UpdateCommand(update)),
    );
  }
}
