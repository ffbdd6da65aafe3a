import type { Exclusion } from '#shared/domain/eligibility.ts';
import { AUDIENCE_ESTIMATE_BUDGET_MS } from '#shared/domain/limits.ts';
import type { AudienceEstimate, Channel, Flight, Incident, Language } from '#shared/domain/model.ts';
import { TimeBudget } from '#shared/domain/time-budget.ts';
import type { BookingIndex, CustomerDirectory, FlightCatalog } from '#shared/ports/stores.ts';
import { findAffectedFlights, flightKeyOf } from './affected-flights.ts';
import { publicRecipients } from './plan-broadcast.ts';
import { type AudienceMember, resolveAudience } from './resolve-audience.ts';

export interface EstimateDeps {
  flights: FlightCatalog;
  bookings: BookingIndex;
  customers: CustomerDirectory;
}

/** What counting an incident's audience found, filled in as it goes (so a count cut short keeps what it saw). */
export interface AudienceTally {
  flights: Flight[];
  affectedCustomers: number;
  /** Affected customers by flight key (flightKeyOf), each counted on their soonest affected flight. */
  customersByFlight: Map<string, number>;
  byLanguage: Record<Language, number>;
  excluded: Record<Exclusion, number>;
  /** The first recipient of each language: the preview renders its SMS sample for them. */
  samples: Map<Language, AudienceMember>;
  /** When set, also recipients by language whose flight departs by `until` (epoch ms): the preview's priority. */
  departingBy?: { until: number; byLanguage: Record<Language, number> };
  /** When set, also recipients by the sender their number goes to, and language: the rate of a sender pool. */
  bySender?: { senderOf: (phone: string) => string; byLanguage: Map<string, Record<Language, number>> };
}

export const emptyTally = (): AudienceTally => ({
  flights: [],
  affectedCustomers: 0,
  customersByFlight: new Map(),
  byLanguage: { fi: 0, sv: 0, en: 0 },
  excluded: { noConsent: 0, invalidPhone: 0, optedOut: 0 },
  samples: new Map(),
});

/**
 * Counts who an incident's broadcast would text, into `tally`: the affected flights, then their
 * audience, recipients by language and exclusions by reason. Checks `budget` on every flight and
 * recipient, so its error ends the count where it stands.
 */
export async function tallyAudience(
  incident: Incident,
  deps: EstimateDeps,
  budget: TimeBudget,
  tally: AudienceTally,
): Promise<void> {
  tally.flights = await findAffectedFlights(incident, deps.flights, budget);
  for await (const member of resolveAudience(tally.flights, deps)) {
    budget.check();
    tally.affectedCustomers++;
    const flightKey = flightKeyOf(member.flight);
    tally.customersByFlight.set(flightKey, (tally.customersByFlight.get(flightKey) ?? 0) + 1);
    if (member.exclusion) {
      tally.excluded[member.exclusion]++;
      continue;
    }
    tally.byLanguage[member.language]++;
    if (tally.departingBy && Date.parse(member.flight.departure) <= tally.departingBy.until)
      tally.departingBy.byLanguage[member.language]++;
    if (tally.bySender) {
      const sender = tally.bySender.senderOf(member.customer.phone);
      const counts = tally.bySender.byLanguage.get(sender) ?? { fi: 0, sv: 0, en: 0 };
      counts[member.language]++;
      tally.bySender.byLanguage.set(sender, counts);
    }
    if (!tally.samples.has(member.language)) tally.samples.set(member.language, member);
  }
}

/** Thrown by the estimate's budget: the count stops there and says it is a lower bound. */
class EstimateCutShort extends Error {}

/**
 * Who a broadcast on `channels` would reach, counted now, as the preview counts: for a broadcast
 * that waits for approval, whose ledger the planner writes only once it is approved.
 * 1. counts the SMS audience under AUDIENCE_ESTIMATE_BUDGET_MS; past it the figures so far are
 *    kept as lower bounds (`complete: false`) rather than failing the request;
 * 2. adds one recipient per public post, as the planner writes them.
 */
export async function estimateAudience(
  incident: Incident,
  channels: readonly Channel[],
  deps: EstimateDeps,
  now: () => number = Date.now,
): Promise<AudienceEstimate> {
  const tally = emptyTally();
  let complete = true;
  if (channels.includes('sms')) {
    const budget = new TimeBudget(AUDIENCE_ESTIMATE_BUDGET_MS, () => new EstimateCutShort(), now);
    try {
      await tallyAudience(incident, deps, budget, tally);
    } catch (error) {
      if (!(error instanceof EstimateCutShort)) throw error;
      complete = false;
    }
  }
  const sms = Object.values(tally.byLanguage).reduce((sum, count) => sum + count, 0);
  return {
    recipients: Object.fromEntries(
      channels.map((channel) => [channel, channel === 'sms' ? sms : publicRecipients(channel).length]),
    ),
    smsByLanguage: tally.byLanguage,
    countedAt: new Date(now()).toISOString(),
    complete,
  };
}
