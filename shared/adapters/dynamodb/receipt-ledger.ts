/**
 * The delivery ledger as receipt reconciliation reads it: a broadcast's SMS records still `sent`.
 * No index: each of the broadcast's shards is queried on its SMS records (the sort key's `sms#`
 * prefix) and filtered to `sent`, reading only what the reconciliation needs (no SMS payload).
 * Read units follow from the records read, all of the broadcast's SMS records whatever the filter
 * keeps, which is why a pass runs only while the broadcast's counts still show some `sent`. A
 * record's position is its shard: a pass that stopped goes on from that shard, reading at most one
 * shard again.
 */
import { tablesConfig } from '#shared/config.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { AwaitingReceipts, AwaitingRecord } from '#shared/ports/receipts.ts';
import { ledgerPartitions } from './ledger-keys.ts';
import { queryPages } from './paginate.ts';

/** The shard a position names, or the first for none (or one this version did not write). */
function shardOf(position: string | undefined): number {
  const shard = Number(position ?? 0);
  return Number.isInteger(shard) && shard >= 0 ? shard : 0;
}

export class DynamoReceiptLedger implements AwaitingReceipts {
  private readonly table = tablesConfig().deliveries;

  async *awaitingReceipt(broadcastId: string, from?: string): AsyncIterable<AwaitingRecord> {
    const partitions = ledgerPartitions(broadcastId);
    for (let shard = shardOf(from); shard < partitions.length; shard++) {
      const pages = queryPages({
        TableName: this.table,
        KeyConditionExpression: 'pk = :partition AND begins_with(sk, :sms)',
        FilterExpression: '#status = :sent',
        ProjectionExpression: 'broadcastId, channel, recipientId, #status, providerId, #provider, sentAt',
        ExpressionAttributeNames: { '#status': 'status', '#provider': 'provider' },
        ExpressionAttributeValues: { ':partition': partitions[shard], ':sms': 'sms#', ':sent': 'sent' },
      });
      for await (const items of pages)
        for (const item of items) yield { record: item as unknown as LedgerRecord, position: String(shard) };
    }
  }
}
