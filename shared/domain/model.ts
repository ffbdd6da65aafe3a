/** The domain vocabulary shared by every use case, adapter and handler. */

import type { MultiPolygon, Polygon } from 'geojson';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = 'en';
/**
 * The languages an operator may type their own text in beside English (an incident's title, a
 * broadcast's variables). English is required and is what a language left empty shows.
 */
export const TRANSLATION_LANGUAGES = ['fi', 'sv'] as const satisfies readonly Language[];
export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

export const CHANNELS = ['sms', 'x', 'facebook', 'status'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels that carry one generic post per language: never personal data. */
export type PublicChannel = Exclude<Channel, 'sms'>;
/** The public channels that post to a provider, each post its incident's thread: X and Facebook. */
export type PostChannel = Exclude<PublicChannel, 'status'>;

export const INCIDENT_TYPES = [
  'strike',
  'ash-cloud',
  'weather',
  'airport-closure',
  'technical',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Half-open interval: start <= t < end, both ISO 8601 with offset. */
export interface TimeWindow {
  start: string;
  end: string;
}

export interface FlightRef {
  flightNumber: string;
  /** Scheduled departure date, YYYY-MM-DD. */
  date: string;
}

export interface Scope {
  airports?: string[];
  /** GeoJSON, [lon, lat] positions (an ash-cloud advisory): the airports inside it count as `airports`. */
  area?: Polygon | MultiPolygon;
  /** With an area: also the flights over it at some instant of the window. */
  includeOverflights?: boolean;
  flights?: FlightRef[];
  carriers?: string[];
}

export interface Incident {
  id: string;
  type: IncidentType;
  title: string;
  severity: Severity;
  window: TimeWindow;
  scope: Scope;
  status: 'open' | 'resolved';
  createdAt: string;
  createdBy: string;
  resolvedAt?: string;
  /**
   * When every affected passenger should have been told (deadline.ts): set at opening; absent on
   * an incident opened before deadlines were stored, which has the regulatory 30 minutes.
   */
  notificationDeadline?: string;
  /** The title in Finnish and Swedish, for the SMS in those languages; `title` (English) where absent. */
  titleByLanguage?: Partial<Record<TranslationLanguage, string>>;
  /** A rehearsal (exercise.ts): only staff test numbers are texted, nothing public is posted. */
  exercise?: boolean;
}

/** An incident as a list shows it: without its scope, which may hold thousands of positions. */
export type IncidentSummary = Omit<Incident, 'scope'>;

export interface Flight extends FlightRef {
  carrier: string;
  origin: string;
  destination: string;
  departure: string;
  arrival: string;
}

export interface Customer {
  customerId: string;
  firstName: string;
  lastName: string;
  phone: string;
  language: string;
  smsConsent: boolean;
  optedOut?: boolean;
  /** When the message behind the last opt-out or opt-in arrived (ISO): an older one cannot undo it. */
  optChangedAt?: string;
}

/** One passenger on one segment of a booking: the unit the audience is built from. */
export interface PassengerSegment {
  bookingRef: string;
  customerId: string;
  flightNumber: string;
  date: string;
}

export interface Booking {
  bookingRef: string;
  passengers: string[];
  segments: FlightRef[];
}

export const TEMPLATE_FIELDS = ['sms', 'social', 'statusTitle', 'statusBody'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateContent = Record<TemplateField, string>;
/** One set of texts, every field per language: the wording of one broadcast kind. */
export type TemplateWording = Partial<Record<Language, TemplateContent>>;

export interface TemplateVersion {
  id: string;
  version: number;
  name: string;
  status: 'draft' | 'submitted' | 'approved' | 'rejected';
  /**
   * The first message's wording (kind `initial`). A version without `updateContent` sends it for
   * updates too, as every version did before kinds had wordings of their own.
   */
  content: TemplateWording;
  /** An update's own wording (kind `update`). */
  updateContent?: TemplateWording;
  /**
   * The all-clear (kind `resolution`). Without it a resolution is refused (422): it never
   * repeats the disruption wording.
   */
  resolutionContent?: TemplateWording;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  /** `vars.*` names an operator may fill in without further approval (the allow-list). Default none. */
  allowedVariables?: string[];
  /**
   * `vars.*` names for the operator's own wording: a broadcast that fills one (or any name outside
   * `allowedVariables`) waits in `pending_approval` for a comms lead. Default none.
   */
  freeTextVariables?: string[];
  /** The longest value a `vars.*` may take; submit measures the worst case with it. Default 60. */
  maxVariableLength?: number;
  /** An X post over 280 weighted characters may go out as a numbered thread. Default false. */
  allowThread?: boolean;
  /** Most SMS segments the worst-case `sms` text may take. Default 2. */
  smsSegmentBudget?: number;
  submittedBy?: string;
  submittedAt?: string;
  approvedAt?: string;
  rejectedBy?: string;
  rejectedAt?: string;
  rejectionReason?: string;
}

/** A template with every version, newest first: what `GET /templates/{id}` answers. */
export interface TemplateDetail {
  id: string;
  name: string;
  latestVersion: number;
  /** The highest approved version, if any. */
  approvedVersion?: number;
  versions: TemplateVersion[];
}

/** One line per template: what `GET /templates` lists. */
export interface TemplateSummary {
  id: string;
  name: string;
  latestVersion: number;
  /** The status of the latest version. */
  status: TemplateVersion['status'];
  /** The highest approved version, the one a broadcast uses by default. */
  approvedVersion?: number;
  updatedAt: string;
}

export const BROADCAST_KINDS = ['initial', 'update', 'resolution'] as const;
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];
/** The field of a template version holding each kind's own wording. */
export const WORDING_FIELDS = {
  initial: 'content',
  update: 'updateContent',
  resolution: 'resolutionContent',
} as const satisfies Record<BroadcastKind, keyof TemplateVersion>;
export type WordingField = (typeof WORDING_FIELDS)[BroadcastKind];
export type BroadcastStatus =
  | 'pending_approval'
  | 'queued'
  | 'sending'
  | 'completed'
  | 'partial'
  | 'cancelled'
  | 'failed';

export interface ChannelCounts {
  recipients: number;
  /** Still to go (derived): recipients minus those sent, delivered, failed or opted out. */
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  optedOut: number;
  /** Recorded for an exercise instead of sent (exercise.ts): never sent, never retried. */
  exercise: number;
  /** What a cancel left unsent (derived): a cancelled broadcast's `queued` remainder, which stays 0 otherwise. */
  notSent: number;
  /** Provider calls made to send (retries included); reconciling a record is not one. */
  attempts: number;
  /**
   * Sends of a record the provider had already accepted: found by reconciliation (more than one
   * matching message) or by a worker whose lease had run out. 0 is the promise.
   */
  duplicatesSuspected: number;
}

export interface Broadcast {
  id: string;
  incidentId: string;
  templateId: string;
  templateVersion: number;
  /** The operator's values, in English: what a language without its own value shows. */
  variables: Record<string, string>;
  /** The same variables in Finnish and Swedish, where the operator wrote them. */
  variablesByLanguage?: Partial<Record<TranslationLanguage, Record<string, string>>>;
  channels: Channel[];
  kind: BroadcastKind;
  status: BroadcastStatus;
  createdAt: string;
  createdBy: string;
  startedAt?: string;
  /** Set once every delivery record exists: from then on the counts are final totals. */
  plannedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  /** Last time a delivery of this broadcast moved: a broadcast that stops moving is swept. */
  lastActivityAt?: string;
  /** A cancelled broadcast's counts were found equal to its ledger once no send could move them. */
  countsFinalAt?: string;
  /**
   * When receipt reconciliation last asked Twilio about this ended broadcast's SMS still `sent`
   * (accepted, no delivery receipt): see docs/architecture.md, receipt reconciliation.
   */
  receiptsCheckedAt?: string;
  counts: Partial<Record<Channel, ChannelCounts>>;
  /** The comms lead who released a broadcast that waited for approval, and when. */
  approvedBy?: string;
  approvedAt?: string;
  /** Who it would reach, counted when it was requested: set on one that waits for approval (no ledger yet). */
  audienceEstimate?: AudienceEstimate;
}

/** Who a broadcast would reach, counted from the bookings when it was requested, as the preview counts. */
export interface AudienceEstimate {
  /** Per channel: SMS passengers; one post per language on X and Facebook; the status site. */
  recipients: Partial<Record<Channel, number>>;
  /** The SMS recipients by language. */
  smsByLanguage: Record<Language, number>;
  countedAt: string;
  /** False when counting stopped at its time budget: the SMS figures are then lower bounds. */
  complete: boolean;
}

export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'opted_out',
  /** Recorded, never sent nor retried: a passenger or a public post of an exercise (exercise.ts). */
  'exercise',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One ledger line: broadcast × recipient × channel. The source of truth for what was sent. */
export interface Delivery {
  broadcastId: string;
  channel: Channel;
  /** customerId for SMS, the language for public channels (one post per language). */
  recipientId: string;
  status: DeliveryStatus;
  /** Claims taken on the record. */
  attempts: number;
  /** Provider calls made to send it (retries included): its part of the channel's `attempts`. */
  calls?: number;
  /** Messages of this record the provider holds beyond the one recorded (see ChannelCounts). */
  duplicatesSuspected?: number;
  providerId?: string;
  /** The SMS provider that accepted it (sms-routing.ts): Twilio or the fallback, AWS End User Messaging SMS. */
  provider?: string;
  /**
   * When a send of this record was last handed to the fallback provider, which cannot be asked what
   * it accepted: while its delivery events may still be on the way, an uncertain record is not sent again.
   */
  fallbackAt?: string;
  lastError?: string;
  updatedAt: string;
  /** When the record was queued, first recorded sent, and first receipted delivered (delivery-times.ts). */
  queuedAt?: string;
  sentAt?: string;
  deliveredAt?: string;
  /** SHA-256 (hex) of the exact text handed to the provider, recorded with the send. */
  textSha256?: string;
  /** While `sending`: the invocation that claimed the record for one send… */
  leaseOwner?: string;
  /** …until this time (epoch ms); after it the record may be claimed again. */
  leaseExpiresAt?: number;
  /**
   * The claim time of the earliest attempt that may have reached the provider without its outcome
   * being recorded (a crash, a timeout): the next claim asks the provider before sending again.
   */
  uncertainSince?: string;
}

/** One line of the audit log: who did what to which resource (and version), when. */
export interface AuditEntry {
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  actor: string;
  /** "<resource>.<verb>": template.created, template.approved, broadcast.created, broadcast.cancelled… */
  action: string;
  resource: { type: string; id: string; version?: number };
  details?: Record<string, unknown>;
}
