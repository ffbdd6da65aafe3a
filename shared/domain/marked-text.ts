/**
 * A broadcast's texts in parts, for the comms lead who approves it: which words are the
 * operator's free text (unreviewed, so highlighted) and which stand for each passenger's own
 * details. The texts come from the one renderer: the values are wrapped in markers before
 * rendering and the rendered text is split at them, so the parts joined are what is sent.
 */
import { type Broadcast, type Language, type TemplateField, TRANSLATION_LANGUAGES } from './model.ts';
import { type BroadcastSource, type PersonalContext, renderBroadcastField } from './render.ts';

/** A run of rendered text; at most one of `freeText` and `personal` is set. */
export interface TextPart {
  text: string;
  /** The free-text variable (`note` for `{{vars.note}}`) these words came from. */
  freeText?: string;
  /** The personal variable this placeholder stands for (`customer.firstName`): each SMS has its own. */
  personal?: string;
}

// Control characters a template text, a title or a variable can never hold (each is refused
// with a 422), so a marker in the rendered text can only be one put there by markValue.
const START = '\u0001';
const SEPARATOR = '\u0002';
const END = '\u0003';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose.
const MARKER_CHARACTERS = /[\u0001-\u0003]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose.
const MARKED = /\u0001(free|personal):([^\u0002]*)\u0002([^\u0003]*)\u0003/g;

const markValue = (kind: 'free' | 'personal', name: string, value: string) =>
  `${START}${kind}:${name}${SEPARATOR}${value.replace(MARKER_CHARACTERS, '')}${END}`;

/** What a reviewer reads where each SMS names its passenger, booking or flight. */
const PERSONAL_PLACEHOLDERS: PersonalContext = {
  customer: { firstName: markValue('personal', 'customer.firstName', '‹first name›') },
  booking: { ref: markValue('personal', 'booking.ref', '‹booking ref›') },
  flight: {
    number: markValue('personal', 'flight.number', '‹flight›'),
    date: markValue('personal', 'flight.date', '‹date›'),
    origin: markValue('personal', 'flight.origin', '‹origin›'),
    departureTime: markValue('personal', 'flight.departureTime', '‹departure time›'),
  },
};

/** The operator's values with the free-text ones marked; a blank one stays blank, so its English still stands in. */
function markFreeText(values: Record<string, string>, freeText: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      freeText.includes(name) && value.trim() !== '' ? markValue('free', name, value) : value,
    ]),
  );
}

function markedBroadcast(
  broadcast: BroadcastSource['broadcast'],
  freeText: readonly string[],
): BroadcastSource['broadcast'] {
  const byLanguage: Broadcast['variablesByLanguage'] = {};
  for (const language of TRANSLATION_LANGUAGES) {
    const values = broadcast.variablesByLanguage?.[language];
    if (values) byLanguage[language] = markFreeText(values, freeText);
  }
  return {
    ...broadcast,
    variables: markFreeText(broadcast.variables, freeText),
    variablesByLanguage: byLanguage,
  };
}

/** Splits rendered text at its markers; the renderer trims the text, so the edge parts are trimmed too. */
export function textParts(rendered: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of rendered.matchAll(MARKED)) {
    const [whole, kind, name = '', text = ''] = match;
    if (match.index > last) parts.push({ text: rendered.slice(last, match.index) });
    parts.push(kind === 'free' ? { text, freeText: name } : { text, personal: name });
    last = match.index + whole.length;
  }
  if (last < rendered.length) parts.push({ text: rendered.slice(last) });
  const first = parts[0];
  if (first) first.text = first.text.trimStart();
  const final = parts.at(-1);
  if (final) final.text = final.text.trimEnd();
  return parts.filter((part) => part.text !== '');
}

/**
 * One field of a broadcast in one language, in parts: the free-text variables named in
 * `freeText` marked where they appear, and the personal variables (SMS only) as placeholders.
 */
export function renderMarkedField(
  source: BroadcastSource,
  language: Language,
  field: TemplateField,
  freeText: readonly string[],
): TextPart[] {
  const marked = { ...source, broadcast: markedBroadcast(source.broadcast, freeText) };
  const personal = field === 'sms' ? PERSONAL_PLACEHOLDERS : undefined;
  return textParts(renderBroadcastField(marked, language, field, personal).text);
}
