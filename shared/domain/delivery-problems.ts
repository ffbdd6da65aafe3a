/**
 * Why a delivery did not (yet) reach its recipient, in words the ops room can act on. A record
 * keeps its last error as the text its adapter wrote (shared/adapters: Twilio, X, Graph) or a
 * receipt brought ("Twilio error 30003"); this module reads the provider's code back out of that
 * text and names it. Every delivery listing (API, CLI, console) shows the code and the reason.
 */
import { maskPhonesIn } from './masking.ts';
import type { BroadcastStatus, Channel, Delivery } from './model.ts';

export interface DeliveryProblem {
  /**
   * The provider's error code (Twilio `21610`, X `187` or its HTTP status `403`, Graph `506`), or
   * Herald's own: `retries_exhausted`, `cancelled`, `opted_out`, `ineligible`,
   * `provider_unavailable`, `provider_unreachable`, `unknown`.
   */
  code: string;
  /** One short sentence for staff: what happened and, where it helps, what to do. */
  reason: string;
}

/** Twilio's error codes (twilio.com/docs/api/errors) that a passenger's SMS meets. */
const TWILIO_REASONS = new Map<string, string>([
  ['20003', 'Twilio refused Herald’s credentials: check the account SID and auth token'],
  ['21211', 'Invalid phone number: Twilio cannot send to it'],
  ['21408', 'Twilio is not permitted to send SMS to this number’s country (geo permissions)'],
  ['21610', 'Opted out: the number replied STOP, so Twilio blocks messages to it'],
  ['21612', 'The number cannot receive SMS from Herald’s sender'],
  ['21614', 'Not a mobile number: it cannot receive SMS'],
  ['30003', 'Unreachable handset: the phone was off or out of coverage'],
  ['30004', 'Blocked: the recipient or their carrier blocks these messages'],
  ['30005', 'Unknown number: the carrier says it does not exist'],
  ['30006', 'Landline or unreachable carrier: the number cannot receive SMS'],
  ['30007', 'Filtered by the carrier as spam'],
  ['30008', 'The carrier reported an unknown error'],
]);

const X_DUPLICATE = 'Duplicate post: X refuses a text identical to a recent post; change the wording';

/** X's codes: its v1.1 error codes and the HTTP statuses its v2 answers with. */
const X_REASONS = new Map<string, string>([
  ['187', X_DUPLICATE],
  ['401', 'X refused Herald’s credentials: check the app’s keys and tokens'],
  ['429', 'X’s rate limit was reached'],
]);

/** Graph API codes (developers.facebook.com/docs/graph-api/guides/error-handling). */
const GRAPH_REASONS = new Map<string, string>([
  ['506', 'Duplicate post: Facebook refuses a text the page has just posted; change the wording'],
  ['190', 'Facebook refused the page token: it expired or was revoked'],
  ['10', 'Facebook denied the permission to post on the page'],
  ['200', 'Facebook denied the permission to post on the page'],
  ['368', 'Facebook blocked the post as against its policies'],
  ['100', 'Facebook refused a parameter of the post'],
  ['4', 'Facebook’s rate limit was reached'],
  ['17', 'Facebook’s rate limit was reached'],
  ['32', 'Facebook’s rate limit was reached'],
  ['613', 'Facebook’s rate limit was reached'],
]);

const PROVIDER_NAMES: Record<Channel, string> = {
  sms: 'Twilio',
  x: 'X',
  facebook: 'Facebook',
  status: 'The status site',
};

/** Herald's prefix for a record given up on the queue's last delivery (deliver-once.ts). */
const GAVE_UP = 'Gave up after retries: ';

/** The problem a record's last error names (without the broadcast's view of it). */
function fromLastError(channel: Channel, lastError: string): DeliveryProblem {
  if (lastError.startsWith(GAVE_UP)) {
    const cause = fromLastError(channel, lastError.slice(GAVE_UP.length));
    return { code: 'retries_exhausted', reason: `Gave up after retries: ${cause.reason}` };
  }
  if (lastError === 'Customer no longer eligible')
    return { code: 'ineligible', reason: 'Not sent: no SMS consent or no valid number any more' };
  const provider = PROVIDER_NAMES[channel];
  const twilio = /^Twilio (?:refused the (?:message|query): )?error (\d+)/.exec(lastError)?.[1];
  if (twilio !== undefined)
    return { code: twilio, reason: TWILIO_REASONS.get(twilio) ?? `Twilio error ${twilio}` };
  const graph = /^Facebook Graph refused the (?:post|query): HTTP (\d+), code (\w+)/.exec(lastError);
  if (graph?.[1] !== undefined && graph[2] !== undefined) {
    const code = graph[2] === 'none' ? graph[1] : graph[2];
    return {
      code,
      reason: GRAPH_REASONS.get(code) ?? `Facebook refused the post (${maskPhonesIn(lastError)})`,
    };
  }
  // twitter-api-v2's message, with X's own detail after it (x-poster.ts).
  const x = /^Request failed with code (\d+)(?::| -)? ?(.*)$/s.exec(lastError);
  if (x?.[1] !== undefined) {
    const [, status, detail] = x;
    const code = /\(Twitter code (\d+)\)/.exec(lastError)?.[1] ?? status;
    if (/duplicate/i.test(lastError)) return { code, reason: X_DUPLICATE };
    if (Number(status) >= 500) return { code, reason: 'X was unavailable' };
    const mapped = X_REASONS.get(code);
    if (mapped) return { code, reason: mapped };
    return {
      code,
      reason: detail ? `X refused the post: ${maskPhonesIn(detail)}` : `X refused the post (HTTP ${status})`,
    };
  }
  const unavailable = /\bHTTP (5\d\d|429)\b/.exec(lastError)?.[1];
  if (unavailable !== undefined)
    return {
      code: 'provider_unavailable',
      reason: `${provider} was unavailable or busy (HTTP ${unavailable})`,
    };
  if (/request failed/i.test(lastError))
    return { code: 'provider_unreachable', reason: `${provider} could not be reached in time` };
  return { code: 'unknown', reason: maskPhonesIn(lastError) };
}

/**
 * Why a record is not (yet) with its recipient: its code and a readable reason, or undefined when
 * nothing went wrong (sent, delivered, or still on its way without an error).
 * 1. a record that reached the provider has no problem, whatever a retried attempt left in `lastError`;
 * 2. one still queued in a cancelled broadcast was never sent because of the cancel;
 * 3. otherwise its last error names the problem (`fromLastError`); an opt-out or failure without
 *    one is Herald's own.
 */
export function deliveryProblem(
  record: Pick<Delivery, 'channel' | 'status' | 'lastError'>,
  broadcastStatus?: BroadcastStatus,
): DeliveryProblem | undefined {
  const { channel, status, lastError } = record;
  if (status === 'sent' || status === 'delivered') return undefined;
  if ((status === 'queued' || status === 'sending') && broadcastStatus === 'cancelled')
    return { code: 'cancelled', reason: 'Not sent: the broadcast was cancelled first' };
  const problem = lastError === undefined ? undefined : fromLastError(channel, lastError);
  if (status === 'opted_out' && (problem === undefined || problem.code === 'ineligible'))
    return { code: 'opted_out', reason: 'Opted out: the passenger replied STOP before it was sent' };
  if (problem) return problem;
  if (status === 'failed' || status === 'undelivered')
    return { code: 'unknown', reason: `${PROVIDER_NAMES[channel]} gave no reason` };
  return undefined;
}
