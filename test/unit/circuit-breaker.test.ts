import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '#shared/domain/circuit-breaker.ts';

const settings = { consecutiveFailures: 3, window: 10, failureRate: 0.5, openMs: 30_000 };

/** A breaker on a clock the test moves. */
function breakerAt(start = 1_000_000) {
  const clock = { now: start };
  return { breaker: new CircuitBreaker(settings, () => clock.now), clock };
}

function fail(breaker: CircuitBreaker, times: number) {
  for (let n = 0; n < times; n++) breaker.recordFailure();
}

describe('CircuitBreaker', () => {
  it('opens after the consecutive failures, not one before', () => {
    const { breaker } = breakerAt();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('a success between failures restarts the consecutive count', () => {
    const { breaker } = breakerAt();
    fail(breaker, 2);
    breaker.recordSuccess();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('opens on the failure rate of a full window even without a run of failures', () => {
    const { breaker } = breakerAt();
    // Failure, success, … : never two failures in a row, half of ten calls failed.
    for (let n = 0; n < 4; n++) {
      breaker.recordFailure();
      breaker.recordSuccess();
    }
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordSuccess();
    // The window is full at 10 calls; the next failure leaves 5 of the last 10 failed, which opens it.
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('lets one probe through once the open time has passed, and closes on its success', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    clock.now += 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    // A second caller waits for the probe's outcome.
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a failed probe opens it for another full while', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    clock.now += 30_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.now += 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(breaker.tryAcquire()).toBe(true);
  });
});
