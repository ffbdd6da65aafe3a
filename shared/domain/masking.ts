/**
 * Phone numbers as Herald shows them to its own staff: enough to recognise a number
 * ("+35840•••••67"), never enough to text it.
 */

/** Numbers shorter than this are masked whole: their ends would give most of them away. */
const SHORTEST_PARTLY_SHOWN = 8;
/** A run of 8 or more digits (spaces between allowed, a + before): a phone number in free text. */
const PHONE_IN_TEXT = /\+?\d(?: ?\d){7,}/g;

/** The country and operator code (up to 6 characters) and the last 2 digits; the rest as •. */
export function maskPhone(phone: string): string {
  if (phone.length < SHORTEST_PARTLY_SHOWN) return '•'.repeat(phone.length);
  const shown = Math.min(6, phone.length - 6);
  return `${phone.slice(0, shown)}${'•'.repeat(phone.length - shown - 2)}${phone.slice(-2)}`;
}

/** `text` with every phone number in it masked: a provider's error message may quote the number. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (phone) => maskPhone(phone.replaceAll(' ', '')));
}
