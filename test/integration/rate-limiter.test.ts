/**
 * The shared SMS rate limiter against DynamoDB Local: its conditional ADD as DynamoDB evaluates
 * it (the unit test fakes the table), taking slots for several waiting sends in one write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let limiter: (limit: number, windowMs: number) => RateLimiter;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoRateLimiter } = await import('#shared/adapters/dynamodb/rate-limiter.ts');
  let limiters = 0;
  limiter = (limit, windowMs) => new DynamoRateLimiter(`test-${++limiters}`, { limit, windowMs });
});

afterAll(async () => {
  await dynamoDb?.stop();
});

describe('the rate limiter', () => {
  it('lets no more sends through in a window than its limit, however many wait at once', async () => {
    // A long window, started afresh: every send below asks within the first one.
    const windowMs = 1_000;
    await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 10));
    const rate = limiter(3, windowMs);
    const passed: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 7 }, () => rate.acquire().then(() => passed.push(Date.now() - started))),
    );
    const windowOf = (elapsed: number) => Math.floor((started + elapsed) / windowMs);
    const perWindow = new Map<number, number>();
    for (const elapsed of passed)
      perWindow.set(windowOf(elapsed), (perWindow.get(windowOf(elapsed)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([3, 3, 1]);
  });
});
