import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoRateLimiter, rateFromPerSecond } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { stubTableEnvironment } from '#test/support/table-env.ts';

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

  it("paces X's 200 posts per 15 minutes as one post per 4.5 s", () => {
    const { limit, windowMs } = rateFromPerSecond(200 / 900);
    expect(limit).toBe(1);
    expect(windowMs).toBeCloseTo(4_500, 6);
  });
});

/** An instant that starts a window of every size used below. */
const T0 = Date.parse('2026-12-01T00:00:00.000Z');

const dynamoDb = mockClientForFile(DynamoDBDocumentClient);

/** The rate counters of the herald table, with the limiter's conditional ADD applied as DynamoDB would. */
function rateTable() {
  const used = new Map<string, number>();
  dynamoDb.reset();
  dynamoDb.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const key = `${input.Key?.pk}#${input.Key?.sk}`;
    const values = input.ExpressionAttributeValues ?? {};
    const before = used.get(key);
    if (before !== undefined && before >= values[':limit'])
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    used.set(key, (before ?? 0) + values[':wanted']);
    return { Attributes: { used: used.get(key) } };
  });
}

/** Starts the sends and notes, on the fake clock, when each got its slot. */
function sendAll(limiter: DynamoRateLimiter, count: number, granted: number[]) {
  return Array.from({ length: count }, () => limiter.acquire().then(() => granted.push(Date.now() - T0)));
}

/** How many slots each window of `windowMs` gave, from the first. */
function perWindow(granted: number[], windowMs: number): number[] {
  const counts: number[] = [];
  for (const at of granted) {
    const window = Math.floor(at / windowMs);
    for (let index = counts.length; index <= window; index++) counts.push(0);
    counts[window] = (counts[window] ?? 0) + 1;
  }
  return counts;
}

describe('DynamoRateLimiter on a fake clock', () => {
  beforeEach(() => {
    stubTableEnvironment();
    // The limiter waits with node:timers/promises: fake it too, so its waits run on the fake clock.
    vi.useFakeTimers({ now: T0, fakeNodeBuiltins: true });
    rateTable();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('20 sends at 20/s take four slots per 200 ms window and end inside the first second', async () => {
    const limiter = new DynamoRateLimiter('sms', rateFromPerSecond(20));
    const granted: number[] = [];

    const sends = sendAll(limiter, 20, granted);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);

    expect(perWindow(granted, 200)).toEqual([4, 4, 4, 4, 4]);
    expect(Math.max(...granted)).toBeLessThan(1_000);
  });

  it('two processes sharing the rate together never take more than a window allows', async () => {
    const rate = rateFromPerSecond(20);
    const granted: number[] = [];

    const sends = [
      ...sendAll(new DynamoRateLimiter('sms', rate), 10, granted),
      ...sendAll(new DynamoRateLimiter('sms', rate), 10, granted),
    ];
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);

    expect(perWindow(granted, 200)).toEqual([4, 4, 4, 4, 4]);
  });

  it('at 1/s, a second send waits for the next second and no less', async () => {
    const limiter = new DynamoRateLimiter('sms', rateFromPerSecond(1));
    const granted: number[] = [];

    const sends = sendAll(limiter, 2, granted);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all(sends);

    expect(granted).toHaveLength(2);
    expect(granted[1]).toBeGreaterThanOrEqual(1_000);
  });

  it('a send waiting for a full window gives up when its signal aborts, and an aborted one takes no slot', async () => {
    const limiter = new DynamoRateLimiter('sms', rateFromPerSecond(1));
    await limiter.acquire();
    const invocationEnds = new AbortController();

    const waiting = limiter.acquire(invocationEnds.signal);
    const outcome = waiting.then(
      () => 'granted',
      (error: Error) => error.name,
    );
    await vi.advanceTimersByTimeAsync(300);
    invocationEnds.abort();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(await outcome).toBe('AbortError');
    const requests = dynamoDb.commandCalls(UpdateCommand).length;
    await expect(limiter.acquire(invocationEnds.signal)).rejects.toThrow();
    expect(dynamoDb.commandCalls(UpdateCommand)).toHaveLength(requests);
  });
});
