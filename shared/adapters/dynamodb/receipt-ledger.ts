/**
 * The delivery ledger as receipt reconciliation reads it: a broadcast's SMS records still `sent`.
 * No index: each of the broadcast's shards is queried on its SMS records (the sort key's `sms#`
 * prefix) and filtered to `sent`, reading only what the reconciliation needs (no SMS payload).
 * Read units follow from the records read, all of the broadcast's SMS records whatever the filter
 * keeps, which is why a pass runs only while the broadcast's counts still show some `sent`. A
 * record's position is its shard and sort key (`<shard>:<sk>`): a pass that stopped goes on from
 * that very record, reading none before it again.
 */
import { tablesConfig } from '#shared/config.ts';
import type { AwaitingReceipt, AwaitingReceipts, AwaitingRecord } from '#shared/ports/receipts.ts';
import { ledgerPartitions } from './ledger-keys.ts';
import { queryPages } from './paginate.ts';

const SMS_PREFIX = 'sms#';
/** Just past every SMS sort key (`$` follows `#`): the upper end of a resumed shard's range. */
const SMS_END = 'sms$';

/** A position's shard and sort key; the first shard's start for none (or one this version did not write). */
function parsePosition(position: string | undefined): { shard: number; sk?: string } {
  const separator = position?.indexOf(':') ?? -1;
  const shard = Number(position?.slice(0, separator));
  const sk = position?.slice(separator + 1);
  return Number.isInteger(shard) && shard >= 0 && sk?.startsWith(SMS_PREFIX) ? { shard, sk } : { shard: 0 };
}

export class DynamoReceiptLedger implements AwaitingReceipts {
  private readonly table = tablesConfig().deliveries;

  async *awaitingReceipt(broadcastId: string, from?: string): AsyncIterable<AwaitingRecord> {
    const partitions = ledgerPartitions(broadcastId);
    const start = parsePosition(from);
    for (let shard = start.shard; shard < partitions.length; shard++) {
      // The shard a pass stopped in is read from the record it stopped at, the others whole.
      const resumeAt = shard === start.shard ? start.sk : undefined;
      const pages = queryPages({
        TableName: this.table,
        KeyConditionExpression: resumeAt
          ? 'pk = :partition AND sk BETWEEN :from AND :end'
          : 'pk = :partition AND begins_with(sk, :sms)',
        FilterExpression: '#status = :sent',
        ProjectionExpression: 'sk, recipientId, #status, providerId, #provider',
        ExpressionAttributeNames: { '#status': 'status', '#provider': 'provider' },
        ExpressionAttributeValues: {
          ':partition': partitions[shard],
          ':sent': 'sent',
          ...(resumeAt ? { ':from': resumeAt, ':end': SMS_END } : { ':sms': SMS_PREFIX }),
        },
      });
      for await (const items of pages) {
        for (const { sk, ...record } of items)
          yield { record: record as unknown as AwaitingReceipt, position: `${shard}:${String(sk)}` };
      }
    }
  }
}
