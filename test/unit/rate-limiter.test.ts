import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoRateLimiter, RESERVE_AHEAD_MS } from '#shared/adapters/dynamodb/rate-limiter.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { stubTableEnvironment } from '#test/support/table-env.ts';

/** An instant on a whole second. */
const T0 = Date.parse('2026-12-01T00:00:00.000Z');

const dynamoDb = mockClientForFile(DynamoDBDocumentClient);

/**
 * The limiter's item in the herald table, with its two conditional writes applied as DynamoDB
 * would, each answered `latencyMs` after it was sent (the condition evaluated halfway).
 */
function rateTable(latencyMs = 0) {
  const nextAt = new Map<string, number>();
  dynamoDb.reset();
  const halfway = () => (latencyMs > 0 ? sleep(latencyMs / 2) : undefined);
  dynamoDb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
    await halfway();
    const key = `${input.Key?.pk}#${input.Key?.sk}`;
    const values = input.ExpressionAttributeValues ?? {};
    const before = nextAt.get(key);
    const extends_ = input.UpdateExpression?.startsWith('ADD nextAt');
    const holds = extends_
      ? before !== undefined && before >= values[':earliest'] && before <= values[':latest']
      : before === undefined || before < values[':earliest'];
    const after = extends_ ? (before ?? 0) + values[':span'] : values[':nextAt'];
    if (holds) nextAt.set(key, after);
    await halfway();
    if (!holds)
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        ...(before === undefined ? {} : { Item: { nextAt: { N: String(before) } } }),
      });
    return { Attributes: { nextAt: after } };
  });
}

/** Starts the sends and notes, on the fake clock, when each got its slot (ms after T0). */
function sendAll(limiter: DynamoRateLimiter, count: number, granted: number[]) {
  return Array.from({ length: count }, () => limiter.acquire().then(() => granted.push(Date.now() - T0)));
}

/** The shortest time between two sends. */
const closest = (granted: number[]) =>
  Math.min(
    ...[...granted]
      .sort((a, b) => a - b)
      .flatMap((at, index, all) => (index ? [at - (all[index - 1] ?? 0)] : [])),
  );

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

  it('lets 20 sends at 20/s through one every 50 ms, the first at once', async () => {
    const granted: number[] = [];

    const sends = sendAll(new DynamoRateLimiter('sms', 20), 20, granted);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);

    expect(granted).toEqual(Array.from({ length: 20 }, (_, index) => index * 50));
  });

  it('two processes sharing the rate together keep to it', async () => {
    const granted: number[] = [];

    const sends = [
      ...sendAll(new DynamoRateLimiter('sms', 20), 10, granted),
      ...sendAll(new DynamoRateLimiter('sms', 20), 10, granted),
    ];
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);

    expect(granted).toHaveLength(20);
    expect(closest(granted)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...granted)).toBe(950);
  });

  it('at 1/s, a second send waits for the next second and no less', async () => {
    const granted: number[] = [];

    const sends = sendAll(new DynamoRateLimiter('sms', 1), 2, granted);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(sends);

    expect(granted).toEqual([0, 1_000]);
  });

  it('uses every slot while DynamoDB answers slower than the slots follow each other', async () => {
    rateTable(450);
    const granted: number[] = [];

    // 2.5/s: a slot every 400 ms, each reservation answered after 450 ms.
    const sends = [
      ...sendAll(new DynamoRateLimiter('sms', 2.5), 5, granted),
      ...sendAll(new DynamoRateLimiter('sms', 2.5), 5, granted),
    ];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(sends);

    // The slots start when the first write's answer came (450 ms), one every 400 ms from there;
    // no send goes before its slot, and slots whose answer came late are spent one interval
    // apart from the answer on, not at once.
    const slots = Array.from({ length: 10 }, (_, index) => 450 + index * 400);
    const sent = [...granted].sort((a, b) => a - b);
    expect(sent.map((at, index) => Math.max(at, slots[index] ?? 0))).toEqual(sent);
    expect(Math.max(...sent)).toBe(slots.at(-1));
    expect(closest(sent)).toBeGreaterThan(0);
  });

  it('after an idle spell starts the slots from now, not making up the time in a burst', async () => {
    const limiter = new DynamoRateLimiter('sms', 10);
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(5_000);
    const granted: number[] = [];

    const sends = sendAll(limiter, 3, granted);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);

    expect(granted).toEqual([5_000, 5_100, 5_200]);
  });

  it(`reserves no slot starting more than ${RESERVE_AHEAD_MS} ms ahead: a later send asks again when it comes within reach`, async () => {
    const granted: number[] = [];
    const busy = sendAll(new DynamoRateLimiter('sms', 1), 10, granted);
    await vi.advanceTimersByTimeAsync(0);

    const late = sendAll(new DynamoRateLimiter('sms', 1), 1, granted);
    await vi.advanceTimersByTimeAsync(10_000 - RESERVE_AHEAD_MS - 1);
    const requestsWhileOutOfReach = dynamoDb.commandCalls(UpdateCommand).length;
    await vi.advanceTimersByTimeAsync(RESERVE_AHEAD_MS + 1);
    await Promise.all([...busy, ...late]);

    // The busy process's three writes, then the late one's refused try; a second try once in reach.
    expect(requestsWhileOutOfReach).toBe(4);
    expect(granted.at(-1)).toBe(10_000);
    expect(dynamoDb.commandCalls(UpdateCommand)).toHaveLength(5);
  });

  it('a send waiting for its slot gives up when its signal aborts, and an aborted one asks for none', async () => {
    const limiter = new DynamoRateLimiter('sms', 1);
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
