/**
 * The structured JSON logger every handler and adapter uses. Log lines carry ids and
 * counts, never phone numbers or names; `maskPhone` is for the rare line that must
 * point at a number.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'herald' });

/** "+358401234567" → "+35840*****67": enough to tell numbers apart in support, not to dial. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 6)}${'*'.repeat(phone.length - 8)}${phone.slice(-2)}`;
}
