/**
 * The one renderer: every channel, the preview and the workers render templates through
 * here, so the same approved words go everywhere.
 */
import Mustache from 'mustache';
import { findAirport } from './airports.ts';
import { X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './channel-limits.ts';
import {
  type Broadcast,
  type BroadcastKind,
  FALLBACK_LANGUAGE,
  type Incident,
  type Language,
  type TemplateField,
  type TemplateVersion,
} from './model.ts';
import { incidentTitle, type OperatorText, operatorValues } from './operator-text.ts';
import { kindWording } from './wording.ts';

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

/** The variables every field of a broadcast may use, in one language. */
export function publicContext(incident: Incident, text: OperatorText, language: Language): PublicContext {
  return {
    incident: {
      title: incidentTitle(incident, language),
      type: incident.type,
      severity: incident.severity,
      airports: (incident.scope.airports ?? []).join(', '),
      windowStart: incident.window.start,
      windowEnd: incident.window.end,
    },
    vars: operatorValues(text, language),
  };
}

/**
 * One formatter per time zone: making one costs about a millisecond, more than the rest of an
 * SMS's rendering, and an SMS batch or an evidence page renders a thousand.
 */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "HH:MM" at the departure airport, the time a passenger reads on their boarding pass. */
export function localTime(iso: string, airportCode: string): string {
  const timeZone = findAirport(airportCode)?.tz ?? 'UTC';
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

/**
 * Renders one field of the wording `kind` sends (see wording.ts) in the requested language,
 * falling back to English when the template lacks the language. Throws when the version has no
 * wording for the kind: a broadcast is refused before that can happen (missingWordingErrors).
 */
export function renderField(
  template: TemplateVersion,
  kind: BroadcastKind,
  language: Language,
  field: TemplateField,
  context: RenderContext,
): { language: Language; text: string } {
  const wording = kindWording(template, kind);
  if (!wording) throw new Error(`Template ${template.id} v${template.version} has no ${kind} wording`);
  const content = wording[language] ?? wording[FALLBACK_LANGUAGE];
  const used = wording[language] ? language : FALLBACK_LANGUAGE;
  if (!content)
    throw new Error(
      `Template ${template.id} v${template.version} has no ${FALLBACK_LANGUAGE} ${kind} wording`,
    );
  return { language: used, text: renderText(content[field], context) };
}

/** A broadcast (or a request for one) with what its texts are rendered from. */
export interface BroadcastSource {
  template: TemplateVersion;
  incident: Incident;
  broadcast: OperatorText & Pick<Broadcast, 'kind'>;
}

/**
 * One field of a broadcast in one language: its kind's wording, the operator's text in that
 * language, and for the SMS the recipient's personal variables.
 */
export function renderBroadcastField(
  { template, incident, broadcast }: BroadcastSource,
  language: Language,
  field: TemplateField,
  personal?: PersonalContext,
): { language: Language; text: string } {
  const context = { ...publicContext(incident, broadcast, language), ...personal };
  return renderField(template, broadcast.kind, language, field, context);
}

/** Renders one template text as plain text: the core of {@link renderField}, for checks on a draft. */
export function renderText(text: string, context: RenderContext): string {
  return Mustache.render(text, context, {}, PLAIN_TEXT).trim();
}

/** One Mustache tag of a template text; `variable` covers `{{x}}`, `{{{x}}}` and `{{&x}}`. */
export interface TemplateTag {
  type: 'variable' | 'section' | 'partial' | 'delimiters';
  name: string;
}

const TAG_TYPES: Partial<Record<string, TemplateTag['type']>> = {
  name: 'variable',
  '&': 'variable',
  '#': 'section',
  '^': 'section',
  '>': 'partial',
  '=': 'delimiters',
};

/**
 * Every tag of a template text, in order and including those nested in sections, parsed by the
 * same Mustache that renders it. Throws (Mustache's own message) when the text does not parse.
 */
export function templateTags(text: string): TemplateTag[] {
  const tags: TemplateTag[] = [];
  const walk = (spans: Mustache.TemplateSpans): void => {
    for (const span of spans) {
      const type = TAG_TYPES[span[0]];
      if (type) tags.push({ type, name: span[1] });
      const nested = span[4];
      if (Array.isArray(nested)) walk(nested);
    }
  };
  walk(Mustache.parse(text));
  return tags;
}

/** The distinct variable names a template text renders, e.g. `["incident.title", "vars.gate"]`. */
export function templateVariables(text: string): string[] {
  return [
    ...new Set(
      templateTags(text)
        .filter((tag) => tag.type === 'variable')
        .map((tag) => tag.name),
    ),
  ];
}

/** Splits a word that alone exceeds `limit` into pieces that fit, code point by code point. */
function splitLongWord(word: string, limit: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece !== '' && xWeightedLength(piece + char) > limit) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

function packThread(words: string[], total: number, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  const fits = (text: string) => xWeightedLength(`${parts.length + 1}/${total} ${text}`) <= max;
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = '';
    // A word longer than a whole post (a long URL counts 23, so this is rare) is cut.
    const prefixLength = xWeightedLength(`${total}/${total} `);
    for (const piece of splitLongWord(word, max - prefixLength)) {
      const joined = current === '' ? piece : `${current} ${piece}`;
      if (fits(joined)) current = joined;
      else {
        if (current !== '') parts.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * An X post as a thread: the text itself when it fits in `max` weighted characters (X counts
 * via twitter-text), otherwise parts numbered "1/3 …", "2/3 …", each within `max`, split
 * between words. Whitespace runs collapse to one space in a split text.
 */
export function xThread(text: string, max: number = X_MAX_WEIGHTED_LENGTH): string[] {
  if (xWeightedLength(text) <= max) return [text];
  const words = text.split(/\s+/).filter(Boolean);
  // The "n/N " prefix grows with the digits of N: guess N, pack, and repack until it holds.
  let total = 2;
  for (;;) {
    const parts = packThread(words, total, max);
    // Fewer parts than guessed only shortens the prefixes, so every part still fits.
    if (parts.length <= total) {
      return parts.map((part, index) => `${index + 1}/${parts.length} ${part}`);
    }
    total = parts.length;
  }
}
