import type { AuditStore, CustomerDirectory } from '#shared/ports/stores.ts';
import { recordAudit } from './record-audit.ts';

/** The keywords carriers and Twilio treat as opt-out, opt-in and help requests. */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

const firstWord = (body: string) => body.trim().split(/\s+/)[0]?.toUpperCase() ?? '';

export type InboundOutcome = 'opted_out' | 'opted_in' | 'help' | 'ignored';

export function classifyKeyword(body: string): InboundOutcome {
  const keyword = firstWord(body);
  if (OPT_OUT.has(keyword)) return 'opted_out';
  if (OPT_IN.has(keyword)) return 'opted_in';
  if (HELP.has(keyword)) return 'help';
  return 'ignored';
}

/**
 * Honours a reply at once.
 * 1. reads the keyword (first word, any case);
 * 2. STOP and its synonyms opt every customer with that number out; START opts them back in;
 *    the SMS worker checks opt-outs before each send, so the next text is already held back;
 * 3. records each opt-out and opt-in in the audit log, by customer id (never the number);
 * 4. HELP gets the configured help text as the reply; anything else gets no reply.
 */
export async function handleInboundSms(
  from: string,
  body: string,
  deps: { customers: CustomerDirectory; audit: AuditStore; helpText: string },
): Promise<{ outcome: InboundOutcome; reply?: string; customerIds: string[] }> {
  const outcome = classifyKeyword(body);
  if (outcome === 'help') return { outcome, reply: deps.helpText, customerIds: [] };
  if (outcome === 'ignored') return { outcome, customerIds: [] };
  const customers = await deps.customers.findByPhone(from);
  const keyword = firstWord(body);
  for (const customer of customers) {
    await deps.customers.setOptedOut(customer.customerId, outcome === 'opted_out');
    await recordAudit(deps.audit, {
      actor: `sms:${customer.customerId}`,
      action: outcome === 'opted_out' ? 'customer.opted_out' : 'customer.opted_in',
      resource: { type: 'customer', id: customer.customerId },
      details: { keyword },
    });
  }
  return { outcome, customerIds: customers.map((customer) => customer.customerId) };
}
