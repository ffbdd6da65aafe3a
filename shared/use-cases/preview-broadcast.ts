import { findAffectedFlights } from '#shared/domain/affected-flights.ts';
import { measureSms, X_MAX_WEIGHTED_LENGTH, xWeightedLength } from '#shared/domain/channel-limits.ts';
import type { Exclusion } from '#shared/domain/eligibility.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { type Channel, LANGUAGES, type Language } from '#shared/domain/model.ts';
import { localTime, type PersonalContext, publicContext, renderField } from '#shared/domain/render.ts';
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
}

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
 *    exclusions by reason; keeps the first recipient of each language as the SMS sample;
 * 3. renders every requested channel in every language and measures it against its limits.
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

  const flights = await findAffectedFlights(incident, deps.flights);
  const byLanguage = zeroByLanguage();
  const excluded: Record<Exclusion, number> = { noConsent: 0, invalidPhone: 0, optedOut: 0 };
  const samples = new Map<Language, AudienceMember>();
  let affectedCustomers = 0;
  for await (const member of resolveAudience(flights, deps)) {
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
