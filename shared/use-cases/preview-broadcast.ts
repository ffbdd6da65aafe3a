import { findAffectedFlights } from '#shared/domain/affected-flights.ts';
import { measureSms, X_MAX_WEIGHTED_LENGTH, xWeightedLength } from '#shared/domain/channel-limits.ts';
import type { Exclusion } from '#shared/domain/eligibility.ts';
import { NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import { PREVIEW_TIME_BUDGET_MS } from '#shared/domain/limits.ts';
import { type Channel, LANGUAGES, type Language } from '#shared/domain/model.ts';
import { publicTextErrors } from '#shared/domain/public-text.ts';
import { localTime, type PersonalContext, publicContext, renderField } from '#shared/domain/render.ts';
import { TimeBudget } from '#shared/domain/time-budget.ts';
import type {
  BookingIndex,
  CustomerDirectory,
  FlightCatalog,
  IncidentStore,
  TemplateStore,
} from '#shared/ports/stores.ts';
import { findTemplate } from './find-template.ts';
import { type AudienceMember, resolveAudience } from './resolve-audience.ts';

export interface PreviewInput {
  templateId: string;
  templateVersion?: number;
  variables: Record<string, string>;
  channels: Channel[];
}

export interface PreviewDeps {
  incidents: IncidentStore;
  templates: TemplateStore;
  flights: FlightCatalog;
  bookings: BookingIndex;
  customers: CustomerDirectory;
  /** Starts the budget the search for flights and audience runs under (the API Lambda's, by default). */
  budget?: () => TimeBudget;
}

/** The preview's time: past it, the operator is asked to narrow the incident rather than left to a timeout. */
export const previewBudget = (now: () => number = Date.now): TimeBudget =>
  new TimeBudget(
    PREVIEW_TIME_BUDGET_MS,
    () =>
      new ValidationError(`The preview would take longer than ${PREVIEW_TIME_BUDGET_MS / 1000} s.`, [
        {
          path: 'scope',
          message:
            'Narrow the incident: a shorter window, fewer airports, a smaller area, or carriers to narrow it to.',
        },
      ]),
    now,
  );

export interface AffectedFlightSummary {
  flightNumber: string;
  date: string;
  origin: string;
  destination: string;
  departure: string;
  arrival: string;
}

export interface Preview {
  affectedFlights: AffectedFlightSummary[];
  affectedCustomers: number;
  recipients: { sms: number; byLanguage: Record<Language, number> };
  excluded: Record<Exclusion, number>;
  messages: {
    sms?: Partial<Record<Language, { text: string; encoding: string; segments: number }>>;
    x?: Partial<Record<Language, { text: string; weightedLength: number }>>;
    facebook?: Partial<Record<Language, { text: string }>>;
    status?: Partial<Record<Language, { title: string; body: string }>>;
  };
  warnings: string[];
}

/** The personal variables of one real recipient: the preview shows a real SMS, not a mock-up. */
export function personalContext(member: AudienceMember): PersonalContext {
  return {
    customer: { firstName: member.customer.firstName },
    booking: { ref: member.segment.bookingRef },
    flight: {
      number: member.flight.flightNumber,
      date: member.flight.date,
      origin: member.flight.origin,
      departureTime: localTime(member.flight.departure, member.flight.origin),
    },
  };
}

const zeroByLanguage = (): Record<Language, number> => ({ fi: 0, sv: 0, en: 0 });

/**
 * What a broadcast would do, without doing it.
 * 1. loads the incident and the template version (latest approved unless named; a draft may be
 *    previewed, with a warning);
 * 2. finds the affected flights and streams their audience, counting recipients by language and
 *    exclusions by reason; keeps the first recipient of each language as the SMS sample; all
 *    under a time budget, past which it answers 422 "narrow the incident";
 * 3. renders every requested channel in every language and measures it against its limits;
 * 4. warns of what the broadcast would be refused for on the public channels (personal data in a
 *    variable shown there, the unreviewed incident title).
 * Writes nothing.
 */
export async function previewBroadcast(
  incidentId: string,
  input: PreviewInput,
  deps: PreviewDeps,
): Promise<Preview> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new NotFoundError('Incident', incidentId);
  const template = await findTemplate(deps.templates, input.templateId, input.templateVersion);
  const warnings: string[] = [];
  if (template.status !== 'approved') {
    warnings.push(
      `Version ${template.version} of '${template.id}' is ${template.status}: it cannot be broadcast yet.`,
    );
  }

  const budget = deps.budget ? deps.budget() : previewBudget();
  const flights = await findAffectedFlights(incident, deps.flights, budget);
  const byLanguage = zeroByLanguage();
  const excluded: Record<Exclusion, number> = { noConsent: 0, invalidPhone: 0, optedOut: 0 };
  const samples = new Map<Language, AudienceMember>();
  let affectedCustomers = 0;
  for await (const member of resolveAudience(flights, deps)) {
    budget.check();
    affectedCustomers++;
    if (member.exclusion) {
      excluded[member.exclusion]++;
      continue;
    }
    byLanguage[member.language]++;
    if (!samples.has(member.language)) samples.set(member.language, member);
  }

  const shared = publicContext(incident, input.variables);
  const perLanguage = <T>(render: (language: Language) => T | undefined): Partial<Record<Language, T>> =>
    Object.fromEntries(
      LANGUAGES.flatMap((language) => {
        const rendered = render(language);
        return rendered === undefined ? [] : [[language, rendered]];
      }),
    );
  const messages: Preview['messages'] = {};
  if (input.channels.includes('sms')) {
    messages.sms = perLanguage((language) => {
      const sample = samples.get(language);
      if (!sample) return undefined;
      const { text } = renderField(template, language, 'sms', { ...shared, ...personalContext(sample) });
      const measure = measureSms(text);
      if (measure.segments > 1)
        warnings.push(`The ${language} SMS takes ${measure.segments} segments (${measure.encoding}).`);
      return { text, ...measure };
    });
  }
  if (input.channels.includes('x')) {
    messages.x = perLanguage((language) => {
      const { text } = renderField(template, language, 'social', shared);
      const weightedLength = xWeightedLength(text);
      if (weightedLength > X_MAX_WEIGHTED_LENGTH) {
        warnings.push(`The ${language} X post is ${weightedLength} long; X allows ${X_MAX_WEIGHTED_LENGTH}.`);
      }
      return { text, weightedLength };
    });
  }
  if (input.channels.includes('facebook')) {
    messages.facebook = perLanguage((language) => ({
      text: renderField(template, language, 'social', shared).text,
    }));
  }
  if (input.channels.includes('status')) {
    messages.status = perLanguage((language) => ({
      title: renderField(template, language, 'statusTitle', shared).text,
      body: renderField(template, language, 'statusBody', shared).text,
    }));
  }
  if (flights.length === 0) warnings.push('No flight matches the incident scope.');
  // What a broadcast would refuse (422), said before the operator sends it.
  for (const { path, message } of publicTextErrors(template, input.channels, input.variables))
    warnings.push(`${path}: ${message}`);

  return {
    affectedFlights: flights.map(({ flightNumber, date, origin, destination, departure, arrival }) => ({
      flightNumber,
      date,
      origin,
      destination,
      departure,
      arrival,
    })),
    affectedCustomers,
    recipients: { sms: Object.values(byLanguage).reduce((sum, count) => sum + count, 0), byLanguage },
    excluded,
    messages,
    warnings,
  };
}
