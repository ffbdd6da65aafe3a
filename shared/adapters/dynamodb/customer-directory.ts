import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Customer } from '#shared/domain/model.ts';
import type { CustomerDirectory } from '#shared/ports/stores.ts';

const BATCH_GET_LIMIT = 100;

/** Customers table, read in BatchGetItem pages of 100. */
export class DynamoCustomerDirectory implements CustomerDirectory {
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
}
