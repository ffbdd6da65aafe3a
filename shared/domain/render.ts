/**
 * The one renderer: every channel, the preview and the workers render templates through
 * here, so the same approved words go everywhere.
 */
import Mustache from 'mustache';
import { findAirport } from './airports.ts';
import {
  FALLBACK_LANGUAGE,
  type Incident,
  type Language,
  type TemplateField,
  type TemplateVersion,
} from './model.ts';

/** Variables every field may use: the incident and the broadcast's own `vars`. */
export interface PublicContext {
  incident: {
    title: string;
    type: string;
    severity: string;
    airports: string;
    windowStart: string;
    windowEnd: string;
  };
  vars: Record<string, string>;
}

/** Personal variables, for the private SMS only. */
export interface PersonalContext {
  customer: { firstName: string };
  booking: { ref: string };
  flight: { number: string; date: string; origin: string; departureTime: string };
}

export type RenderContext = PublicContext & Partial<PersonalContext>;

/** Plain text output: SMS and social posts are not HTML, so nothing is escaped here. */
const PLAIN_TEXT = { escape: (value: unknown) => String(value) };

export function publicContext(incident: Incident, vars: Record<string, string>): PublicContext {
  return {
    incident: {
      title: incident.title,
      type: incident.type,
      severity: incident.severity,
      airports: (incident.scope.airports ?? []).join(', '),
      windowStart: incident.window.start,
      windowEnd: incident.window.end,
    },
    vars,
  };
}

/** "HH:MM" at the departure airport, the time a passenger reads on their boarding pass. */
export function localTime(iso: string, airportCode: string): string {
  const timeZone = findAirport(airportCode)?.tz ?? 'UTC';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** Renders one field in the requested language, falling back to English when the template lacks it. */
export function renderField(
  template: TemplateVersion,
  language: Language,
  field: TemplateField,
  context: RenderContext,
): { language: Language; text: string } {
  const content = template.content[language] ?? template.content[FALLBACK_LANGUAGE];
  const used = template.content[language] ? language : FALLBACK_LANGUAGE;
  if (!content)
    throw new Error(`Template ${template.id} v${template.version} has no ${FALLBACK_LANGUAGE} content`);
  return { language: used, text: Mustache.render(content[field], context, {}, PLAIN_TEXT).trim() };
}
