/** GET /passengers: every SMS Herald sent a passenger, across incidents, phone numbers masked. */
import type { BroadcastKind, BroadcastStatus, DeliveryStatus } from '#shared/domain/model.ts';
import type { Page } from '#shared/domain/page.ts';

/** A passenger as the lookup shows them: enough to tell why there may be no message. */
export interface PassengerSummary {
  customerId: string;
  /** Masked ("+35840•••••67"). */
  phone: string;
  language: string;
  smsConsent: boolean;
  optedOut: boolean;
}

/** One SMS Herald sent (or meant to send) the passenger. */
export interface PassengerMessage {
  incidentId: string;
  incidentTitle: string;
  broadcastId: string;
  kind: BroadcastKind;
  broadcastStatus: BroadcastStatus;
  channel: 'sms';
  customerId: string;
  /** Masked. */
  phone: string;
  /** What the SMS named when planned: the passenger's soonest affected segment. */
  bookingRef?: string;
  flightNumber?: string;
  flightDate?: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the broadcast started (its records were queued from then on), or was requested if not yet started. */
  queuedAt: string;
  /** When the provider accepted it, while that is its last news (`status` sent)… */
  sentAt?: string;
  /** …and when the handset got it (`status` delivered): the ledger keeps a record's latest move only. */
  deliveredAt?: string;
  /** When the record reached `status` (sent, delivered, undelivered, failed…). */
  updatedAt: string;
  lastError?: string;
  errorCode?: string;
  reason?: string;
}

export interface PassengerLookup extends Page<PassengerMessage> {
  passengers: PassengerSummary[];
}
