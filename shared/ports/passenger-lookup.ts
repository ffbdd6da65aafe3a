/**
 * What the passenger lookup reads beside the shared stores: a booking's passengers, and SMS
 * records across broadcasts by their keys. Read only, apart from the send path's DeliveryStore.
 */
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { PassengerSegment } from '#shared/domain/model.ts';

export interface BookingLookup {
  /** Every passenger × segment of a booking (one Query on its partition); empty for an unknown reference. */
  segmentsOf(bookingRef: string): Promise<PassengerSegment[]>;
}

/** An SMS record with what it named when planned (booking, flight, language). */
export type SmsRecord = LedgerRecord;

export interface SmsRecordReader {
  /**
   * The records of these customers in these broadcasts that exist, each `sms#<customerId>` in its
   * broadcast's shard (BatchGetItem, 100 keys a call): no index, so the ledger's writes cost
   * nothing more.
   */
  smsRecords(broadcastIds: string[], customerIds: string[]): Promise<SmsRecord[]>;
}
