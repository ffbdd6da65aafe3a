/**
 * What a template version must satisfy before a comms lead may approve it, and the four-eyes
 * rule. Texts are measured as the one renderer renders them, with worst-case sample values, by
 * the same libraries the workers and the preview use (twitter-text, Twilio's segment calculator).
 */
import { measureSms, X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './channel-limits.ts';
import { ConflictError, type FieldError } from './errors.ts';
import {
  INCIDENT_TYPES,
  LANGUAGES,
  type Language,
  SEVERITIES,
  TEMPLATE_FIELDS,
  type TemplateContent,
  type TemplateField,
  type TemplateVersion,
  WORDING_FIELDS,
  type WordingField,
} from './model.ts';
import { type OperatorText, operatorEntries, untranslatableErrors } from './operator-text.ts';
import { type PersonalContext, type PublicContext, renderText, templateTags } from './render.ts';
import { firstNonXmlChar } from './xml-text.ts';

export const DEFAULT_SMS_SEGMENT_BUDGET = 2;
export const DEFAULT_MAX_VARIABLE_LENGTH = 60;
/** The longest incident title the API accepts (POST /incidents). */
export const WORST_CASE_TITLE_LENGTH = 200;
/** The most airports an incident plausibly lists in `scope.airports`: "HEL, ARN, …" (48 characters). */
export const WORST_CASE_AIRPORTS = 10;
/** The longest first name measured; a longer one shows in the preview's segment count. */
export const WORST_CASE_FIRST_NAME_LENGTH = 20;

/** Content as a caller may send it: any field may still be missing. */
export type DraftContent = Partial<Record<Language, Partial<TemplateContent>>>;

/** The template settings and wordings the rules read: `content` is required, the other kinds' optional. */
export type TemplateRulesInput = Pick<
  TemplateVersion,
  'allowedVariables' | 'freeTextVariables' | 'maxVariableLength' | 'allowThread' | 'smsSegmentBudget'
> & { content: DraftContent } & Partial<Record<WordingField, DraftContent>>;

/**
 * A filler that is one character wide on every channel: one GSM-7 septet, weight 1 on X. An
 * extended GSM character (€, [, ]…) in a value would count two septets; we do not assume them.
 */
const filler = (length: number) => 'W'.repeat(length);
const longest = (values: readonly string[]) =>
  values.reduce((best, value) => (value.length > best.length ? value : best), '');

function worstCasePublic(template: TemplateRulesInput): PublicContext {
  const maxLength = template.maxVariableLength ?? DEFAULT_MAX_VARIABLE_LENGTH;
  const declared = [...(template.allowedVariables ?? []), ...(template.freeTextVariables ?? [])];
  return {
    incident: {
      title: filler(WORST_CASE_TITLE_LENGTH),
      type: longest(INCIDENT_TYPES),
      severity: longest(SEVERITIES),
      airports: Array.from({ length: WORST_CASE_AIRPORTS }, () => 'HEL').join(', '),
      // The longest ISO 8601 form the API accepts: milliseconds and a non-zero offset.
      windowStart: '2026-11-23T04:00:00.000+05:30',
      windowEnd: '2026-11-23T16:00:00.000+05:30',
    },
    vars: Object.fromEntries(declared.map((name) => [name, filler(maxLength)])),
  };
}

const WORST_CASE_PERSONAL: PersonalContext = {
  customer: { firstName: filler(WORST_CASE_FIRST_NAME_LENGTH) },
  booking: { ref: 'ABC123' },
  // ICAO-style flight numbers are the longest: three letters and four digits.
  flight: { number: 'FIN1234', date: '2026-11-23', origin: 'HEL', departureTime: '23:59' },
};

/** "a.b" for every leaf of a context object, so the known names follow the renderer's types. */
function leafNames(context: object): string[] {
  return Object.entries(context).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? leafNames(value).map((leaf) => `${key}.${leaf}`) : [key],
  );
}

