/**
 * The delivery ledger as receipt reconciliation reads it: a broadcast's SMS records still `sent`.
 * No index: each of the broadcast's shards is queried on its SMS records (the sort key's `sms#`
 * prefix) and filtered to `sent`, reading only what the reconciliation needs (no SMS payload).
 * Read units follow from the records read, all of the broadcast's SMS records whatever the filter
 * keeps, which is why a pass runs only when the broadcast's counts still show some `sent`.
 */
import { tablesConfig } from '#shared/config.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { AwaitingReceipts } from '#shared/ports/receipts.ts';
import { ledgerPartitions } from './ledger-keys.ts';
import { queryPages } from './paginate.ts';

export class DynamoReceiptLedger implements AwaitingReceipts {
  private readonly table = tablesConfig().deliveries;

  async *awaitingReceipt(broadcastId: string): AsyncIterable<LedgerRecord> {
    for (const partition of ledgerPartitions(broadcastId)) {
      const pages = queryPages({
        TableName: this.table,
        KeyConditionExpression: 'pk = :partition AND begins_with(sk, :sms)',
        FilterExpression: '#status = :sent',
        ProjectionExpression: 'broadcastId, channel, recipientId, #status, providerId, #provider, sentAt',
        ExpressionAttributeNames: { '#status': 'status', '#provider': 'provider' },
        ExpressionAttributeValues: { ':partition': partition, ':sms': 'sms#', ':sent': 'sent' },
      });
      for await (const items of pages) for (const item of items) yield item as unknown as LedgerRecord;
    }
  }
}
