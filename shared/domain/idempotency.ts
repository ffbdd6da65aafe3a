/**
 * The Idempotency-Key rules of POST /incidents/{id}/broadcasts: a key names one request of one
 * caller on one incident for 24 hours. The same key with the same body is a retry and gets the
 * first broadcast back; the same key with another body is a client's mistake, refused (422)
 * rather than silently answered with a broadcast the caller did not ask for.
 */
import { createHash } from 'node:crypto';
import { type FieldError, ValidationError } from './errors.ts';

/** How long a key is remembered: a client retries within minutes, a day is ample (as Stripe keeps them). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Printable ASCII, as an HTTP header carries it unencoded (a UUID, say). Its length is bounded at the edge. */
const PRINTABLE = /^[\x20-\x7E]+$/;

/** The key's problems as field errors: empty, or a character outside printable ASCII. */
export function idempotencyKeyErrors(key: string): FieldError[] {
  return PRINTABLE.test(key)
    ? []
    : [
        {
          path: IDEMPOTENCY_KEY_HEADER,
          message: 'Use 1 to 128 printable ASCII characters (a UUID, for one).',
        },
      ];
}

/** A key sent again with another request than the one it was first used for. */
export class IdempotencyKeyReusedError extends ValidationError {
  constructor() {
    super('This Idempotency-Key was used for a different request.', [
      {
        path: IDEMPOTENCY_KEY_HEADER,
        message:
          'The key was first sent with another body in the last 24 hours. Send a new key for a new request, or the same body to retry.',
      },
    ]);
  }
}

/** JSON with object keys sorted at every level, so equal requests hash equal whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the request as parsed (defaults applied), so only a change in meaning changes it. */
export function requestHash(request: object): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
