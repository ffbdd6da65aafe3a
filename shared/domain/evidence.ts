/**
 * Evidence of what Herald told each passenger and the public, and when: EU Regulation 261/2004
 * Art. 5(4) puts the burden of proving when a passenger was informed on the carrier. One row per
 * delivery record (per language for the status site), built from the ledger and what the
 * broadcast stores, never from a provider.
 */
import { createHash } from 'node:crypto';
import { incidentDeadline, reachedBeforeDeadline } from './deadline.ts';
import { deliveryProblem } from './delivery-problems.ts';
import { deliveryTimes } from './delivery-times.ts';
import { maskPhone, maskPhonesIn } from './masking.ts';
import {
  type Broadcast,
  type Channel,
  type Customer,
  type Delivery,
  LANGUAGES,
  type Language,
} from './model.ts';
import { type BroadcastSource, renderBroadcastField } from './render.ts';
import { smsWithReplyHint } from './sms-senders.ts';
import { type SmsPayload, smsText } from './sms-text.ts';

/** One line of the export, every value a string so CSV and NDJSON carry the same. */
export interface EvidenceRow {
  incidentId: string;
  broadcastId: string;
  kind: string;
  templateId: string;
  templateVersion: string;
  channel: Channel;
  /** SMS only: the passenger, their booking and the flight the SMS named. */
  customerId: string;
  bookingRef: string;
  flightNumber: string;
  flightDate: string;
  /** The SMS number masked ("+35840•••••67"); a public post's language; `site` for the status site. */
  recipient: string;
  /** The language of the text. */
  language: string;
  /** The exact text sent (or to be sent, while the record is not settled). */
  text: string;
  /** SHA-256 of `text` as UTF-8, hex: what a later copy of the text can be checked against. */
  textSha256: string;
  status: string;
  /** When Herald took the broadcast for sending (its `startedAt`); every record was written after it. */
  queuedAt: string;
  /** When the provider accepted the message (Herald recorded it sent), while that is its last status. */
  sentAt: string;
  /** When the provider's receipt said delivered. */
  deliveredAt: string;
  /** When the record reached its current status: for any status, the time the ledger proves. */
  statusAt: string;
  /** The incident's notification deadline (14 CFR 259.8: 30 minutes unless set otherwise). */
  notificationDeadline: string;
  /**
   * SMS only: `true` when sent or delivered by the deadline, `false` when after it or not reached
   * once it passed, empty while not reached and the deadline is still ahead (deadline.ts).
   */
  reachedBeforeDeadline: string;
  providerMessageId: string;
  /** Claims taken on the record. */
  attempts: string;
  /**
   * Why the record has not reached its recipient, as every listing says it (delivery-problems.ts):
   * the provider's code (Twilio 30003, 21211…) or Herald's own (`cancelled`, `retries_exhausted`…).
   */
  errorCode: string;
  reason: string;
  /** The last error as recorded, any phone number in it masked. */
  error: string;
}

/** The columns in their order: the CSV header, and the key order of every NDJSON line. */
export const EVIDENCE_COLUMNS = [
  'incidentId',
  'broadcastId',
  'kind',
  'templateId',
  'templateVersion',
  'channel',
  'customerId',
  'bookingRef',
  'flightNumber',
  'flightDate',
  'recipient',
  'language',
  'text',
  'textSha256',
  'status',
  'queuedAt',
  'sentAt',
  'deliveredAt',
  'statusAt',
  'notificationDeadline',
  'reachedBeforeDeadline',
  'providerMessageId',
  'attempts',
  'errorCode',
  'reason',
  'error',
] as const satisfies readonly (keyof EvidenceRow)[];

/** A delivery record as the ledger holds it, with the SMS's payload. */
export type LedgerRecord = Delivery & { payload?: SmsPayload };

/** A broadcast with what its texts were rendered from. */
export type EvidenceSource = BroadcastSource & { broadcast: Broadcast };

/** What the status site published for a broadcast, per language (the incident timeline's entry). */
export type PublishedStatus = Partial<Record<string, { title: string; body: string }>>;

