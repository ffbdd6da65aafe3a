import { tablesConfig } from '#shared/config.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { DeliveryLedger } from '#shared/ports/delivery-ledger.ts';
import type { Page, PageRequest } from '#shared/ports/stores.ts';
import { queryPage } from './paginate.ts';

/**
 * Reads `herald-deliveries` for the evidence export. Apart from the delivery store, which the
 * send path owns, so this reader can never write a record; a record's lease (owner, expiry) is
 * not evidence and is not read.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly table = tablesConfig().deliveries;

  async records(broadcastId: string, request: PageRequest): Promise<Page<LedgerRecord>> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast',
        ExpressionAttributeValues: { ':broadcast': broadcastId },
        ProjectionExpression:
          'broadcastId, sk, channel, recipientId, #status, attempts, providerId, lastError, updatedAt, payload',
        ExpressionAttributeNames: { '#status': 'status' },
      },
      { attributes: ['broadcastId', 'sk'], partition: { broadcastId } },
      request,
    );
    return {
      ...page,
      items: page.items.map(({ sk: _sk, ...record }) => record as unknown as LedgerRecord),
    };
  }
}
