import { BatchGetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Customer } from '#shared/domain/model.ts';
import type { CustomerDirectory, CustomerWriter } from '#shared/ports/stores.ts';
import { writeAll } from './batch-write.ts';

const BATCH_GET_LIMIT = 100;

/** Customers table, read in BatchGetItem pages of 100. */
export class DynamoCustomerDirectory implements CustomerDirectory, CustomerWriter {
  private readonly table = tablesConfig().customers;

  async getMany(customerIds: string[]): Promise<Customer[]> {
    const found: Customer[] = [];
    const unique = [...new Set(customerIds)];
    for (let offset = 0; offset < unique.length; offset += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(offset, offset + BATCH_GET_LIMIT)
        .map((customerId) => ({ customerId }));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await dynamoDb.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        found.push(...((Responses?.[this.table] ?? []) as Customer[]));
        keys = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  async put(customer: Customer): Promise<void> {
    await dynamoDb.send(new PutCommand({ TableName: this.table, Item: customer }));
  }

  /**
   * BatchWrite replaces whole items, so the opt-outs already stored are read first and
   * carried over: a re-import must not undo a STOP. A STOP recorded between that read and the
   * write is the one case this misses; Twilio itself still refuses a number that replied STOP
   * (error 21610), which the SMS worker records as opted out.
   */
  async putMany(customers: Customer[]): Promise<void> {
    const latest = new Map(customers.map((customer) => [customer.customerId, customer]));
    const optedOut = new Set(
      (await this.getMany([...latest.keys()]))
        .filter((stored) => stored.optedOut)
        .map((stored) => stored.customerId),
    );
    await writeAll(
      this.table,
      [...latest.values()].map((customer) =>
        optedOut.has(customer.customerId) ? { ...customer, optedOut: true } : { ...customer },
      ),
    );
  }

  async setOptedOut(customerId: string, optedOut: boolean): Promise<void> {
    await dynamoDb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { customerId },
        UpdateExpression: 'SET optedOut = :optedOut',
        ConditionExpression: 'attribute_exists(customerId)',
        ExpressionAttributeValues: { ':optedOut': optedOut },
      }),
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