export const INCIDENT_VARIABLES = leafNames({ incident: worstCasePublic({ content: {} }).incident });
export const PERSONAL_VARIABLES = leafNames(WORST_CASE_PERSONAL);
/**
 * The incident title, typed by an operator and never reviewed: private SMS may carry it, public
 * fields may not (nothing unreviewed reaches X, Facebook, the status site or its feeds).
 */
export const OPERATOR_TITLE = 'incident.title';
const PERSONAL_ROOTS = ['customer.', 'booking.', 'flight.'];

const contentPath = (wording: WordingField, language: Language, field: TemplateField) =>
  `${wording}.${language}.${field}`;

/** The wordings a version carries: `content` always, an update's and a resolution's when given. */
function wordingsOf(template: TemplateRulesInput): [WordingField, DraftContent][] {
  return Object.values(WORDING_FIELDS).flatMap((wording) => {
    const content = template[wording];
    return content ? [[wording, content] as [WordingField, DraftContent]] : [];
  });
}

/**
 * Every wording a version carries needs every field in every language, non-blank. Checked when a
 * draft is saved and again at submit.
 */
export function missingFields(template: TemplateRulesInput): FieldError[] {
  return wordingsOf(template).flatMap(([wording, content]) =>
    LANGUAGES.flatMap((language) =>
      TEMPLATE_FIELDS.filter((field) => !content[language]?.[field]?.trim()).map((field) => ({
        path: contentPath(wording, language, field),
        message: `The ${language} ${field} text is missing: every language (${LANGUAGES.join(', ')}) needs ${TEMPLATE_FIELDS.join(', ')}.`,
      })),
    ),
  );
}

/** Problems with the variables of one text: unparsable, sections, unknown or personal names. */
function variableErrors(
  text: string,
  field: TemplateField,
  path: string,
  template: TemplateRulesInput,
): string[] {
  let tags: ReturnType<typeof templateTags>;
  try {
    tags = templateTags(text);
  } catch (error) {
    return [`Not a valid template: ${error instanceof Error ? error.message : String(error)}.`];
  }
  const allowed = new Set(template.allowedVariables ?? []);
  const freeText = new Set(template.freeTextVariables ?? []);
  const messages: string[] = [];
  for (const tag of tags) {
    if (tag.type !== 'variable') {
      messages.push(`Only plain {{variables}} are supported; found a ${tag.type} tag '${tag.name}'.`);
      continue;
    }
    const name = tag.name;
    if (PERSONAL_VARIABLES.includes(name)) {
      if (field !== 'sms')
        messages.push(
          `Personal variable {{${name}}} may only be used in sms: ${path} is public and never carries personal data.`,
        );
      continue;
    }
    if (name === OPERATOR_TITLE && field !== 'sms') {
      messages.push(
        `{{${name}}} may only be used in sms: the title is the operators' unreviewed label, and ${path} is public. Write the public wording into the template (or a free-text variable a comms lead approves).`,
      );
      continue;
    }
    if (INCIDENT_VARIABLES.includes(name)) continue;
    if (name.startsWith('vars.')) {
      const key = name.slice('vars.'.length);
      if (!allowed.has(key) && !freeText.has(key))
        messages.push(
          `Unknown variable {{${name}}}: declare '${key}' in allowedVariables or freeTextVariables.`,
        );
      continue;
    }
    const personalLike = PERSONAL_ROOTS.some((root) => name.startsWith(root));
    messages.push(
      `Unknown variable {{${name}}}. Known: ${INCIDENT_VARIABLES.join(', ')}, vars.<declared>${
        personalLike || field === 'sms' ? `, and in sms ${PERSONAL_VARIABLES.join(', ')}` : ''
      }.`,
    );
  }
  return messages;
}

/** The text of one field of a wording with every variable at its worst case, rendered by the one renderer. */
export function worstCaseText(
  template: TemplateRulesInput,
  language: Language,
  field: TemplateField,
  wording: WordingField = 'content',
): string {
  const context =
    field === 'sms' ? { ...worstCasePublic(template), ...WORST_CASE_PERSONAL } : worstCasePublic(template);
  return renderText(template[wording]?.[language]?.[field] ?? '', context);
}

