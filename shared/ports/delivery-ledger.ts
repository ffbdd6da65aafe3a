/** The delivery ledger as the evidence export reads it: whole records, the SMS's payload included. */
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { Page, PageRequest } from './stores.ts';

export interface DeliveryLedger {
  /**
   * A broadcast's records, a page at a time, its shards one after another and each by channel and
   * recipient; `next` is the key the page stopped at. Read only: nothing here writes a record.
   */
  records(broadcastId: string, page: PageRequest): Promise<Page<LedgerRecord>>;
}
