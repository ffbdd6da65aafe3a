/** Who may receive an SMS: consent, a valid E.164 number and no opt-out (brief, "What affected means"). */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { type Customer, FALLBACK_LANGUAGE, LANGUAGES, type Language } from './model.ts';

export type Exclusion = 'noConsent' | 'invalidPhone' | 'optedOut';

/** E.164 form, and a number that exists in its country's numbering plan. */
export function isValidE164(phone: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(phone) && isValidPhoneNumber(phone);
}

/** Why a customer gets no SMS, or undefined when they get one. */
export function smsExclusion(customer: Customer): Exclusion | undefined {
  if (customer.optedOut) return 'optedOut';
  if (!customer.smsConsent) return 'noConsent';
  if (!isValidE164(customer.phone)) return 'invalidPhone';
  return undefined;
}

/** The customer's language if Herald speaks it, English otherwise. */
export function messageLanguage(preferred: string): Language {
  const language = preferred.toLowerCase().slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : FALLBACK_LANGUAGE;
}
