import type { Channel, DeliveryStatus } from '#shared/domain/model.ts';

/** GET /broadcasts/{id}/deliveries: a page of these, one per delivery record, phone numbers masked. */
export interface DeliveryLine {
  channel: Channel;
  /** The SMS recipient's phone number, masked ("+35840•••••67"); a public post's language. */
  recipient: string;
  /** SMS only: the customer the record is for. */
  customerId?: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  /** Why it has not reached its recipient: the provider's code or Herald's own (delivery-problems.ts)… */
  errorCode?: string;
  /** …and a short reason staff can read. */
  reason?: string;
  updatedAt: string;
  /** When the provider first took it (older records: `updatedAt` while `sent`). */
  sentAt?: string;
  /**
   * SMS only: whether it reached the passenger (the provider took it) by the incident's
   * notification deadline; absent while it has not and the deadline is still ahead.
   */
  reachedBeforeDeadline?: boolean;
}
