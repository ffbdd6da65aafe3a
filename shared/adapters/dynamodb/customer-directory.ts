import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Customer } from '#shared/domain/model.ts';
import type { CustomerDirectory, CustomerWriter, OptChangeRecorder } from '#shared/ports/stores.ts';
import { getAll } from './batch-get.ts';
import { writeAll } from './batch-write.ts';
import { applied } from './conditional.ts';

/** Customers table, read in BatchGetItem pages of 100. */
export class DynamoCustomerDirectory implements CustomerDirectory, CustomerWriter, OptChangeRecorder {
  private readonly table = tablesConfig().customers;

  async getMany(customerIds: string[]): Promise<Customer[]> {
    const keys = [...new Set(customerIds)].map((customerId) => ({ customerId }));
    return getAll<Customer>(this.table, keys);
  }

  async put(customer: Customer): Promise<void> {
    await dynamoDb.send(new PutCommand({ TableName: this.table, Item: customer }));
  }

  /**
   * BatchWrite replaces whole items, so the opt-outs (and the time of the last opt change)
   * already stored are read first and carried over: a re-import must not undo a STOP. A STOP
   * recorded between that read and the write is the one case this misses; Twilio itself still
   * refuses a number that replied STOP (error 21610), which the SMS worker records as opted out.
   */
  async putMany(customers: Customer[]): Promise<void> {
    const latest = new Map(customers.map((customer) => [customer.customerId, customer]));
    const stored = new Map(
      (await this.getMany([...latest.keys()])).map((customer) => [customer.customerId, customer]),
    );
    await writeAll(
      this.table,
      [...latest.values()].map((customer) => {
        const before = stored.get(customer.customerId);
        return {
          ...customer,
          ...(before?.optedOut ? { optedOut: true } : {}),
          ...(before?.optChangedAt ? { optChangedAt: before.optChangedAt } : {}),
        };
      }),
    );
  }

  async setOptedOut(customerId: string, optedOut: boolean): Promise<void> {
    await dynamoDb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { customerId },
        UpdateExpression: 'SET optedOut = :optedOut, optChangedAt = :now',
        ConditionExpression: 'attribute_exists(customerId)',
        ExpressionAttributeValues: { ':optedOut': optedOut, ':now': new Date().toISOString() },
      }),
    );
  }

  /** One conditional update: ISO times in UTC sort as strings, so the condition compares arrival times. */
  recordOptChange(customerId: string, optedOut: boolean, arrivedAt: string): Promise<boolean> {
    return applied(() =>
      dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { customerId },
          UpdateExpression: 'SET optedOut = :optedOut, optChangedAt = :at',
          ConditionExpression:
            'attribute_exists(customerId) AND (attribute_not_exists(optChangedAt) OR optChangedAt < :at)',
          ExpressionAttributeValues: { ':optedOut': optedOut, ':at': new Date(arrivedAt).toISOString() },
        }),
      ),
    );
  }

  /** Customers with this number (the byPhone index): an inbound STOP names a number, not a customer. */
  async findByPhone(phone: string): Promise<Customer[]> {
    const { Items = [] } = await dynamoDb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byPhone',
        KeyConditionExpression: 'phone = :phone',
        ExpressionAttributeValues: { ':phone': phone },
      }),
    );
    return Items as Customer[];
  }
}
