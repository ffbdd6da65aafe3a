import type { DuplicatePost, Preview, PreviewAirport } from '#shared/api/broadcasts.ts';
import { findAirport } from '#shared/domain/airports.ts';
import { measureSms, X_MAX_WEIGHTED_LENGTH, xWeightedLength } from '#shared/domain/channel-limits.ts';
import {
  deadlineWarning,
  incidentDeadline,
  PRIORITY_HOURS,
  type SmsLoad,
  smsEta,
} from '#shared/domain/deadline.ts';
import { NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import { EXERCISE_PREVIEW_WARNING, isExercise } from '#shared/domain/exercise.ts';
import { PREVIEW_TIME_BUDGET_MS } from '#shared/domain/limits.ts';
import {
  type BroadcastKind,
  type Channel,
  LANGUAGES,
  type Language,
  type PostChannel,
  type TemplateVersion,
} from '#shared/domain/model.ts';
import {
  languagesFallingBack,
  type OperatorText,
  titleLanguagesFallingBack,
} from '#shared/domain/operator-text.ts';
import { publicTextErrors } from '#shared/domain/public-text.ts';
import {
  type BroadcastSource,
  localTime,
  type PersonalContext,
  renderBroadcastField,
  templateVariables,
} from '#shared/domain/render.ts';
import { audienceRate, type SmsSenderPool, senderFor } from '#shared/domain/sms-senders.ts';
import { renderSms } from '#shared/domain/sms-text.ts';
import { freeTextVariables, OPERATOR_TITLE, variableValueErrors } from '#shared/domain/template-rules.ts';
import { TimeBudget } from '#shared/domain/time-budget.ts';
import { hasOwnWording, kindWording, missingWordingErrors } from '#shared/domain/wording.ts';
import type { BookingIndex, CustomerDirectory, FlightCatalog, IncidentStore } from '#shared/ports/stores.ts';
import { flightKeyOf, overflightTest } from './affected-flights.ts';
import { type AudienceTally, emptyTally, tallyAudience } from './estimate-audience.ts';
import { findTemplate } from './find-template.ts';
import { type PreviousPostsDeps, previousPosts } from './previous-posts.ts';
import type { AudienceMember } from './resolve-audience.ts';

export interface PreviewInput extends OperatorText {
  templateId: string;
  templateVersion?: number;
  channels: Channel[];
  kind: BroadcastKind;
}

export interface PreviewDeps extends PreviousPostsDeps {
  incidents: IncidentStore;
  flights: FlightCatalog;
  bookings: BookingIndex;
  customers: CustomerDirectory;
  /** Starts the budget the search for flights and audience runs under (the API Lambda's, by default). */
  budget?: () => TimeBudget;
  /** Segments per second the SMS would go out at (config.ts broadcastSmsRate); without it, no ETA. */
  smsPerSecond?: number;
  /** The sender pool, when there is one: the rate is then what its senders serving this audience allow. */
  smsSenders?: SmsSenderPool;
  now?: () => number;
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

/** The named airports' places, each once; a code the airport data lacks is left off the map. */
function airportsOnMap(codes: string[]): Record<string, PreviewAirport> {
  return Object.fromEntries(
    [...new Set(codes)].flatMap((code) => {
      const airport = findAirport(code);
      return airport
        ? [[code, { name: airport.name, latitude: airport.latitude, longitude: airport.longitude }]]
        : [];
    }),
  );
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

/** Recipients by language and the segments of each language's SMS sample: what the sender must carry. */
function smsLoad(recipients: Record<Language, number>, sms: Preview['messages']['sms']): SmsLoad {
  return LANGUAGES.reduce(
    (load, language) => ({
      recipients: load.recipients + recipients[language],
      segments: load.segments + recipients[language] * (sms?.[language]?.segments ?? 1),
    }),
    { recipients: 0, segments: 0 },
  );
}

/** The rate of a sender pool's senders that serve the audience, by the segments each must carry (audienceRate). */
function poolAudienceRate(
  pool: SmsSenderPool,
  audience: AudienceTally,
  sms: Preview['messages']['sms'],
): number {
  const segments = new Map(
    [...(audience.bySender?.byLanguage ?? [])].map(([sender, byLanguage]) => [
      sender,
      smsLoad(byLanguage, sms).segments,
    ]),
  );
  return audienceRate(pool, segments);
}

const LANGUAGE_NAMES: Record<Language, string> = { fi: 'Finnish', sv: 'Swedish', en: 'English' };
const names = (languages: readonly Language[]) =>
  new Intl.ListFormat('en', { type: 'conjunction' }).format(languages.map((l) => LANGUAGE_NAMES[l]));

/** The operator's text a language will show in English because it was left empty there. */
function fallbackWarnings(source: BroadcastSource, input: PreviewInput): string[] {
  const warnings = freeTextVariables(source.template, input.variables).flatMap((name) => {
    const missing = languagesFallingBack(input, name);
    return missing.length > 0
      ? [`vars.${name} has no ${names(missing)} text: the ${names(missing)} messages show the English.`]
      : [];
  });
  const sms = kindWording(source.template, input.kind)?.en?.sms ?? '';
  const titleMissing = titleLanguagesFallingBack(source.incident);
  if (
    input.channels.includes('sms') &&
    templateVariables(sms).includes(OPERATOR_TITLE) &&
    titleMissing.length > 0
  )
    warnings.push(
      `The incident title has no ${names(titleMissing)} text: the ${names(titleMissing)} SMS show the English title.`,
    );
  return warnings;
}

/**
 * X and Facebook posts equal to the incident's previous post there, each with this template's
 * wording of another kind when that reads differently (an initial sent again is an update).
 */
async function duplicatePosts(
  source: BroadcastSource,
  input: PreviewInput,
  deps: PreviousPostsDeps,
): Promise<DuplicatePost[]> {
  const channels = (['x', 'facebook'] as const).filter((channel) => input.channels.includes(channel));
  if (channels.length === 0) return [];
  const previous = await previousPosts(source.incident, channels, deps);
  const alternative: BroadcastKind | undefined =
    input.kind === 'initial' && hasOwnWording(source.template, 'update') ? 'update' : undefined;
  return channels.flatMap((channel) =>
    LANGUAGES.flatMap((language) => {
      const before = previous.get(`${channel}:${language}`);
      if (before !== renderBroadcastField(source, language, 'social').text) return [];
      const text =
        alternative &&
        renderBroadcastField(
          { ...source, broadcast: { ...source.broadcast, kind: alternative } },
          language,
          'social',
        ).text;
      return [
        {
          channel,
          language,
          ...(alternative && text !== undefined && text !== before
            ? { suggestion: { kind: alternative, text } }
            : {}),
        },
      ];
    }),
  );
}

const CHANNEL_LABELS: Record<PostChannel, string> = { x: 'X', facebook: 'Facebook' };

function duplicateWarning(duplicate: DuplicatePost, template: TemplateVersion): string {
  const what = `The ${duplicate.language} ${CHANNEL_LABELS[duplicate.channel]} post equals the incident's previous ${CHANNEL_LABELS[duplicate.channel]} post`;
  const refusal = duplicate.channel === 'x' ? '; X refuses a duplicate (error 187)' : '';
  const instead = duplicate.suggestion
    ? ` Send it as ${duplicate.suggestion.kind === 'update' ? 'an update' : `a ${duplicate.suggestion.kind}`}: "${duplicate.suggestion.text}"`
    : hasOwnWording(template, 'update')
      ? ' Change the free text, or leave this channel out.'
      : ` Version ${template.version} of '${template.id}' has no update wording of its own: choose a template that has, change the free text, or leave this channel out.`;
  return `${what}${refusal}.${instead}`;
}

/**
 * What a broadcast would do, without doing it.
 * 1. loads the incident and the template version (latest approved unless named; a draft may be
 *    previewed, with a warning); a kind the version has no wording for, or a variable value
 *    the broadcast would refuse (longer than the template allows, a character XML forbids, a
 *    translation without its English value), is refused (422), as the broadcast would be;
 * 2. finds the affected flights and streams their audience, counting recipients by language and
 *    exclusions by reason; keeps the first recipient of each language as the SMS sample; all
 *    under a time budget, past which it answers 422 "narrow the incident" (tallyAudience, the
 *    count a broadcast held for approval stores too);
 * 3. renders every requested channel in every language, in the kind's wording and the operator's
 *    text in that language, and measures it against its limits;
 * 4. warns of what the broadcast would be refused for on the public channels (personal data in a
 *    variable shown there, the unreviewed incident title), of operator text a language shows in
 *    English because it was left empty, and of X and Facebook posts equal to the incident's
 *    previous post there (offering the wording of another kind when one reads differently);
 * 5. for SMS, dates the last SMS from the recipients, their segments and the rate (a sender pool's:
 *    what the senders serving these recipients allow, by their shares), and the last to
 *    those departing within PRIORITY_HOURS (the planner's order sends them first), and warns when
 *    the last would go after the incident's notification deadline: how many late, the rate needed.
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
  // The broadcast's own checks of the operator's values (length, XML, translations), so nothing
  // previewed is then refused at send.
  const refused = [...missingWordingErrors(template, input.kind), ...variableValueErrors(template, input)];
  if (refused.length > 0) throw new ValidationError('The broadcast cannot be previewed.', refused);
  const warnings: string[] = [];
  if (template.status !== 'approved') {
    warnings.push(
      `Version ${template.version} of '${template.id}' is ${template.status}: it cannot be broadcast yet.`,
    );
  }

  const now = (deps.now ?? Date.now)();
  const audience = emptyTally();
  audience.departingBy = { until: now + PRIORITY_HOURS * 3_600_000, byLanguage: { fi: 0, sv: 0, en: 0 } };
  const pool = deps.smsSenders;
  if (pool) audience.bySender = { senderOf: (phone) => senderFor(pool, phone).id, byLanguage: new Map() };
  await tallyAudience(incident, deps, deps.budget ? deps.budget() : previewBudget(), audience);
  const { flights, byLanguage, samples } = audience;

  const source: BroadcastSource = { template, incident, broadcast: input };
  const render = (language: Language, field: Parameters<typeof renderBroadcastField>[2]) =>
    renderBroadcastField(source, language, field).text;
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
      const { text } = renderSms(source, language, personalContext(sample));
      const measure = measureSms(text);
      if (measure.segments > 1)
        warnings.push(`The ${language} SMS takes ${measure.segments} segments (${measure.encoding}).`);
      return { text, ...measure };
    });
  }
  if (input.channels.includes('x')) {
    messages.x = perLanguage((language) => {
      const text = render(language, 'social');
      const weightedLength = xWeightedLength(text);
      if (weightedLength > X_MAX_WEIGHTED_LENGTH) {
        warnings.push(`The ${language} X post is ${weightedLength} long; X allows ${X_MAX_WEIGHTED_LENGTH}.`);
      }
      return { text, weightedLength };
    });
  }
  if (input.channels.includes('facebook')) {
    messages.facebook = perLanguage((language) => ({ text: render(language, 'social') }));
  }
  if (input.channels.includes('status')) {
    messages.status = perLanguage((language) => ({
      title: render(language, 'statusTitle'),
      body: render(language, 'statusBody'),
    }));
  }
  if (flights.length === 0) warnings.push('No flight matches the incident scope.');
  if (isExercise(incident)) warnings.push(EXERCISE_PREVIEW_WARNING);
  // What a broadcast would refuse (422), said before the operator sends it.
  for (const { path, message } of publicTextErrors(template, input)) warnings.push(`${path}: ${message}`);
  warnings.push(...fallbackWarnings(source, input));
  const duplicates = await duplicatePosts(source, input, deps);
  warnings.push(...duplicates.map((duplicate) => duplicateWarning(duplicate, template)));
  const smsPerSecond = pool ? poolAudienceRate(pool, audience, messages.sms) : deps.smsPerSecond;
  const eta =
    messages.sms && smsPerSecond
      ? smsEta(
          {
            all: smsLoad(byLanguage, messages.sms),
            soon: smsLoad(audience.departingBy.byLanguage, messages.sms),
          },
          incidentDeadline(incident),
          smsPerSecond,
          now,
        )
      : undefined;
  const late = eta && deadlineWarning(eta, now);
  if (late) warnings.push(late);

  const isOverflight = overflightTest(incident);
  return {
    affectedFlights: flights.map((flight) => ({
      flightNumber: flight.flightNumber,
      date: flight.date,
      origin: flight.origin,
      destination: flight.destination,
      departure: flight.departure,
      arrival: flight.arrival,
      passengers: audience.customersByFlight.get(flightKeyOf(flight)) ?? 0,
      overflight: isOverflight(flight),
    })),
    airports: airportsOnMap([
      ...(incident.scope.airports ?? []),
      ...flights.flatMap((flight) => [flight.origin, flight.destination]),
    ]),
    affectedCustomers: audience.affectedCustomers,
    recipients: { sms: Object.values(byLanguage).reduce((sum, count) => sum + count, 0), byLanguage },
    excluded: audience.excluded,
    messages,
    duplicatePosts: duplicates,
    ...(eta ? { eta } : {}),
    warnings,
  };
}
