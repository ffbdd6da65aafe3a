import { tablesConfig } from '#shared/config.ts';
import type { SmsRecord, SmsRecordReader } from '#shared/ports/passenger-lookup.ts';
import { getAll } from './batch-get.ts';

/**
 * SMS records in `herald-deliveries` by key, across broadcasts, for the passenger lookup. Apart
 * from the delivery store, which the send path owns: this reader writes nothing.
 */
export class DynamoSmsRecords implements SmsRecordReader {
  private readonly table = tablesConfig().deliveries;

  async smsRecords(broadcastIds: string[], customerIds: string[]): Promise<SmsRecord[]> {
    const keys = [...new Set(broadcastIds)].flatMap((broadcastId) =>
      // The ledger's sort key, `<channel>#<recipientId>` (delivery-store.ts); an SMS's recipient is its customer.
      [...new Set(customerIds)].map((customerId) => ({ broadcastId, sk: `sms#${customerId}` })),
    );
    return getAll<SmsRecord>(this.table, keys);
  }
}
