/**
 * A circuit breaker for one provider: after `consecutiveFailures` failures in a row, or once the
 * last `window` calls hold at least `failureRate` failures, the provider is skipped (open) for
 * `openMs`; then one call at a time is let through (half-open) until one succeeds (closed again)
 * or fails (open again).
 *
 * Its state is the instance's own memory, not a shared item. It only spares a passenger the
 * wait for a provider that is down: whether a record may move to the other provider is decided
 * by what the failed call proves (docs/sms-failover.md), so an instance that has not yet seen
 * the outage sends one failing call per record, which fails over at once. Shared state would be
 * a DynamoDB item read before and written after every send: at 100 SMS/s, 100 writes a second to
 * one item, against at most `consecutiveFailures` calls per worker instance (2 to 100 of them).
 */

export interface CircuitBreakerSettings {
  consecutiveFailures: number;
  /** Calls the failure rate is measured over. */
  window: number;
  /** Fraction (0–1] of the window's calls that opens the breaker once the window is full. */
  failureRate: number;
  openMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: CircuitBreakerSettings = {
  consecutiveFailures: 5,
  window: 20,
  failureRate: 0.5,
  openMs: 30_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  readonly #settings: CircuitBreakerSettings;
  readonly #now: () => number;
  /** Outcomes of the last calls while closed, oldest first: true for a failure. */
  #outcomes: boolean[] = [];
  #consecutive = 0;
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(settings: CircuitBreakerSettings = DEFAULT_BREAKER_SETTINGS, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt < this.#settings.openMs ? 'open' : 'half-open';
  }

  /** Whether a call may go to the provider now; half-open lets one probe through at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.#probeInFlight = false;
    this.#openedAt = undefined;
    this.#consecutive = 0;
    this.#remember(false);
  }

  recordFailure(): void {
    this.#probeInFlight = false;
    if (this.#openedAt !== undefined) {
      // A failed probe (or a call started before the breaker opened): open for another while.
      this.#open();
      return;
    }
    this.#consecutive++;
    this.#remember(true);
    const failures = this.#outcomes.filter(Boolean).length;
    const windowFull = this.#outcomes.length >= this.#settings.window;
    if (
      this.#consecutive >= this.#settings.consecutiveFailures ||
      (windowFull && failures >= this.#settings.failureRate * this.#settings.window)
    ) {
      this.#open();
    }
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#outcomes = [];
    this.#consecutive = 0;
  }

  #remember(failed: boolean): void {
    this.#outcomes.push(failed);
    if (this.#outcomes.length > this.#settings.window) this.#outcomes.shift();
  }
}
