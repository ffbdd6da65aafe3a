/**
 * Herald's limits on what one request may ask for, in one place (docs/api.md's "Limits" table
 * lists them). Each bounds work an API Lambda does within its 10 s, or a value DynamoDB must
 * store; a request over one is answered 422 naming the field and the limit, so it never runs
 * until a timeout or ends in a 500.
 */
import type { FieldError } from './errors.ts';
import type { TimeWindow } from './model.ts';

/** The longest incident window: a strike or an ash cloud is planned for days, not months. */
export const MAX_WINDOW_DAYS = 14;
/** Window times must fall in these years (UTC): a year 0000 or 9999 is a typo, not a schedule. */
export const WINDOW_YEARS = { earliest: 2000, latest: 2099 } as const;
/**
 * How far after an incident's opening its notification deadline may fall (minutes): at least a
 * minute, at most the longest window, as a strike announced days ahead is notified days ahead.
 */
export const NOTIFICATION_DEADLINE_MINUTES = { min: 1, max: MAX_WINDOW_DAYS * 24 * 60 } as const;
/** Scope selectors, each a Query or two per entry (airports, carriers) or a read (flights). */
export const MAX_SCOPE_AIRPORTS = 200;
export const MAX_SCOPE_FLIGHTS = 500;
export const MAX_SCOPE_CARRIERS = 20;
/** Positions of an area in total, over every ring of every polygon: each costs every point-in-polygon test. */
export const MAX_AREA_POSITIONS = 10_000;
/** Ids in paths and bodies, and the Idempotency-Key: far below DynamoDB's 2,048-byte key limit. */
export const MAX_ID_LENGTH = 128;
/** API Gateway HTTP API's limit on the request line and headers together. */
export const MAX_HEADER_BYTES = 10_240;
/** Lambda's limit on a synchronous invocation's payload. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** The time limit of every API route's Lambda (API Gateway's own limit is 30 s). */
export const API_TIMEOUT_SECONDS = 10;
/** What a preview may spend finding flights and counting the audience: 2 s below the API Lambda's limit. */
export const PREVIEW_TIME_BUDGET_MS = (API_TIMEOUT_SECONDS - 2) * 1000;
/**
 * What counting the audience of a broadcast that waits for approval may add to its creation:
 * past it the count so far is stored as a lower bound, leaving the request time to store it.
 */
export const AUDIENCE_ESTIMATE_BUDGET_MS = 5_000;
/** Items a list page holds (`?limit=`) unless said otherwise, and at most. */
export const LIST_PAGE_SIZE = { default: 50, max: 100 } as const;
/**
 * Delivery records a page of the evidence export holds: a row is at most a few kB (the SMS text
 * is the bulk), so a page stays well inside Lambda's 6 MB response and a second of work.
 */
export const EVIDENCE_PAGE_SIZE = { default: 1000, max: 1000 } as const;
/** The audit log's page, larger since its entries are small and an admin reads them in bulk. */
export const AUDIT_PAGE_SIZE = { default: 100, max: 500 } as const;
/**
 * Items one page of a filtered list (deliveries by status) reads at most: with a rare status a
 * page may hold fewer than `limit` items, and `next` goes on from where the reading stopped.
 */
export const MAX_ITEMS_READ_PER_PAGE = 2_000;
/**
 * API requests the local server works on at once; more are answered 429 with Retry-After at once,
 * as API Gateway's stage throttling answers in AWS, rather than queueing until every one times out.
 */
export const LOCAL_API_REQUESTS_IN_FLIGHT = 64;
/**
 * The same for the routes Twilio calls, apart: its delivery receipts come at twice the SMS rate
 * (sent, then delivered) and must not crowd out the operators, nor be shed because of them.
 */
export const LOCAL_WEBHOOK_REQUESTS_IN_FLIGHT = 512;

const DAY_MS = 86_400_000;

/** A time's UTC year, or NaN when it is not a time. */
const yearOf = (iso: string) => new Date(iso).getUTCFullYear();

/**
 * What is wrong with an incident window: out of the years Herald plans for, ending before it
 * starts, or longer than MAX_WINDOW_DAYS (work grows with the window: hour partitions, flights).
 */
export function windowErrors(window: TimeWindow): FieldError[] {
  const errors: FieldError[] = [];
  for (const end of ['start', 'end'] as const) {
    const year = yearOf(window[end]);
    if (!(year >= WINDOW_YEARS.earliest && year <= WINDOW_YEARS.latest))
      errors.push({
        path: `window.${end}`,
        message: `The window must lie between the years ${WINDOW_YEARS.earliest} and ${WINDOW_YEARS.latest}.`,
      });
  }
  if (errors.length > 0) return errors;
  const length = Date.parse(window.end) - Date.parse(window.start);
  if (length <= 0) return [{ path: 'window.end', message: 'The window must end after it starts.' }];
  if (length > MAX_WINDOW_DAYS * DAY_MS)
    return [{ path: 'window.end', message: `The window may last at most ${MAX_WINDOW_DAYS} days.` }];
  return [];
}
