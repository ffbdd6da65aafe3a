/** Named errors. `shared/http/problem.ts` is the one place that maps them to HTTP statuses. */

export interface FieldError {
  path: string;
  message: string;
}

/** Input that is well-formed JSON but breaks a rule (unknown airport, end before start…). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly errors: FieldError[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A list's `next` cursor that Herald did not issue, or that was changed on the way back. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} '${id}' does not exist`);
  }
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** Delivery records cannot be added to a broadcast that is cancelled (or gone): its planning stops. */
export class BroadcastClosedError extends Error {
  override readonly name = 'BroadcastClosedError';
}

/** A provider refused for good (invalid number, unsubscribed, duplicate content): never retried. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A provider failed in a way worth retrying (429, 5xx, timeout). */
export class TransientDeliveryError extends Error {
  override readonly name = 'TransientDeliveryError';
  readonly mayHaveBeenAccepted: boolean;

  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions & {
      /**
       * The request may have reached the provider and been accepted although no answer came back
       * (a timeout, a connection lost mid-request): sending again without first asking the
       * provider could text the passenger twice. False for an answer the provider gave (429, 5xx).
       */
      mayHaveBeenAccepted?: boolean;
    },
  ) {
    super(message, options);
    this.mayHaveBeenAccepted = options?.mayHaveBeenAccepted ?? false;
  }
}

/**
 * A record given up as `failed` on its message's last receive, once it had had as many claims of
 * its own as the queue gives a message: its message fails, keeping the dead-letter queue as
 * evidence. The transient failure that ended it is the `cause`.
 */
export class GaveUpError extends Error {
  override readonly name = 'GaveUpError';
}
