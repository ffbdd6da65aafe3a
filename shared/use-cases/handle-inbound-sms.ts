import type {
  AuditStore,
  CustomerDirectory,
  InboundMessageLedger,
  OptChangeRecorder,
} from '#shared/ports/stores.ts';
import { recordAudit } from './record-audit.ts';

/** The keywords carriers and Twilio treat as opt-out, opt-in and help requests. */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

/**
 * How long a MessageSid is remembered (the herald table's TTL). A captured, correctly signed
 * message replayed within this time changes nothing; Twilio's signature carries no time, so a
 * replay later than this would count as a new message.
 */
export const INBOUND_MESSAGE_RETENTION_DAYS = 400;

/**
 * Twilio's From of an SMS is an E.164 number. Any other value names no customer, and is never
 * looked up: an empty or overlong one is a key the phone index cannot hold.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

const firstWord = (body: string) => body.trim().split(/\s+/)[0]?.toUpperCase() ?? '';

export type InboundOutcome = 'opted_out' | 'opted_in' | 'help' | 'ignored';

export function classifyKeyword(body: string): InboundOutcome {
  const keyword = firstWord(body);
  if (OPT_OUT.has(keyword)) return 'opted_out';
  if (OPT_IN.has(keyword)) return 'opted_in';
  if (HELP.has(keyword)) return 'help';
  return 'ignored';
}

export interface InboundMessage {
  /** Twilio's MessageSid: one per message, the same on every retry or replay of it. */
  messageSid: string;
  from: string;
  body: string;
  /** When this request arrived (API Gateway's request time): Twilio posts no time of its own. */
  receivedAt: string;
}

export interface InboundResult {
  outcome: InboundOutcome;
  reply?: string;
  /** The customers whose opt-out or opt-in this message recorded. */
  customerIds: string[];
  /** The customers with that number whose last opt change arrived at or after this message. */
  unchangedIds: string[];
  /** The MessageSid was seen before: a retry by Twilio, or a replay. */
  repeated: boolean;
}

/**
 * Honours a reply at once, in the order the messages arrived.
 * 1. reads the keyword (first word, any case); HELP gets the configured help text as the reply,
 *    anything else but an opt keyword gets no reply and changes nothing;
 * 2. looks the MessageSid up in the ledger of inbound messages: a message seen before keeps the
 *    time it first arrived, a new one is recorded with this request's time;
 * 3. STOP and its synonyms opt every customer with that number (E.164; any other From names
 *    nobody) out, START opts them back in,
 *    each unless that customer's last opt change arrived at or after the message: a replayed
 *    START cannot undo a later STOP, and of two messages handled at once the later one wins;
 *    the SMS worker checks opt-outs before each send, so the next text is already held back;
 * 4. records each change in the audit log, by customer id (never the number).
 */
export async function handleInboundSms(
  message: InboundMessage,
  deps: {
    customers: Pick<CustomerDirectory, 'findByPhone'> & OptChangeRecorder;
    inbound: InboundMessageLedger;
    audit: AuditStore;
    helpText: string;
  },
): Promise<InboundResult> {
  const outcome = classifyKeyword(message.body);
  const nothing = { customerIds: [], unchangedIds: [], repeated: false };
  if (outcome === 'help') return { outcome, reply: deps.helpText, ...nothing };
  if (outcome === 'ignored') return { outcome, ...nothing };
  const expiresAt = new Date(Date.parse(message.receivedAt) + INBOUND_MESSAGE_RETENTION_DAYS * 86_400_000);
  const { arrivedAt, repeated } = await deps.inbound.firstArrival(
    message.messageSid,
    message.receivedAt,
    expiresAt,
  );
  const keyword = firstWord(message.body);
  const result: InboundResult = { outcome, customerIds: [], unchangedIds: [], repeated };
  const customers = E164.test(message.from) ? await deps.customers.findByPhone(message.from) : [];
  for (const customer of customers) {
    if (!(await deps.customers.recordOptChange(customer.customerId, outcome === 'opted_out', arrivedAt))) {
      result.unchangedIds.push(customer.customerId);
      continue;
    }
    result.customerIds.push(customer.customerId);
    await recordAudit(deps.audit, {
      actor: `sms:${customer.customerId}`,
      action: outcome === 'opted_out' ? 'customer.opted_out' : 'customer.opted_in',
      resource: { type: 'customer', id: customer.customerId },
      details: { keyword, messageSid: message.messageSid },
    });
  }
  return result;
}