function lengthErrors(
  template: TemplateRulesInput,
  wording: WordingField,
  language: Language,
  field: TemplateField,
): string[] {
  if (field === 'social') {
    const weighted = xWeightedLength(worstCaseText(template, language, field, wording));
    if (weighted > X_MAX_WEIGHTED_LENGTH && !template.allowThread)
      return [
        `At worst the X post is ${weighted} weighted characters; X allows ${X_MAX_WEIGHTED_LENGTH}. Shorten it or set allowThread.`,
      ];
  }
  if (field === 'sms') {
    const budget = template.smsSegmentBudget ?? DEFAULT_SMS_SEGMENT_BUDGET;
    const { encoding, segments } = measureSms(worstCaseText(template, language, field, wording));
    if (segments > budget)
      return [
        `At worst the SMS takes ${segments} segments (${encoding}); the budget is ${budget}.${
          encoding === 'UCS-2'
            ? ' A character outside GSM-7 (an emoji, say) makes every segment 67 characters.'
            : ''
        }`,
      ];
  }
  return [];
}

/**
 * Every rule a version must pass at submit, as field errors, for each wording it carries (the
 * first message's, and an update's and a resolution's when given: one approval covers them all):
 * 1. every language has every field;
 * 2. declarations: no name both allowed and free text;
 * 3. per field: valid Mustache, plain variables only, known names, personal names in sms only;
 * 4. per field whose variables are sound: the worst-case X weighted length (unless threads are
 *    allowed) and the worst-case SMS segments against the budget.
 */
export function templateErrors(template: TemplateRulesInput): FieldError[] {
  const errors = missingFields(template);
  const freeText = new Set(template.freeTextVariables ?? []);
  for (const name of template.allowedVariables ?? []) {
    if (freeText.has(name))
      errors.push({
        path: 'freeTextVariables',
        message: `'${name}' cannot be both an allowed and a free-text variable.`,
      });
  }
  for (const [wording, content] of wordingsOf(template)) {
    for (const language of LANGUAGES) {
      for (const field of TEMPLATE_FIELDS) {
        const text = content[language]?.[field];
        if (!text?.trim()) continue;
        const path = contentPath(wording, language, field);
        const forbidden = firstNonXmlChar(text);
        if (forbidden) errors.push({ path, message: notXmlMessage(forbidden) });
        const messages = variableErrors(text, field, path, template);
        if (messages.length === 0) messages.push(...lengthErrors(template, wording, language, field));
        errors.push(...messages.map((message) => ({ path, message })));
      }
    }
  }
  return errors;
}

/** Broadcast variables that carry free text: anything outside the template's allow-list. */
export function freeTextVariables(template: TemplateVersion, variables: Record<string, string>): string[] {
  const allowed = new Set(template.allowedVariables ?? []);
  return Object.keys(variables).filter((name) => !allowed.has(name));
}

/** Public texts reach CAP, Atom and RSS, where one such character makes the whole document invalid. */
const notXmlMessage = (codePoint: string) => `Contains ${codePoint}, a control character XML cannot carry.`;

/**
 * Values, in any language, longer than the worst case the approval measured or holding a
 * character XML forbids; a translated value without its English one.
 */
export function variableValueErrors(template: TemplateVersion, text: OperatorText): FieldError[] {
  const maxLength = template.maxVariableLength ?? DEFAULT_MAX_VARIABLE_LENGTH;
  const valueErrors = operatorEntries(text).flatMap(({ path, value }) => {
    const forbidden = firstNonXmlChar(value);
    return [
      ...(value.length > maxLength
        ? [
            {
              path,
              message: `${value.length} characters; template '${template.id}' was approved for at most ${maxLength}.`,
            },
          ]
        : []),
      ...(forbidden ? [{ path, message: notXmlMessage(forbidden) }] : []),
    ];
  });
  return [...valueErrors, ...untranslatableErrors(text)];
}

/** Four-eyes: whoever wrote or requested something may not approve it themselves (409). */
export class SelfApprovalError extends ConflictError {}
