/**
 * Telling a request that never left from one whose answer was lost: the one rule the provider
 * adapters share to set `TransientDeliveryError.mayHaveBeenAccepted`.
 */

/**
 * Codes of a connection that was never made (refused, no route, no DNS answer, connect timeout),
 * from Node's net and dns, undici and axios alike. Anything else that breaks a request (a read
 * timeout, a reset, a socket closed mid-answer) may come after the provider accepted it.
 */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The errors a failure is made of: itself, its `cause` chain and an AggregateError's parts. */
function* chain(error: unknown, depth = 0): Generator<object> {
  if (depth > 8 || typeof error !== 'object' || error === null) return;
  yield error;
  if ('cause' in error) yield* chain(error.cause, depth + 1);
  if (error instanceof AggregateError) for (const part of error.errors) yield* chain(part, depth + 1);
}

/**
 * True when the request provably never reached the provider, so it cannot have been accepted;
 * false when in doubt, because the cost of a wrong "false" is only a reconciliation query while
 * a wrong "true" could text a passenger twice.
 */
export function neverReachedProvider(error: unknown): boolean {
  for (const part of chain(error)) {
    if ('code' in part && typeof part.code === 'string' && NEVER_CONNECTED.has(part.code)) return true;
  }
  return false;
}
