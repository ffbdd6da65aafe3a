import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Lease, LeaseStore } from '#shared/ports/stores.ts';
import { applied } from './conditional.ts';

const leaseKey = (name: string) => ({ pk: `LEASE#${name}`, sk: 'META' });

/** Named leases in the herald table: one conditional put takes one, a conditional delete gives it up. */
export class DynamoLeaseStore implements LeaseStore {
  private readonly table = tablesConfig().herald;

  acquire(name: string, lease: Lease): Promise<boolean> {
    return applied(() =>
      dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...leaseKey(name),
            owner: lease.owner,
            leaseExpiresAt: lease.expiresAt,
            // The table's TTL (epoch seconds) clears a lease its holder never gave up.
            expiresAt: Math.ceil(lease.expiresAt / 1000) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseExpiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': Date.now(), ':owner': lease.owner },
        }),
      ),
    );
  }

  async release(name: string, owner: string): Promise<void> {
    await applied(() =>
      dynamoDb.send(
        new DeleteCommand({
          TableName: this.table,
          Key: leaseKey(name),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }
}
