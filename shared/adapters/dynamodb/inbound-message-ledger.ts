import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { InboundMessageLedger } from '#shared/ports/stores.ts';

const messageKey = (messageSid: string) => ({ pk: `INBOUND#${messageSid}`, sk: 'META' });

/**
 * Inbound messages in the herald table, one item per MessageSid: the first arrival wins a
 * conditional put, a later one reads what it recorded; the table's TTL deletes each at its expiry.
 */
export class DynamoInboundMessageLedger implements InboundMessageLedger {
  private readonly table = tablesConfig().herald;

  async firstArrival(
    messageSid: string,
    arrivedAt: string,
    expiresAt: Date,
  ): Promise<{ arrivedAt: string; repeated: boolean }> {
    try {
      await dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...messageKey(messageSid),
            arrivedAt,
            // The table's TTL attribute, in epoch seconds.
            expiresAt: Math.ceil(expiresAt.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { arrivedAt, repeated: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: this.table, Key: messageKey(messageSid), ConsistentRead: true }),
    );
    // Gone between the two calls only if its TTL ran out that instant: it counts as arriving now.
    return { arrivedAt: typeof Item?.arrivedAt === 'string' ? Item.arrivedAt : arrivedAt, repeated: true };
  }
}
