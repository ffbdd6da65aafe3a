/**
 * What an operator types for the public in a hurry, per language: an incident's title and a
 * broadcast's variables, in English (required, the fallback) and in Finnish and Swedish where
 * they wrote them. A language left empty shows the English; the preview warns of it.
 */
import type { FieldError } from './errors.ts';
import {
  type Broadcast,
  type Incident,
  type Language,
  TRANSLATION_LANGUAGES,
  type TranslationLanguage,
} from './model.ts';

/** What an operator typed for a broadcast: English values, and their Finnish and Swedish where written. */
export type OperatorText = Pick<Broadcast, 'variables' | 'variablesByLanguage'>;

const filled = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** The operator's own text in `language`; none for English, which is the base text itself. */
function ownText<T>(
  byLanguage: Partial<Record<TranslationLanguage, T>> | undefined,
  language: Language,
): T | undefined {
  const translation = TRANSLATION_LANGUAGES.find((candidate) => candidate === language);
  return translation && byLanguage?.[translation];
}

/** The operator's values as `language` shows them: that language's own where written, else English. */
export function operatorValues(text: OperatorText, language: Language): Record<string, string> {
  const own = Object.entries(ownText(text.variablesByLanguage, language) ?? {});
  return { ...text.variables, ...Object.fromEntries(own.filter(([, value]) => filled(value))) };
}

/** The incident's title in `language`, English where the operator left that language empty. */
export function incidentTitle(incident: Incident, language: Language): string {
  const own = ownText(incident.titleByLanguage, language);
  return filled(own) ? own : incident.title;
}

/** One value an operator typed, with the request field that holds it. */
export interface OperatorValue {
  path: string;
  name: string;
  value: string;
}

/** Every value of a broadcast request, English and translated, so each is checked alike. */
export function operatorEntries(text: OperatorText): OperatorValue[] {
  const english = Object.entries(text.variables).map(([name, value]) => ({
    path: `variables.${name}`,
    name,
    value,
  }));
  const translated = TRANSLATION_LANGUAGES.flatMap((language) =>
    Object.entries(text.variablesByLanguage?.[language] ?? {}).map(([name, value]) => ({
      path: `variablesByLanguage.${language}.${name}`,
      name,
      value,
    })),
  );
  return [...english, ...translated];
}

/** A translated value needs its English one: English is what every language falls back to. */
export function untranslatableErrors(text: OperatorText): FieldError[] {
  return operatorEntries(text)
    .filter(({ path, name }) => path.startsWith('variablesByLanguage.') && !filled(text.variables[name]))
    .map(({ path, name }) => ({
      path,
      message: `'${name}' has no English value: fill variables.${name} too; a language left empty shows the English.`,
    }));
}

/** The languages that will show the English of a value because the operator left them empty. */
export function languagesFallingBack(text: OperatorText, name: string): TranslationLanguage[] {
  return TRANSLATION_LANGUAGES.filter((language) => !filled(text.variablesByLanguage?.[language]?.[name]));
}

/** The languages whose title falls back to the English one. */
export function titleLanguagesFallingBack(incident: Incident): TranslationLanguage[] {
  return TRANSLATION_LANGUAGES.filter((language) => !filled(incident.titleByLanguage?.[language]));
}
