import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Channel, Delivery, DeliveryStatus } from '#shared/domain/model.ts';
import type { DeliveryStore } from '#shared/ports/stores.ts';

type DeliveryKey = { broadcastId: string; channel: Channel; recipientId: string };
type StoredDelivery = Delivery & { payload?: Record<string, string> };

const sortKey = (key: DeliveryKey) => `${key.channel}#${key.recipientId}`;

function toDelivery(item: Record<string, unknown>): StoredDelivery {
  const { sk: _sk, ...rest } = item;
  return rest as unknown as StoredDelivery;
}

/** The delivery ledger: one record per broadcast × channel × recipient, written before any send. */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly table = tablesConfig().deliveries;

  async createIfAbsent(delivery: StoredDelivery): Promise<boolean> {
    try {
      await dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...delivery, sk: sortKey(delivery) },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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

  async transition(
    key: DeliveryKey,
    to: DeliveryStatus,
    fields: { providerId?: string; lastError?: string; from?: DeliveryStatus[] } = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':now': new Date().toISOString() };
    const sets = ['#status = :to', '#updatedAt = :now'];
    for (const field of ['providerId', 'lastError'] as const) {
      const value = fields[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(sk)';
    if (fields.from) {
      const placeholders = fields.from.map((status, index) => {
        values[`:from${index}`] = status;
        return `:from${index}`;
      });
      condition += ` AND #status IN (${placeholders.join(', ')})`;
    }
    const update = to === 'sending' ? ' ADD attempts :one' : '';
    if (update) values[':one'] = 1;
    try {
      await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { broadcastId: key.broadcastId, sk: sortKey(key) },
          UpdateExpression: `SET ${sets.join(', ')}${update}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