/** What the ledger leaves out of one record's rows: the passenger, for an SMS; the published entry, for the site. */
export interface RecordContext {
  /** Undefined when the directory no longer holds the customer: the SMS cannot be rendered again. */
  customer?: Pick<Customer, 'phone' | 'firstName'>;
  /** Where the customer's sender names STOP and HELP at the end of the SMS (sms-senders.ts smsWithReplyHint). */
  replyTo?: string;
  published?: PublishedStatus;
  /** The export's time, which says whether an SMS not reached is late yet; now by default. */
  now?: number;
}

/** The hash the ledger keeps of a text sent (Delivery.textSha256) and the export gives with each text. */
export const textSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The rows of one delivery record: one for an SMS or a post, one per language for the status site. */
export function evidenceRows(
  record: LedgerRecord,
  source: EvidenceSource,
  context: RecordContext,
): EvidenceRow[] {
  if (record.channel === 'sms') return [smsRow(record, source, context)];
  if (record.channel === 'status')
    return LANGUAGES.map((language) => statusRow(record, source, language, context.published));
  const language = record.recipientId as Language;
  return [
    row(record, source, {
      recipient: language,
      language,
      ...texted(renderBroadcastField(source, language, 'social').text),
    }),
  ];
}

function smsRow(
  record: LedgerRecord,
  source: EvidenceSource,
  { customer, replyTo, now = Date.now() }: RecordContext,
): EvidenceRow {
  const payload = record.payload ?? {};
  const inTime = reachedBeforeDeadline(record, incidentDeadline(source.incident), now);
  const rendered = customer && smsText(source, payload, customer.firstName);
  return row(record, source, {
    customerId: record.recipientId,
    bookingRef: payload.bookingRef ?? '',
    flightNumber: payload.flightNumber ?? '',
    flightDate: payload.date ?? '',
    recipient: customer ? maskPhone(customer.phone) : '',
    language: rendered?.language ?? payload.language ?? '',
    ...sentSmsText(record, rendered && smsWithReplyHint(rendered.text, replyTo)),
    reachedBeforeDeadline: inTime === undefined ? '' : String(inTime),
  });
}

/** The site's entry as published (the timeline keeps it); rendered again only while it is not published. */
function statusRow(
  record: LedgerRecord,
  source: EvidenceSource,
  language: Language,
  published: PublishedStatus | undefined,
): EvidenceRow {
  const entry = published?.[language] ?? {
    title: renderBroadcastField(source, language, 'statusTitle').text,
    body: renderBroadcastField(source, language, 'statusBody').text,
  };
  return row(record, source, {
    recipient: record.recipientId,
    language,
    ...texted(`${entry.title}\n\n${entry.body}`),
  });
}

const texted = (text: string) => ({ text, textSha256: textSha256(text) });

/**
 * An SMS's text rendered again, with the hash recorded when it was sent: the text only if it is
 * the one sent (a customer renamed since changes the greeting), the hash either way.
 */
function sentSmsText(record: LedgerRecord, rendered: string | undefined) {
  if (!record.textSha256) return rendered === undefined ? {} : texted(rendered);
  const again = rendered === undefined ? undefined : texted(rendered);
  return { text: again?.textSha256 === record.textSha256 ? again.text : '', textSha256: record.textSha256 };
}

function row(
  record: LedgerRecord,
  { broadcast, incident }: EvidenceSource,
  own: Partial<EvidenceRow>,
): EvidenceRow {
  const times = deliveryTimes(record, broadcast);
  const problem = deliveryProblem(record, broadcast.status);
  return {
    incidentId: broadcast.incidentId,
    broadcastId: broadcast.id,
    kind: broadcast.kind,
    templateId: broadcast.templateId,
    templateVersion: String(broadcast.templateVersion),
    channel: record.channel,
    customerId: '',
    bookingRef: '',
    flightNumber: '',
    flightDate: '',
    recipient: '',
    language: '',
    text: '',
    textSha256: '',
    status: record.status,
    queuedAt: times.queuedAt,
    sentAt: times.sentAt ?? '',
    deliveredAt: times.deliveredAt ?? '',
    statusAt: record.updatedAt,
    notificationDeadline: incidentDeadline(incident),
    reachedBeforeDeadline: '',
    providerMessageId: record.providerId ?? '',
    attempts: String(record.attempts),
    errorCode: problem?.code ?? '',
    reason: problem?.reason ?? '',
    error: record.lastError === undefined ? '' : maskPhonesIn(record.lastError),
    ...own,
  };
}
