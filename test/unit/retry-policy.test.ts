import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import {
  backoffMs,
  type RetryPolicy,
  redeliveryDelaySeconds,
  withRetry,
} from '#shared/domain/retry-policy.ts';

const fast: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4, maxWaitMs: 50 };

function failing(errors: Error[]) {
  let calls = 0;
  const call = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return 'sent';
  };
  return { call, calls: () => calls };
}

describe('backoffMs', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, policy, 0, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffMs(3, policy, 0, () => 0.5)).toBe(200);
  });

  it('waits at least what the provider asked for', () => {
    const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 5_000 };
    expect(backoffMs(1, policy, 3_000, () => 1)).toBe(3_000);
  });
});

describe('redeliveryDelaySeconds', () => {
  const schedule = { firstSeconds: 5, maxSeconds: 300 };

  it('doubles with each receive up to the cap, between half and all of it', () => {
    const least = (receive: number) => redeliveryDelaySeconds(receive, schedule, () => 0);
    const most = (receive: number) => redeliveryDelaySeconds(receive, schedule, () => 1);
    expect([1, 2, 3, 4].map(most)).toEqual([5, 10, 20, 40]);
    expect([1, 2, 3, 4].map(least)).toEqual([3, 5, 10, 20]);
    expect(most(7)).toBe(300);
    expect(most(9)).toBe(300);
    expect(least(9)).toBe(150);
  });
});

describe('withRetry', () => {
  it('retries transient failures and returns the first success', async () => {
    const attempt = failing([new TransientDeliveryError('429'), new TransientDeliveryError('500')]);
    await expect(withRetry(attempt.call, fast)).resolves.toBe('sent');
    expect(attempt.calls()).toBe(3);
  });

  it('never retries a permanent refusal', async () => {
    const attempt = failing([new PermanentDeliveryError('invalid number', 'invalid_phone')]);
    await expect(withRetry(attempt.call, fast)).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(attempt.calls()).toBe(1);
  });

  it('gives up after the configured attempts', async () => {
    const attempt = failing(Array.from({ length: 10 }, () => new TransientDeliveryError('500')));
    await expect(withRetry(attempt.call, fast)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(attempt.calls()).toBe(4);
  });

  it('hands a long Retry-After back to the queue instead of waiting in the invocation', async () => {
    const attempt = failing([new TransientDeliveryError('429', 60_000)]);
    await expect(withRetry(attempt.call, fast)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(attempt.calls()).toBe(1);
  });
});
