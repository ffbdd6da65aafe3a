import { describe, expect, it } from 'vitest';
import { rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';

describe('rateFromPerSecond', () => {
  it.each([
    [1, 1, 1000],
    [0.5, 1, 2000],
    [20, 4, 200],
    [50, 10, 200],
    [1000, 200, 200],
  ])('%d/s is %d sends per %d ms', (perSecond, limit, windowMs) => {
    expect(rateFromPerSecond(perSecond)).toEqual({ limit, windowMs });
  });

  it('keeps the exact rate for figures that do not divide evenly', () => {
    const { limit, windowMs } = rateFromPerSecond(7);
    expect((limit * 1000) / windowMs).toBeCloseTo(7, 10);
  });
});
