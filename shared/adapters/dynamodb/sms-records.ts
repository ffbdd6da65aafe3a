import { tablesConfig } from '#shared/config.ts';
import type { SmsRecord, SmsRecordReader } from '#shared/ports/passenger-lookup.ts';
import { getAll } from './batch-get.ts';
import { ledgerKey, withoutKey } from './ledger-keys.ts';

/**
 * SMS records in the delivery ledger by key, across broadcasts, for the passenger lookup. Apart
 * from the delivery store, which the send path owns: this reader writes nothing.
 */
export class DynamoSmsRecords implements SmsRecordReader {
  private readonly table = tablesConfig().deliveries;

  async smsRecords(broadcastIds: string[], customerIds: string[]): Promise<SmsRecord[]> {
    const keys = [...new Set(broadcastIds)].flatMap((broadcastId) =>
      // An SMS's recipient is its customer.
      [...new Set(customerIds)].map((recipientId) => ledgerKey({ broadcastId, channel: 'sms', recipientId })),
    );
    const items = await getAll(this.table, keys);
    return items.map((item) => withoutKey(item) as unknown as SmsRecord);
  }
}
