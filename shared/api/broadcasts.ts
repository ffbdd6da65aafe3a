/**
 * What the broadcast routes answer: the preview an operator reads before sending, a broadcast
 * followed while it sends, and the list of an incident's broadcasts. (The comms lead's review is
 * shared/domain/broadcast-review.ts's: the domain renders it as the workers render.)
 */
import type { SmsEta } from '#shared/domain/deadline.ts';
import type { Exclusion } from '#shared/domain/eligibility.ts';
import type { Broadcast, BroadcastKind, Language, PostChannel } from '#shared/domain/model.ts';

/** POST /incidents/{id}/preview: one of the flights the broadcast concerns. */
export interface AffectedFlightSummary {
  flightNumber: string;
  date: string;
  origin: string;
  destination: string;
  departure: string;
  arrival: string;
  /** Affected customers counted on this flight: each once, on their soonest affected flight. */
  passengers: number;
  /** Affected only by crossing the area in the air (overflightTest): the map draws it apart. */
  overflight: boolean;
}

/** Where an airport is, for the preview's map. */
export interface PreviewAirport {
  name: string;
  latitude: number;
  longitude: number;
}

/** POST /incidents/{id}/preview: whom a broadcast would reach and what it would say, before it is sent. */
export interface Preview {
  affectedFlights: AffectedFlightSummary[];
  /** Every airport the affected flights and the scope name, by IATA code: the map needs no lookup per flight. */
  airports: Record<string, PreviewAirport>;
  affectedCustomers: number;
  recipients: { sms: number; byLanguage: Record<Language, number> };
  excluded: Record<Exclusion, number>;
  messages: {
    sms?: Partial<Record<Language, { text: string; encoding: string; segments: number }>>;
    x?: Partial<Record<Language, { text: string; weightedLength: number }>>;
    facebook?: Partial<Record<Language, { text: string }>>;
    status?: Partial<Record<Language, { title: string; body: string }>>;
  };
  /** Posts that would equal the incident's previous one there (X refuses them: error 187). */
  duplicatePosts: DuplicatePost[];
  /** SMS only: when the last SMS, and the last to those departing soon, would go, against the incident's deadline. */
  eta?: SmsEta;
  warnings: string[];
}

export interface DuplicatePost {
  channel: PostChannel;
  language: Language;
  /** Another kind of this template whose own wording differs from the previous post: what to send instead. */
  suggestion?: { kind: BroadcastKind; text: string };
}

/** GET /broadcasts/{id}: the broadcast with what its readers need to follow it. */
export interface BroadcastDetail extends Broadcast {
  /** When the last SMS should go at the configured rate; absent once the broadcast has ended. */
  estimatedCompletion?: string;
  /**
   * No send can change the counts any more (receipts aside): the broadcast ended and, if it was
   * cancelled, sends that were in flight at the cancel have finished. Clients poll until then.
   */
  countsFinal: boolean;
}

/** GET /incidents/{id}/broadcasts: a page of these, each as GET /broadcasts/{id} shows it but whether its counts are final. */
export type BroadcastSummary = Omit<BroadcastDetail, 'countsFinal'>;

/** POST /incidents/{id}/broadcasts (202) and POST /broadcasts/{id}/approve: where the broadcast now stands. */
export type BroadcastAccepted = Pick<Broadcast, 'id' | 'status'>;

/** `broadcast` as a BroadcastAccepted, whatever else it holds. */
export const broadcastAccepted = ({ id, status }: BroadcastAccepted): BroadcastAccepted => ({ id, status });
