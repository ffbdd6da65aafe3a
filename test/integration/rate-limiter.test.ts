/**
 * The shared rate limiter against DynamoDB Local: its conditional writes, and what it reads back
 * from a refused one, as DynamoDB evaluates them (the unit test fakes the table).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let limiter: (name: string, perSecond: number) => RateLimiter;
let nextSlotAt: (name: string) => Promise<number>;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoRateLimiter } = await import('#shared/adapters/dynamodb/rate-limiter.ts');
  const { dynamoDb: client } = await import('#shared/adapters/aws-clients.ts');
  const { tablesConfig } = await import('#shared/config.ts');
  limiter = (name, perSecond) => new DynamoRateLimiter(name, perSecond);
  nextSlotAt = async (name) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tablesConfig().herald, Key: { pk: `RATE#${name}`, sk: 'nextAt' } }),
    );
    return Number(Item?.nextAt);
  };
});

afterAll(async () => {
  await dynamoDb?.stop();
});

describe('the rate limiter', () => {
  it('gives sends waiting in two processes consecutive slots one interval apart, none before its start', async () => {
    // Two instances under one name: the same limiter in two processes.
    const [first, second] = [limiter('pair', 10), limiter('pair', 10)];
    const started = Date.now();
    const passed: number[] = [];

    await Promise.all(
      [first, second].flatMap((process) =>
        Array.from({ length: 5 }, () => process.acquire().then(() => passed.push(Date.now()))),
      ),
    );

    // Ten slots of 100 ms reserved from when the slots started, between the start and the first send.
    const nextAt = await nextSlotAt('pair');
    passed.sort((a, b) => a - b);
    expect(nextAt - 1_000).toBeGreaterThanOrEqual(started);
    expect(nextAt - 1_000).toBeLessThanOrEqual(passed[0] ?? 0);
    // The last send waited for the last slot.
    expect(passed.at(-1)).toBeGreaterThanOrEqual(nextAt - 100);
  });

  it('after an idle spell starts the slots again from now', async () => {
    const rate = limiter('idle', 10);
    await rate.acquire();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const resumed = Date.now();

    await Promise.all([rate.acquire(), rate.acquire()]);

    // Not from where they stopped (100 ms after the first send): two slots from the resumption on.
    expect(await nextSlotAt('idle')).toBeGreaterThanOrEqual(resumed + 200);
  });
});
