import { tablesConfig } from '#shared/config.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { DeliveryLedger } from '#shared/ports/delivery-ledger.ts';
import type { Page, PageRequest } from '#shared/ports/stores.ts';
import { ledgerPartitions, withoutKey } from './ledger-keys.ts';
import { queryPartitionsPage } from './paginate.ts';

/**
 * Reads the delivery ledger for the evidence export, a broadcast's shards one after another.
 * Apart from the delivery store, which the send path owns, so this reader can never write a
 * record; a record's lease (owner, expiry) is not evidence and is not read.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly table = tablesConfig().deliveries;

  async records(broadcastId: string, request: PageRequest): Promise<Page<LedgerRecord>> {
    const page = await queryPartitionsPage(
      {
        partitionKey: 'pk',
        partitions: ledgerPartitions(broadcastId),
        query: (partition) => ({
          TableName: this.table,
          KeyConditionExpression: 'pk = :partition',
          ExpressionAttributeValues: { ':partition': partition },
          ProjectionExpression:
            'pk, sk, broadcastId, channel, recipientId, #status, attempts, providerId, lastError, updatedAt, payload',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      },
      { attributes: ['pk', 'sk'] },
      request,
    );
    return { ...page, items: page.items.map((item) => withoutKey(item) as unknown as LedgerRecord) };
  }
}
